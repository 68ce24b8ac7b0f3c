"""The one place shihyo reads the time from.

Services, views and commands ask `now()` / `today()` here instead of the wall clock, so a test can set
the moment (`use(FixedClock(...))`) and every "overdue", "opened at" and "recorded at" follows it.
Days are counted in the city's time zone (Asia/Tokyo).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(tz=TOKYO)


@dataclass
class FixedClock:
    """A clock that stands still until moved; for tests and for replaying a moment."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware moment")

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


_current: Clock = SystemClock()


def now() -> datetime:
    return _current.now()


def today() -> date:
    """Today's date in Tokyo."""
    return _current.now().astimezone(TOKYO).date()


def current() -> Clock:
    return _current


def set_clock(clock: Clock) -> Clock:
    """Install `clock`; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
