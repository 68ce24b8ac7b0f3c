"""Report files of the dashboard's downloads: written once, served many times, a bounded number at a time.

A PDF takes seconds to write, so every file is kept on disk under SHIHYO_HOME/cache/reports/, one folder per
shihyo release, programme and data version, named by the as-of moment, period, language and format. A new
revision makes a new data version, hence new names; the folders of older versions are removed when the next
file is written. Files are written in a scratch folder beside them and renamed into place, so a
concurrent request never reads half a file, and requests for the same missing file wait for one writer.

At most SHIHYO_REPORT_RENDERINGS files are written at the same time in one server process (default 2); a
request that would need another is answered 503 with Retry-After (`Busy`) instead of queueing behind them,
so that anonymous report requests cannot tie up every worker thread.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

import shihyo
from shihyo.core.problems import UserError

RETRY_AFTER = 10  # seconds a refused request is asked to wait


class Busy(UserError):
    """Every report writer is busy: try again in a few seconds."""

    retry_after = RETRY_AFTER


@dataclass(frozen=True)
class ReportKey:
    """Everything a report file depends on."""

    programme: str
    version: str  # the data version (changes with every revision)
    as_of: datetime | None  # None: the latest data
    period: str
    lang: str
    fmt: str

    def folder(self, root: Path) -> Path:
        return root / shihyo.__version__ / self.programme / self.version

    def name(self) -> str:
        moment = "latest" if self.as_of is None else self.as_of.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return f"{moment}-{self.period}-{self.lang}.{self.fmt}"


def cache_root() -> Path:
    root: Path = Path(settings.REPORT_CACHE_DIR)
    return root


_key_locks: dict[str, threading.Lock] = {}
_key_locks_guard = threading.Lock()
_slots_guard = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _lock_for(path: Path) -> threading.Lock:
    with _key_locks_guard:
        if len(_key_locks) > 1000:  # forget idle locks now and then
            for name in [n for n, lock in _key_locks.items() if not lock.locked()]:
                del _key_locks[name]
        return _key_locks.setdefault(str(path), threading.Lock())


def _writer_slots() -> threading.BoundedSemaphore:
    """The process's writer slots, sized by SHIHYO_REPORT_RENDERINGS (read again when the setting changes)."""
    global _slots
    size = max(1, int(settings.REPORT_RENDERINGS))
    with _slots_guard:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


def _remove_older_versions(key: ReportKey, root: Path) -> None:
    programme = key.folder(root).parent
    for folder in programme.iterdir():
        if folder.name != key.version and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)  # a file still being sent on Windows stays until next time


def _move_into_place(written: Path, path: Path) -> None:
    """Rename the finished file to its name: atomic, so readers see no file or the whole file. Its folder may
    have been removed meanwhile by a request that wrote a newer data version: then it is made again."""
    for attempt in range(3):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(written, path)
            return
        except FileNotFoundError:
            if attempt == 2:
                raise


def report_path(key: ReportKey, write: Callable[[Path], Path], *, wait: bool = False) -> Path:
    """The report file of `key`, written by `write(folder) -> path` if it is not on disk yet.

    Raises `Busy` when it must be written and every writer slot is taken (a background job, `wait`, waits
    for a slot instead)."""
    root = cache_root()
    path = key.folder(root) / key.name()
    if path.is_file():
        return path
    with _lock_for(path):
        if path.is_file():  # written by the request we waited for
            return path
        slots = _writer_slots()
        if not slots.acquire(blocking=wait):
            raise Busy(
                ja="報告書の作成が混み合っています。10秒ほど待ってから、もう一度お試しください",
                en="shihyo is busy writing other reports: try again in about 10 seconds",
            )
        try:
            scratch_root = root / ".writing"  # beside the version folders, which a newer version may remove
            scratch_root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=scratch_root, ignore_cleanup_errors=True) as scratch:
                written = write(Path(scratch))
                _move_into_place(written, path)
        finally:
            slots.release()
    _remove_older_versions(key, root)
    return path
