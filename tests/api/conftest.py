"""A live shihyo for the API and open-data tests: both bundled programmes loaded by the real `shihyo load`,
a collection round opened by `shihyo round open`, accounts made by `shihyo user add`, and `shihyo serve`
(waitress) on a free loopback port.

On SQLite it uses a fresh SHIHYO_HOME; when SHIHYO_DATABASE_URL names a PostgreSQL server (the PostgreSQL
pass of `make test`), it uses a fresh database of its own on that server, dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shihyo import examples
from tests.browser.conftest import serving

SHIHYO = Path(sys.executable).parent / "shihyo"
KOBE = examples.path("kobe")
MINATO = examples.path("minato")
ACCOUNTS = {  # name: (role, org units)
    "office": ("admin", []),
    "reviewer": ("reviewer", []),
    "kita": ("submitter", ["kita"]),
    "viewer": ("viewer", []),
}
MAKE_TOKENS = """
import django, json, sys
django.setup()
from django.contrib.auth.models import User
from shihyo.web.api import tokens
made = {}
for name in sys.argv[1:]:
    made[name] = tokens.issue(User.objects.get(username=name), "tests", "write", 1).secret
print(json.dumps(made))
"""


@dataclass(frozen=True)
class Live:
    url: str
    env: dict[str, str]
    home: Path
    tokens: dict[str, str]

    def shihyo(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(SHIHYO), *args], env=self.env, cwd=self.home, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, f"shihyo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done


@pytest.fixture(scope="package")
def postgres_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for the live server (None on the SQLite pass)."""
    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    server, _, _name = url.rpartition("/")
    name = f"shihyo_live_api_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory, postgres_database: str | None) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("shihyo-api-home")
    env = {**os.environ, "SHIHYO_HOME": str(home), "SHIHYO_API_RATE_LIMIT": "100000", "SHIHYO_LOG_LEVEL": "WARNING"}
    env.pop("SHIHYO_DEBUG", None)
    env.pop("SHIHYO_DATABASE_URL", None)
    if postgres_database:
        env["SHIHYO_DATABASE_URL"] = postgres_database
    partial = Live("", env, home, {})
    partial.shihyo("init", "--no-account")
    for directory in (KOBE, MINATO):
        partial.shihyo("load", str(directory), "--by", "api-tests", "--reason", "api tests")
    partial.shihyo("round", "open", "r6-h1", "--name", "R6年度上期", "--period", "R6上期", "--programme", "minato")
    for name, (role, units) in ACCOUNTS.items():
        unit_args = [arg for unit in units for arg in ("--org-unit", unit)]
        partial.shihyo("user", "add", name, "--role", role, *unit_args, "--generate-password", "--programme", "minato")
    made = subprocess.run(
        [sys.executable, "-c", MAKE_TOKENS, *ACCOUNTS],
        env={**env, "DJANGO_SETTINGS_MODULE": "shihyo.web.settings"},
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    import json

    secrets = json.loads(made.stdout.strip().splitlines()[-1])
    with serving(home, env, home / "server.log", "/healthz") as url:
        yield Live(url, env, home, secrets)
