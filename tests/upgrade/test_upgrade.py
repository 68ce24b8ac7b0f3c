"""A database written by an earlier release opens, intact, after this one's migrations.

For each release under tests/upgrade/releases/ (written by make_fixture.py with that release's code):
SQLite — the file copied to a temporary SHIHYO_HOME; PostgreSQL — the dump restored into a fresh database.
Then this release migrates it and every revision, step, account and figure must still be there (row counts
and table checksums as the release recorded them, the same `shihyo compute` output), and it must take a
new submission. A migration that fails half-way must leave the database as it was.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.upgrade.make_fixture import compute_csv, shihyo_command

RELEASES = sorted(p for p in (Path(__file__).parent / "releases").iterdir() if p.is_dir())


def _env(home: Path, url: str | None) -> dict[str, str]:
    env = {**os.environ, "SHIHYO_HOME": str(home), "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    env.pop("SHIHYO_DATABASE_URL", None)
    if url:
        env["SHIHYO_DATABASE_URL"] = url
    return env


def probe(env: dict[str, str], mode: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tests.upgrade.probe", mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def migrate(env: dict[str, str]) -> str:
    done = subprocess.run(
        [*shihyo_command(), "init", "--no-account"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def check_intact(env: dict[str, str], recorded: dict[str, Any], release: Path, name: str) -> None:
    after = probe(env, "snapshot")
    assert after["counts"] == recorded["counts"]
    assert after["checksums"] == recorded["checksums"]
    compute = compute_csv(env)
    expected = gzip.decompress((release / f"{name}-compute.csv.gz").read_bytes()).decode()
    _same_computation(compute, expected)


def _same_computation(text: str, expected: str) -> None:
    """The compute table as the earlier release wrote it, column for column. A later release may add columns
    (official, published, recomputed, note); where a published figure differs from its recomputation,
    `display` shows the official figure with its mark (and the added columns say which and why)."""
    wanted = next(csv.reader(io.StringIO(expected)))
    rows, before = list(csv.DictReader(io.StringIO(text))), list(csv.DictReader(io.StringIO(expected)))
    key = ("indicator", "org_unit", "period", "kind")
    known = {tuple(old[k] for k in key) for old in before}
    # 0.2 computes change-vs-base and index indicators at the base period itself (0 and 100): the only rows
    # it adds; every row the earlier release wrote is still there, the same
    added = [row for row in rows if tuple(row[k] for k in key) not in known]
    assert all(float(row["value"]) in (0.0, 100.0) for row in added), added[:5]
    rows = [row for row in rows if tuple(row[k] for k in key) in known]
    assert len(rows) == len(before)
    for row, old in zip(rows, before, strict=True):
        # the figures are the same; `display` is how 0.2 words them (0件 not 0万件, '+2.4ポイント quoted for
        # spreadsheets, the official figure with its mark), so it is not compared
        columns = [c for c in wanted if c != "display"]
        assert {c: row[c] for c in columns} == {c: old[c] for c in columns}
        assert not row.get("official") or "※" in row["display"]


def check_takes_a_submission(env: dict[str, str], recorded: dict[str, Any]) -> None:
    done = probe(env, "submit")
    assert done["state_before"] != "approved" and done["state_after"] == "approved"
    assert done["version_after"] == done["version_before"] + 2
    assert done["changed"] > 0 and done["published"] > 0
    counts = probe(env, "snapshot")["counts"]
    assert done["events_added"] >= 2
    added = done["events_added"]
    assert counts["collection.SubmissionEvent"] == recorded["counts"]["collection.SubmissionEvent"] + added
    assert counts["catalogue.ObservationRevision"] > recorded["counts"]["catalogue.ObservationRevision"]


def check_failed_migration_changes_nothing(env: dict[str, str]) -> None:
    before = probe(env, "snapshot")
    done = probe(env, "break")
    assert done == {"failure": "this migration fails half-way on purpose", "scratch_table": False, "recorded": False}
    assert probe(env, "snapshot") == before


@pytest.fixture(params=RELEASES, ids=[p.name for p in RELEASES])
def release(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_sqlite_database_of_an_earlier_release_upgrades_intact(release: Path, tmp_path: Path) -> None:
    (tmp_path / "shihyo.sqlite3").write_bytes(gzip.decompress((release / "sqlite.sqlite3.gz").read_bytes()))
    recorded = json.loads((release / "sqlite.json").read_text(encoding="utf-8"))
    env = _env(tmp_path, None)
    said = migrate(env)
    assert str(tmp_path / "shihyo.sqlite3") in said
    check_intact(env, recorded, release, "sqlite")
    check_failed_migration_changes_nothing(env)
    check_takes_a_submission(env, recorded)


@pytest.fixture
def restored_postgres(release: Path) -> Iterator[str]:
    """A fresh PostgreSQL database holding the release's dump, dropped afterwards."""
    import psycopg

    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("SHIHYO_DATABASE_URL does not point at PostgreSQL (make pytest-postgres)")
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (Debian: postgresql-client)")
    server = url.rsplit("/", 1)[0]
    name = f"{url.rsplit('/', 1)[1]}_upgrade_{release.name.replace('.', '_')}_{os.getpid()}"
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    target = f"{server}/{name}"
    subprocess.run(
        ["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-d", target],
        input=gzip.decompress((release / "postgres.sql.gz").read_bytes()),
        capture_output=True,
        check=True,
        timeout=300,
    )
    yield target
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_dump_of_an_earlier_release_upgrades_intact(
    release: Path, restored_postgres: str, tmp_path: Path
) -> None:
    recorded = json.loads((release / "postgres.json").read_text(encoding="utf-8"))
    env = _env(tmp_path, restored_postgres)
    migrate(env)
    check_intact(env, recorded, release, "postgres")
    check_failed_migration_changes_nothing(env)
    check_takes_a_submission(env, recorded)
