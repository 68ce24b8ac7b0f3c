"""`shihyo serve` behind a TLS-terminating reverse proxy, as a city runs it in production.

The proxy is written here: a small HTTP server on loopback that forwards every request to the real
`shihyo serve` from 127.0.0.2 (the proxy's own address) and adds X-Forwarded-Proto: https and
X-Forwarded-For, as nginx or IIS ARR do after terminating TLS. SHIHYO_TRUSTED_PROXIES names 127.0.0.2 only,
so a client reaching the server directly from 127.0.0.1 cannot claim https or another address."""

from __future__ import annotations

import http.client
import re
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import MINI
from tests.served import PASSWORD, SECRET, SHIHYO, environment, free_port, prepare, serving

PROXY_ADDRESS = "127.0.0.2"
CLIENT = "203.0.113.7"  # the address the proxy says the client has (TEST-NET-3)
HOST = "shihyo.test"


def proxy_for(backend: str) -> ThreadingHTTPServer:
    target = urlsplit(backend)

    class Forward(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "x-forwarded-proto")}
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = CLIENT
            upstream = http.client.HTTPConnection(
                target.hostname or "", target.port, timeout=60, source_address=(PROXY_ADDRESS, 0)
            )
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_POST = do_HEAD = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Forward)


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(proxy URL, server URL, SHIHYO_HOME) of a production set-up: HTTPS, own secret key, trusted proxy."""
    home = tmp_path_factory.mktemp("proxied")
    env = environment(
        home,
        SHIHYO_HTTPS="1",
        SHIHYO_SECRET_KEY=SECRET,
        SHIHYO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SHIHYO_TRUSTED_PROXIES=PROXY_ADDRESS,
    )
    prepare(env, MINI, {"office": "admin"})
    with serving(env, home / "server.log") as server:
        proxy = proxy_for(server)
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{proxy.server_address[1]}", server, home
        finally:
            proxy.shutdown()
            proxy.server_close()


def request(
    base: str, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=60)
    connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    """Each Set-Cookie by name, with its attributes."""
    return {value.split("=", 1)[0]: value for value in response.headers.get_all("Set-Cookie") or []}


def test_through_the_proxy_pages_answer_200_with_hsts_and_no_redirect_loop(
    behind_proxy: tuple[str, str, Path],
) -> None:
    proxy, _server, _home = behind_proxy
    for path in ("/", "/summary/", "/login/"):
        response = request(proxy, "GET", path)
        assert response.status == 200, (path, response.status, response.headers.get("Location"))
        hsts = response.headers.get("Strict-Transport-Security") or ""
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_sign_in_through_the_proxy_sets_secure_cookies_and_records_the_client_address(
    behind_proxy: tuple[str, str, Path],
) -> None:
    proxy, _server, home = behind_proxy
    form = request(proxy, "GET", "/login/")
    csrf_cookie = cookies(form)["csrftoken"]
    assert "Secure" in csrf_cookie and "HttpOnly" not in csrf_cookie
    token = csrf_cookie.split("=", 1)[1].split(";", 1)[0]
    origin = {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/login/", "Cookie": f"csrftoken={token}"}
    form_headers = {**origin, "Content-Type": "application/x-www-form-urlencoded"}
    guess = f"csrfmiddlewaretoken={token}&username=office&password=wrong"
    wrong = request(proxy, "POST", "/login/", guess, form_headers)
    assert wrong.status == 401
    signed_in = request(
        proxy, "POST", "/login/", f"csrfmiddlewaretoken={token}&username=office&password={PASSWORD}", form_headers
    )
    assert signed_in.status == 302 and signed_in.headers["Location"] == "/collection/"
    session = cookies(signed_in)["sessionid"]
    assert re.search(r";\s*Secure", session) and "HttpOnly" in session
    # the throttle counted the failure against the client the proxy named, not the proxy
    with sqlite3.connect(home / "shihyo.sqlite3") as db:
        addresses = {row[0] for row in db.execute("select address from collection_loginfailure")}
    assert addresses == {CLIENT}


def test_a_client_that_is_not_the_proxy_cannot_claim_https(behind_proxy: tuple[str, str, Path]) -> None:
    _proxy, server, _home = behind_proxy
    forged = request(server, "GET", "/summary/", headers={"X-Forwarded-Proto": "https"})
    assert forged.status == 301 and forged.headers["Location"] == f"https://{HOST}/summary/"


@pytest.mark.parametrize(
    ("host", "extra"),
    [("0.0.0.0", {}), ("127.0.0.1", {"SHIHYO_HTTPS": "1", "SHIHYO_TRUSTED_PROXIES": "127.0.0.1"})],
    ids=["all-addresses", "https"],
)
def test_serve_refuses_production_mode_with_the_development_key(
    tmp_path: Path, host: str, extra: dict[str, str]
) -> None:
    env = environment(tmp_path, SHIHYO_ALLOWED_HOSTS=HOST, **extra)
    done = subprocess.run(
        [str(SHIHYO), "serve", "--host", host, "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    message = " ".join(done.stderr.split())
    assert "開発用の秘密鍵では起動しません" in message and "SHIHYO_SECRET_KEY" in message
    assert "secrets.token_urlsafe(50)" in message and "Traceback" not in done.stderr


def test_serve_on_this_computer_warns_about_the_development_key(tmp_path: Path) -> None:
    env = environment(tmp_path)
    with serving(env, tmp_path / "server.log") as url:
        assert url.startswith("http://127.0.0.1:")
    log = " ".join((tmp_path / "server.log").read_text(encoding="utf-8").split())
    assert "the public development secret key is in use" in log and "SHIHYO_SECRET_KEY" in log
