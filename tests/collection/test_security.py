"""Sign-in and request security: CSRF on every form, throttled guessing, expiring sessions, argon2,
and production settings that pass `manage.py check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from shihyo.web.collection.models import Round
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]

UNIT = "/collection/mini/r4-h1/ward_a"
FORMS = (
    "/login/",
    "/logout/",
    "/collection/new/",
    f"{UNIT}/",
    f"{UNIT}/upload/",
    f"{UNIT}/review/",
    "/accounts/",
    "/account/password/",
    "/i18n/setlang/",
)


@pytest.mark.parametrize("url", FORMS)
def test_every_form_refuses_a_post_without_its_csrf_token(round_: Round, url: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="office"))
    response = client.post(url, {"username": "office", "password": PASSWORD, "action": "approve"})
    assert response.status_code == 403


def test_pages_with_forms_carry_the_token(round_: Round) -> None:
    client = Client(enforce_csrf_checks=True)
    assert b"csrfmiddlewaretoken" in client.get("/login/").content
    client.force_login(User.objects.get(username="office"))
    page = client.get(f"{UNIT}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4, "entry, upload, review and sign-out forms"


def test_password_guessing_is_throttled(round_: Round) -> None:
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"username": "office", "password": "wrong"}).status_code == 401
    blocked = client.post("/login/", {"username": "office", "password": PASSWORD})
    assert blocked.status_code == 429, "even the right password waits once the limit is reached"
    assert "15分後" in blocked.content.decode()
    assert Client().post("/login/", {"username": "reviewer", "password": PASSWORD}).status_code == 302


def test_passwords_are_stored_as_argon2_hashes(round_: Round) -> None:
    assert User.objects.get(username="office").password.startswith("argon2$")


def test_a_session_ends_after_its_idle_time(round_: Round) -> None:
    with override_settings(SESSION_COOKIE_AGE=1):
        client = Client()
        assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
        assert client.get("/collection/").status_code == 200
        time.sleep(2.2)
        response = client.get("/collection/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_sign_in_does_not_redirect_to_another_site(round_: Round) -> None:
    response = Client().post("/login/", {"username": "office", "password": PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/collection/"


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SHIHYO_")}
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, "DJANGO_SETTINGS_MODULE": "shihyo.web.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path: object) -> None:
    production = {
        "SHIHYO_HOME": str(tmp_path),
        "SHIHYO_HTTPS": "1",
        "SHIHYO_SECRET_KEY": secrets.token_urlsafe(50),
        "SHIHYO_ALLOWED_HOSTS": "shihyo.city.example.jp",
    }
    result = _check_deploy(production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    development = _check_deploy({"SHIHYO_HOME": str(tmp_path)})
    assert development.returncode != 0, "the development defaults are not fit for production"
    assert "SECRET_KEY" in development.stderr + development.stdout
