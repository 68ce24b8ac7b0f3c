"""Personal API tokens as their owner uses them: made on the account page and shown once, stored as a
digest, scoped, expiring, revocable; a caller past the rate limit gets 429 with Retry-After."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.test.utils import override_settings

from shihyo.core.clock import FixedClock
from shihyo.web.api.models import ApiToken
from shihyo.web.collection.models import Round
from tests.collection.conftest import PASSWORD, dataset, fresh_evaluation_cache, round_

pytestmark = [pytest.mark.db, pytest.mark.django_db]
__all__ = ["dataset", "fresh_evaluation_cache", "round_"]
ROUNDS = "/api/v1/programmes/mini/rounds"


def signed_in(name: str = "ward_a_clerk") -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def make(client: Client, scope: str = "read", days: str = "30") -> str:
    page = client.post("/account/tokens/", {"action": "create", "name": "庁内BI", "scope": scope, "days": days})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    found = re.search(r'id="issued-token">(shy_[0-9a-f]{8}_[A-Za-z0-9_-]+)<', page.content.decode())
    assert found, page.content.decode()[:2000]
    return found.group(1)


def test_a_token_is_shown_once_and_stored_only_as_a_digest(round_: Round, clock: FixedClock) -> None:
    client = signed_in()
    secret = make(client)
    row = ApiToken.objects.get()
    assert (
        secret not in {row.digest, row.prefix}
        and row.digest == hashlib.sha256(secret.split("_", 2)[2].encode()).hexdigest()
    )
    listing = client.get("/account/tokens/").content.decode()
    assert secret not in listing and f"shy_{row.prefix}_…" in listing
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ROUNDS)
    assert answer.status_code == 200


def test_a_revoked_or_expired_or_wrong_token_is_refused(round_: Round, clock: FixedClock) -> None:
    client = signed_in()
    secret = make(client, days="1")
    row = ApiToken.objects.get()
    assert client.post("/account/tokens/", {"action": "revoke", "token": str(row.pk)}).status_code == 302
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ROUNDS, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    assert refused["WWW-Authenticate"].startswith("Bearer")
    other = make(client, days="1")
    clock.advance(timedelta(days=1, seconds=1))
    expired = Client(HTTP_AUTHORIZATION=f"Bearer {other}").get(ROUNDS, HTTP_ACCEPT_LANGUAGE="en")
    assert expired.status_code == 401 and "expired" in expired.json()["error"]
    wrong = Client(HTTP_AUTHORIZATION=f"Bearer {other[:-4]}abcd").get(ROUNDS)
    assert wrong.status_code == 401
    garbage = Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").get("/api/v1/programmes")
    assert garbage.status_code == 401


def test_only_the_owner_revokes_a_token(round_: Round, clock: FixedClock) -> None:
    secret = make(signed_in())
    row = ApiToken.objects.get()
    signed_in("ward_b_clerk").post("/account/tokens/", {"action": "revoke", "token": str(row.pk)})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ROUNDS).status_code == 200


def test_bad_token_requests_save_nothing_and_say_why(round_: Round, clock: FixedClock) -> None:
    client = signed_in()
    page = client.post("/account/tokens/", {"action": "create", "name": "", "scope": "admin", "days": "900"})
    assert page.status_code == 400 and ApiToken.objects.count() == 0
    assert Client().get("/account/tokens/").status_code == 302  # sign in first


@override_settings(API_RATE_LIMIT=3)
def test_past_the_rate_limit_a_caller_gets_429_with_retry_after(round_: Round, clock: FixedClock) -> None:
    secret = make(signed_in())
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [caller.get(ROUNDS).status_code for _ in range(3)] == [200, 200, 200]
    limited = caller.get(ROUNDS)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 61
    assert Client().get("/api/v1/programmes").status_code == 200  # another caller has its own window
    clock.advance(timedelta(seconds=61))
    assert caller.get(ROUNDS).status_code == 200


def test_open_data_needs_a_licence(round_: Round) -> None:
    page = Client().get("/opendata/mini/")
    assert page.status_code == 200 and "/opendata/mini/bulk.zip" not in page.content.decode()
    for path in ("/opendata/mini/bulk.zip", "/opendata/mini/data/online.csv", "/opendata/mini/catalog.jsonld"):
        assert Client().get(path).status_code == 404
