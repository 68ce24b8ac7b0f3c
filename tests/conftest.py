"""Shared test set-up.

- In CI (CI=true) a skipped test fails the run: every component a test needs must be there.
- Database tests (marker `db`) run on SQLite, and again on PostgreSQL when SHIHYO_DATABASE_URL points
  at one (`make pytest-postgres`); if that server is unreachable they skip locally with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from shihyo import examples
from shihyo.core.clock import TOKYO, FixedClock, use
from shihyo.core.model import Dataset
from shihyo.io.directory import read_programme_dir

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
KOBE = examples.path("kobe")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_problem() -> str | None:
    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL at {url.split('@')[-1]} is not reachable ({type(exc).__name__}: {exc})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = _postgres_problem()
    if problem:
        for item in items:
            if item.get_closest_marker("db") or item.get_closest_marker("postgres"):
                item.add_marker(pytest.mark.skip(reason=problem))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped:
        reasons = sorted({str(getattr(r, "longrepr", ""))[-200:] for r in skipped})
        print(f"\nCI=true: {len(skipped)} skipped test(s) fail the run:\n" + "\n".join(reasons))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def report_file_cache(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Path:
    """Each test keeps the dashboard's report files in a folder of its own: test databases roll back, so
    data versions repeat with other data (a real database never reuses them; `shihyo restore` empties it)."""
    folder = tmp_path_factory.getbasetemp() / f"report-files-{uuid.uuid4().hex[:12]}"
    settings.REPORT_CACHE_DIR = folder
    return folder


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return read_programme_dir(MINI)


@pytest.fixture
def shihyo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty SHIHYO_HOME for CLI runs in a subprocess."""
    monkeypatch.setenv("SHIHYO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHIHYO_DATABASE_URL", raising=False)
    yield tmp_path / "home"


GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files in tests/golden/ from the current output (then review the git diff)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME; `pytest --update-golden` rewrites it instead."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path} is missing: run `pytest --update-golden` and review it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from the golden file; if the change is right, run --update-golden"

    return check


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """A stopped clock at 2022-11-15 09:00 in Tokyo (after the test rounds' due date 2022-10-31) that
    every service, view and command reads; move it with `clock.moment = …` or `clock.advance(…)`."""
    fixed = FixedClock(datetime(2022, 11, 15, 9, 0, tzinfo=TOKYO))
    with use(fixed):
        yield fixed
