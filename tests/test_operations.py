"""Operating shihyo: `shihyo check`, /healthz, the logs, and the README's table of environment variables."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shihyo.web.logging import HEADER
from tests.conftest import MINI, ROOT

SHIHYO = Path(sys.executable).parent / "shihyo"
UNREACHABLE = "postgresql://postgres@127.0.0.1:9/shihyo_nowhere"  # port 9 (discard): nothing listens


def process(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return process([str(SHIHYO), *args], env)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_readme_lists_every_environment_variable_the_code_reads() -> None:
    read: set[str] = set()
    for path in (ROOT / "src" / "shihyo").rglob("*.py"):
        read |= set(re.findall(r"\bSHIHYO_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- environment:start -->") : readme.index("<!-- environment:end -->")]
    listed = set(re.findall(r"^\| `(SHIHYO_[A-Z0-9_]+)`", section, flags=re.MULTILINE))
    assert sorted(read - listed) == [], "add these to the README's table of environment variables"
    assert sorted(listed - read) == [], "the README lists variables no code reads"


def test_check_names_each_problem_and_how_to_fix_it(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    done = run("check", "--lang", "en", env={"SHIHYO_HOME": str(blocked / "home"), "SHIHYO_DATABASE_URL": UNREACHABLE})
    assert done.returncode == 1
    lines = {line.split(":")[0].split(None, 1)[1]: line for line in done.stdout.splitlines() if ":" in line[:40]}
    assert lines["data directory"].startswith("problem") and "set SHIHYO_HOME" in lines["data directory"]
    assert lines["database"].startswith("problem") and "cannot be reached" in lines["database"]
    assert "check SHIHYO_DATABASE_URL" in lines["database"]
    assert lines["report fonts"].startswith("OK")
    assert "Traceback" not in done.stdout + done.stderr


def test_init_names_a_database_it_cannot_open(tmp_path: Path) -> None:
    done = run(
        "init", "--no-account", "--lang", "en", env={"SHIHYO_HOME": str(tmp_path), "SHIHYO_DATABASE_URL": UNREACHABLE}
    )
    said = " ".join(done.stderr.split())  # the error console wraps long lines
    assert done.returncode == 1
    assert "cannot be opened" in said and "127.0.0.1:9/shihyo_nowhere" in said and "shihyo check" in said
    assert "Traceback" not in said


def test_check_says_when_the_database_needs_this_releases_migrations(tmp_path: Path) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "shihyo.sqlite3").close()  # an empty database: nothing migrated
    done = run("check", "--lang", "ja", env={"SHIHYO_HOME": str(tmp_path)})
    assert done.returncode == 1
    database = next(line for line in done.stdout.splitlines() if "database:" in line)
    assert database.startswith("problem") and "未適用" in database and "shihyo init" in database


@pytest.mark.db
@pytest.mark.django_db
def test_healthz_answers_without_data(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.post("/healthz").status_code == 405


@pytest.mark.db
@pytest.mark.django_db
def test_request_id_is_kept_from_the_caller_or_made(client: Client) -> None:
    given = client.get("/healthz", headers={HEADER: "lb-0123456789abcdef"})
    assert given[HEADER] == "lb-0123456789abcdef"
    made = client.get("/healthz", headers={HEADER: "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", made[HEADER])


# a request in a process of its own, with its settings from the environment (the database may be unreachable)
REQUEST = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "shihyo.web.settings"
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # lets the test client's host name in; changes nothing else that matters here
if os.environ.get("MIGRATE"):
    call_command("migrate", verbosity=0)
response = Client(raise_request_exception=False).get(sys.argv[1], headers={"X-Request-ID": "probe-0123456789"})
print(response.status_code)
print(response.content.decode())
"""


def request_in_process(path: str, **env: str) -> tuple[int, str, list[dict[str, Any]]]:
    done = process([sys.executable, "-c", REQUEST, path], {"SHIHYO_LOG_FORMAT": "json", **env})
    status, _, body = done.stdout.partition("\n")
    return int(status), body, json_lines(done.stderr)


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    status, body, logs = request_in_process("/healthz", SHIHYO_HOME=str(tmp_path), SHIHYO_DATABASE_URL=UNREACHABLE)
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    line = next(line for line in logs if line["logger"] == "shihyo.request")
    assert (line["status"], line["path"], line["request_id"]) == (503, "/healthz", "probe-0123456789")


def test_internal_error_is_logged_with_its_traceback_and_request_id_never_shown(tmp_path: Path) -> None:
    status, body, logs = request_in_process("/", SHIHYO_HOME=str(tmp_path), SHIHYO_DATABASE_URL=UNREACHABLE)
    assert status == 500
    assert "probe-0123456789" in body, "the apology gives the request id to quote"
    shown = body.replace("500", "").replace("probe-0123456789", "")
    assert "Traceback" not in body and "9" not in shown  # no address, no driver message
    error = next(line for line in logs if line["level"] == "ERROR" and "traceback" in line)
    assert error["request_id"] == "probe-0123456789"
    assert "OperationalError" in error["traceback"]
    request = next(line for line in logs if line["logger"] == "shihyo.request")
    assert request["status"] == 500 and request["duration_ms"] >= 0 and request["user"] == "-"


def test_text_log_line_per_request(tmp_path: Path) -> None:
    status, _, _ = request_in_process("/healthz", SHIHYO_HOME=str(tmp_path), MIGRATE="1")
    assert status == 200
    done = process(
        [sys.executable, "-c", REQUEST, "/healthz"], {"SHIHYO_HOME": str(tmp_path), "SHIHYO_LOG_FORMAT": "text"}
    )
    line = next(line for line in done.stderr.splitlines() if "shihyo.request" in line)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO shihyo\.request "
        r"\[probe-0123456789 -\] GET /healthz 200 [\d.]+ ms",
        line,
    )


def test_one_log_line_per_command(tmp_path: Path) -> None:
    env = {"SHIHYO_HOME": str(tmp_path), "SHIHYO_LOG_FORMAT": "json"}
    ok = run("validate", str(MINI), env=env)
    refused = run("validate", str(tmp_path / "missing"), env=env)
    (line,) = [x for x in json_lines(ok.stderr) if x["logger"] == "shihyo.command"]
    assert (line["command"], line["exit_code"]) == ("validate", 0)
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) and line["user"] and line["duration_ms"] > 0
    (line,) = [x for x in json_lines(refused.stderr) if x["logger"] == "shihyo.command"]
    assert (line["command"], line["exit_code"]) == ("validate", 1)


def test_version_is_one_everywhere() -> None:
    import shihyo

    done = run("--version", env={})
    assert done.stdout.strip() == f"shihyo {shihyo.__version__}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {shihyo.__version__} " in changelog, "CHANGELOG.md needs a section for this version"
