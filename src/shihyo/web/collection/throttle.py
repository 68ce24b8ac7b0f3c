"""Sign-in throttling: guessing is limited per user name *and* address, counted atomically in the database.

Design (README: Collection rounds → sign-in):

- Every attempt first reserves a try under its (user name, address) counter, in one transaction that locks the
  counter row (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transactions are serialised by BEGIN
  IMMEDIATE). Only then is the password checked. A burst of parallel guesses therefore cannot get more than
  `LOGIN_FAILURES_ALLOWED` tries past the limit: each one holds a reserved try before it learns the answer.
  A successful sign-in gives its try back and clears its pair's counter.
- After `LOGIN_FAILURES_ALLOWED` failures within `LOGIN_FAILURE_WINDOW`, that pair is locked until the window
  ends. Another user name from the same address (a colleague behind the same proxy or NAT) is not affected,
  and the same user from another address is not either: guessing under random or other names never locks a
  real user out.
- Each address also has a looser counter. Beyond `LOGIN_ADDRESS_FAILURES` failures within the window the
  address is slowed, not locked: one attempt per `LOGIN_ADDRESS_INTERVAL` seconds is let through (for any name)
  and the others are asked to wait a few seconds. Password spraying from one address becomes slow, while a
  person who types their own password still gets in.
- Counters whose window ended more than a window ago are deleted after each failure.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction

from shihyo.core import clock
from shihyo.web.collection.models import LoginFailure, SignInCounter


class Verdict(Enum):
    ALLOWED = "allowed"  # a try is reserved: check the password, then `settle`
    LOCKED = "locked"  # this user name from this address has used its tries: wait for the window to end
    SLOWED = "slowed"  # this address has failed very often: one try per interval


def _key(scope: str, *parts: str) -> str:
    return hashlib.sha256("\0".join((scope, *parts)).encode("utf-8", "surrogatepass")).hexdigest()


def _counter(key: str, scope: str, now: datetime) -> SignInCounter:
    """The counter row, locked for this transaction, reset when its window has passed."""
    counter, _created = SignInCounter.objects.select_for_update().get_or_create(
        key=key, defaults={"scope": scope, "window_start": now, "failures": 0}
    )
    if counter.window_start <= now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW):
        counter.window_start, counter.failures, counter.next_at = now, 0, None
    return counter


def reserve(username: str, address: str) -> Verdict:
    """Take one try for (username, address), or say why not. Atomic: parallel calls are counted one by one."""
    now = clock.now()
    with transaction.atomic():
        pair = _counter(_key("pair", username, address), "pair", now)  # always pair first, then address
        if pair.failures >= settings.LOGIN_FAILURES_ALLOWED:
            return Verdict.LOCKED
        place = _counter(_key("address", address), "address", now)
        if place.failures >= settings.LOGIN_ADDRESS_FAILURES:
            if place.next_at is not None and now < place.next_at:
                return Verdict.SLOWED
            place.next_at = now + timedelta(seconds=settings.LOGIN_ADDRESS_INTERVAL)
        pair.failures += 1
        place.failures += 1
        pair.save()
        place.save()
    return Verdict.ALLOWED


def settle(username: str, address: str, *, succeeded: bool) -> None:
    """After the password check of a reserved try: a success gives the try back, a failure is recorded."""
    now = clock.now()
    if not succeeded:
        LoginFailure.objects.create(username=username, address=address, at=now)
        # counters of windows long past count nothing: drop them, so random names do not pile up rows
        stale = now - timedelta(seconds=2 * settings.LOGIN_FAILURE_WINDOW)
        SignInCounter.objects.filter(window_start__lt=stale).delete()
        return
    with transaction.atomic():
        SignInCounter.objects.filter(key=_key("pair", username, address)).delete()
        place = SignInCounter.objects.select_for_update().filter(key=_key("address", address)).first()
        if place is not None and place.failures > 0:
            place.failures -= 1
            place.save(update_fields=["failures"])


def retry_after(verdict: Verdict) -> int:
    """Seconds a refused client is told to wait (the Retry-After header)."""
    if verdict is Verdict.SLOWED:
        return max(1, int(settings.LOGIN_ADDRESS_INTERVAL))
    return int(settings.LOGIN_FAILURE_WINDOW)
