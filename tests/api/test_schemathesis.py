"""schemathesis against the live server (`shihyo serve`): every operation of /api/v1/openapi.json fuzzed
with a bounded number of cases, anonymously and with the programme office's write token. Every response
must be documented (status, content type, headers, body schema) and none may be a server error.

`positive_data_acceptance` is left out: it expects any request the schema allows to succeed, but a
schema-valid request can still name a code, period or date the programme does not have, which is a 400
with a problem naming the field — the answer the API should give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import Live

pytestmark = pytest.mark.db
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
EXAMPLES = "10"


def _run(live: Live, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{live.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--max-examples",
            EXAMPLES,
            "--seed",
            "13",
            "--no-shrink",
            "--request-timeout",
            "60",
            "--workers",
            "1",
            *extra,
        ],
        env={**live.env, "NO_COLOR": "1"},
        cwd=live.home,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _summary(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout[-6000:] + done.stderr[-2000:]


def test_anonymous_callers_get_no_server_error_and_no_schema_violation(live: Live) -> None:
    done = _run(live)
    assert done.returncode == 0, _summary(done)
    assert "passed" in done.stdout and "failures" not in done.stdout.split("SUMMARY")[-1], _summary(done)


def test_the_office_token_gets_no_server_error_and_no_schema_violation(live: Live) -> None:
    done = _run(live, "--header", f"Authorization: Bearer {live.tokens['office']}")
    assert done.returncode == 0, _summary(done)
    assert "passed" in done.stdout, _summary(done)
    log = (live.home / "server.log").read_text(errors="replace")
    assert "internal error" not in log, log[-3000:]
