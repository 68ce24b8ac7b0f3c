"""Fault: an import killed half-way (SIGKILL, no chance to clean up) leaves nothing behind, and running
it again simply works. Checked on the embedded SQLite file and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import KOBE, ROOT

# Loads the bundled Kobe example, but the process kills itself after writing the first half of the observation rows,
# inside the transaction: what a power cut or an OOM kill does to a long import.
KILL_HALFWAY = """
import os, signal
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from shihyo.web.catalogue import models
manager = type(models.ObservationRevision.objects)
original = manager.bulk_create
def bulk_create(self, rows, *args, **kwargs):
    rows = list(rows)
    original(self, rows[: len(rows) // 2], *args, **kwargs)
    print("wrote", len(rows) // 2, "of", len(rows), "rows; killing the process", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
manager.bulk_create = bulk_create
from shihyo.cli import main
main(["load", sys.argv[1]])
"""


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIHYO_")}
    return {**env, **extra}


def _kill_then_reload(env: dict[str, str], count_rows: object) -> None:
    script = "import sys\n" + KILL_HALFWAY
    killed = _run(env, sys.executable, "-c", script, str(KOBE))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "killing the process" in killed.stdout
    assert count_rows() == (0, 0, 0), "no programme, definition or observation row survives the kill"  # type: ignore[operator]
    again = _run(env, str(Path(sys.executable).parent / "shihyo"), "load", str(KOBE))
    assert again.returncode == 0, again.stderr
    assert "625 added" in again.stdout
    assert count_rows() == (1, 1, 625)  # type: ignore[operator]


TABLES = ("catalogue_programme", "catalogue_definitionrevision", "catalogue_observationrevision")


def test_a_killed_load_leaves_nothing_in_the_sqlite_file(tmp_path: Path) -> None:
    env = _environment(SHIHYO_HOME=str(tmp_path))

    def count_rows() -> tuple[int, ...]:
        with sqlite3.connect(tmp_path / "shihyo.sqlite3") as db:
            return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)

    _kill_then_reload(env, count_rows)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("set SHIHYO_DATABASE_URL to a PostgreSQL server (make pytest-postgres does; make pytest deselects)")
    server = url.rsplit("/", 1)[0]
    name = f"shihyo_fault_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_a_killed_load_leaves_nothing_in_postgresql(postgres_database: str, tmp_path: Path) -> None:
    env = _environment(SHIHYO_HOME=str(tmp_path), SHIHYO_DATABASE_URL=postgres_database)

    def count_rows() -> tuple[int, ...]:
        with psycopg.connect(postgres_database) as db:
            return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)  # type: ignore[index]

    _kill_then_reload(env, count_rows)
