"""Two real server processes on one PostgreSQL database sharing one Redis cache (SHIHYO_CACHE_URL): a
figure approved through process A is on process B's next page, though B had the page in the cache."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MINI

pytestmark = [pytest.mark.postgres]
SHIHYO = Path(sys.executable).parent / "shihyo"
REDIS_URL = os.environ.get("SHIHYO_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "a-long-enough-password-1"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def _redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return None
    except Exception as exc:
        return f"Redis at {REDIS_URL} is not reachable ({type(exc).__name__}: {exc}); .ci/run starts redis-server"


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database with the test programme, two accounts and a round; dropped afterwards."""
    import psycopg

    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("SHIHYO_DATABASE_URL does not point at PostgreSQL (make pytest-postgres)")
    problem = _redis_problem()
    if problem:
        pytest.skip(problem)
    server = url.rsplit("/", 1)[0]
    name = f"{url.rsplit('/', 1)[1]}_two_processes_{os.getpid()}"
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "SHIHYO_HOME": str(tmp_path / "home"),
        "SHIHYO_DATABASE_URL": f"{server}/{name}",
        "SHIHYO_CACHE_URL": REDIS_URL,
        "SHIHYO_LOG_LEVEL": "WARNING",
    }
    try:
        for args, stdin in (
            (["init", "--no-account"], None),
            (["load", str(MINI), "--by", "test"], None),
            (["user", "add", "office", "--role", "admin", "--password-stdin"], PASSWORD + "\n"),
            (["user", "add", "checker", "--role", "reviewer", "--password-stdin"], PASSWORD + "\n"),
            (["round", "open", "r3", "--name", "R3", "--period", "R3", "--series", "online", "--org-unit", "city",
              "--due", "2099-03-31", "--by", "test"], None),
        ):  # fmt: skip
            done = subprocess.run(
                [str(SHIHYO), *args], env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False
            )
            assert done.returncode == 0, f"shihyo {' '.join(args)}: {done.stdout}\n{done.stderr}"
        yield env
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def two_servers(environment: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    processes, bases = [], []
    try:
        for label in ("a", "b"):
            port = _free_port()
            log = (tmp_path / f"server-{label}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [str(SHIHYO), "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4"],
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, "shihyo serve exited"
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{base} did not answer"
                time.sleep(0.2)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """A visitor with cookies, through one server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read().decode()
        except urllib.error.HTTPError as error:  # 304 and 4xx
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()

    def post(self, path: str, fields: dict[str, str], form_on: str | None = None) -> tuple[int, str]:
        """Post a form of the page `form_on` (default: `path` itself) to `path`."""
        _, _, page = self.get(form_on or path)
        token = TOKEN.search(page)
        assert token, f"no form on {path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=60) as answer:
            return answer.status, answer.read().decode()

    def sign_in(self, user: str) -> None:
        status, page = self.post("/login/", {"username": user, "password": PASSWORD})
        assert status == 200 and ("Sign out" in page or "ログアウト" in page), "signed in"

    def version(self, path: str) -> str:
        found = VERSION.search(self.get(path)[2])
        assert found
        return found.group(1)


def test_a_write_through_one_process_is_seen_by_the_other(two_servers: tuple[str, str]) -> None:
    import redis

    a, b = two_servers
    page = "/indicators/online_share/?period=FY2021"
    public_b = Browser(b)
    status, headers, before = public_b.get(page)
    assert status == 200 and "etag" in headers, headers
    status, again, _ = public_b.get(page, {"If-None-Match": headers["etag"]})
    assert status == 304 and again["etag"] == headers["etag"], "B serves its page from the shared cache"
    shared = redis.Redis.from_url(REDIS_URL)
    assert any(b"page:" in key for key in shared.scan_iter(match="shihyo:*")), "the page is kept in Redis"
    # process A also answers from the shared cache, with the same ETag
    assert Browser(a).get(page, {"If-None-Match": headers["etag"]})[0] == 304

    # through A: the office enters 1234567 for the city's online applications in R3, a reviewer approves
    office, checker = Browser(a), Browser(a)
    office.sign_in("office")
    submission = "/collection/mini/r3/city/"
    status, _ = office.post(
        submission,
        {"version": office.version(submission), "v-online-FY2021": "1234567", "c-online-FY2021": "再集計"},
    )
    assert status == 200
    checker.sign_in("checker")
    status, _ = checker.post(
        submission + "review/",
        {"version": checker.version(submission), "action": "approve", "comment": ""},
        form_on=submission,
    )
    assert status == 200

    # B's very next request has the new figure
    status, fresh, after = public_b.get(page, {"If-None-Match": headers["etag"]})
    assert status == 200 and fresh["etag"] != headers["etag"]
    # the new revision in the history, and the share recomputed from it: 1,234,567 ÷ 1,235,167 = 100.0%
    assert "1234567" in after and "1234567" not in before
    assert "57.1%" in before and "100.0%" in after
