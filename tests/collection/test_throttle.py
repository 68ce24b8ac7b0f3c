"""Sign-in throttling through the view stack: counted per (user name, address) and atomically, so a burst
of parallel guesses cannot pass the limit, and guessing under other names never locks a real user out.
Runs on SQLite and, with SHIHYO_DATABASE_URL, on PostgreSQL (`-m db`)."""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings

from shihyo.core.clock import FixedClock
from shihyo.web.collection.models import LoginFailure, SignInCounter
from tests.collection.conftest import PASSWORD, make_users

pytestmark = [pytest.mark.db]
OFFICE_ADDRESS = "192.0.2.10"  # everyone in the office is behind this one address (a proxy or NAT)


def sign_in(username: str, password: str, address: str = OFFICE_ADDRESS) -> int:
    response = Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code


def _guess(gate: threading.Barrier) -> int:
    try:
        gate.wait(timeout=60)
        return sign_in("office", "wrong-" + secrets.token_hex(4))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_guesses_get_exactly_the_five_tries_allowed() -> None:
    make_users()
    burst = 30
    gate = threading.Barrier(burst)
    with ThreadPoolExecutor(burst) as pool:
        outcomes = Counter(pool.map(lambda _: _guess(gate), range(burst)))
    assert outcomes == {401: 5, 429: 25}, outcomes
    assert LoginFailure.objects.filter(username="office").count() == 5, "only five passwords were checked"
    assert sign_in("office", PASSWORD) == 429, "the right password too waits for the window to end"
    assert sign_in("reviewer", PASSWORD) == 302, "a colleague behind the same address is not locked out"
    assert sign_in("office", PASSWORD, address="198.51.100.4") == 302, "nor the same person from elsewhere"


@pytest.mark.django_db
def test_failures_under_random_names_do_not_lock_out_a_real_user_on_the_same_address() -> None:
    make_users()
    for _ in range(25):  # more than the 20 that used to lock the whole address
        assert sign_in("guess-" + secrets.token_hex(6), "wrong") == 401
    for _ in range(5):
        assert sign_in("reviewer", "wrong") == 401
    assert sign_in("reviewer", PASSWORD) == 429, "five wrong passwords lock this name from this address"
    assert sign_in("office", PASSWORD) == 302


@pytest.mark.django_db
def test_a_failing_address_is_slowed_not_locked(clock: FixedClock) -> None:
    make_users()
    with override_settings(LOGIN_ADDRESS_FAILURES=10, LOGIN_ADDRESS_INTERVAL=2):
        for _ in range(10):
            assert sign_in("guess-" + secrets.token_hex(6), "wrong") == 401
        assert sign_in("guess-x", "wrong") == 401, "beyond the address limit one try per interval passes"
        response = Client().post("/login/", {"username": "office", "password": PASSWORD}, REMOTE_ADDR=OFFICE_ADDRESS)
        assert response.status_code == 429 and response["Retry-After"] == "2"
        assert "数秒待って" in response.content.decode()
        clock.advance(timedelta(seconds=2))
        assert sign_in("office", PASSWORD) == 302, "after the interval the real user gets in"
        clock.advance(timedelta(seconds=2))
        assert sign_in("viewer", PASSWORD, address="198.51.100.4") == 302, "other addresses are not slowed"


@pytest.mark.django_db
def test_the_window_ends_and_a_success_clears_the_count(clock: FixedClock) -> None:
    make_users()
    for _ in range(4):
        assert sign_in("office", "wrong") == 401
    assert sign_in("office", PASSWORD) == 302
    for _ in range(5):
        assert sign_in("office", "wrong") == 401, "the success gave back the pair's five tries"
    assert sign_in("office", PASSWORD) == 429
    clock.advance(timedelta(minutes=15))
    assert sign_in("office", PASSWORD) == 302
    assert SignInCounter.objects.filter(scope="pair").count() == 0


@pytest.mark.django_db
def test_counters_of_windows_long_past_are_dropped(clock: FixedClock) -> None:
    make_users()
    for n in range(3):
        assert sign_in(f"guess-{n}", "wrong") == 401
    assert SignInCounter.objects.filter(scope="pair").count() == 3
    clock.advance(timedelta(minutes=31))
    assert sign_in("guess-new", "wrong") == 401
    assert sorted(SignInCounter.objects.values_list("scope", flat=True)) == ["address", "pair"], "only the new ones"
