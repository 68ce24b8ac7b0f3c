"""Every response carries the Content-Security-Policy, error pages included (Chromium checks the pages keep
to it: tests/browser/test_csp.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from shihyo.web.csp import POLICY

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_every_response_has_the_policy(client: Client) -> None:
    for path, status in (("/", 503), ("/no-such-page/", 404), ("/login/", 200), ("/healthz", 200)):
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Content-Security-Policy"] == POLICY, path
    assert "script-src 'self';" in POLICY and "unsafe" not in POLICY and "frame-ancestors 'none'" in POLICY
