"""shihyo's migrations can be undone where Django allows: every step has a reverse, and a database taken back to
nothing and forward again ends with the same tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db.migrations.loader import MigrationLoader

APPS = ("catalogue", "collection")


def test_every_migration_step_has_a_reverse() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    steps = [
        (key, operation)
        for key, migration in loader.disk_migrations.items()
        if key[0] in APPS
        for operation in migration.operations
    ]
    assert steps
    irreversible = [
        f"{app}.{name}: {operation.describe()}" for (app, name), operation in steps if not operation.reversible
    ]
    assert irreversible == []


def _django(home: Path, *args: str) -> str:
    env = {**os.environ, "SHIHYO_HOME": str(home), "DJANGO_SETTINGS_MODULE": "shihyo.web.settings"}
    env.pop("SHIHYO_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_migrations_go_back_to_nothing_and_forward_again(tmp_path: Path) -> None:
    _django(tmp_path, "migrate", "--verbosity", "0")
    tables = _django(tmp_path, "inspectdb", "--include-views")
    _django(tmp_path, "migrate", "collection", "zero", "--verbosity", "0")
    _django(tmp_path, "migrate", "catalogue", "zero", "--verbosity", "0")
    gone = _django(tmp_path, "showmigrations", "catalogue", "collection")
    assert "[X]" not in gone
    _django(tmp_path, "migrate", "--verbosity", "0")
    assert _django(tmp_path, "inspectdb", "--include-views") == tables
