"""Set-up for the browser tests.

- `server`: a temporary SHIHYO_HOME with both bundled programmes (Kobe first, then みなと市) loaded by the
  installed `shihyo load`, served by `shihyo serve` (waitress, the real server) on a free loopback port.
  Yields the base URL and stops the server afterwards.
- `chromium`: Debian's Chromium (/usr/bin/chromium) driven by Playwright's sync API. Skips with the reason
  when it is missing (and tests/conftest.py turns that skip into a failure when CI=true).
- `web`: opens pages in Japanese or English at a given screen size and records what must not happen on any
  page: console errors, uncaught script errors, failed requests and responses with status >= 400. A test
  calls `web.assert_clean()`; the fixture checks again when the test ends.

The server and the browser are package-scoped (they live while tests/browser runs), not session-scoped: a
live Playwright sync API keeps an asyncio loop running in the main thread, and Django then refuses ORM calls
(SynchronousOnlyOperation) in the database tests that run after this folder.

Screenshots, axe results and the server log go to $SHIHYO_ARTIFACTS (default: <tmp>/shihyo-artifacts);
the path is printed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)

from shihyo import examples

ROOT = Path(__file__).resolve().parents[2]
KOBE = examples.path("kobe")
MINATO = examples.path("minato")
SHIHYO = Path(sys.executable).parent / "shihyo"
CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium as root, with nothing that reaches outside this machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--mute-audio",
]
ARTIFACTS = Path(os.environ.get("SHIHYO_ARTIFACTS") or Path(tempfile.gettempdir()) / "shihyo-artifacts").resolve()
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_RESULTS = ARTIFACTS / "axe"

DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
LANGUAGES = ("ja", "en")

# Every page type, by a short name used in test ids and screenshot names.
PAGES: dict[str, str] = {
    "overview": "/",
    "indicator-mnc_rate": "/indicators/mnc_rate/",  # comparison chart
    "indicator-cert_total": "/indicators/cert_total/",  # stacked bars
    "indicator-pc_small_rate": "/indicators/pc_small_rate/",  # bars and a line on two axes
    "indicator-print_index": "/indicators/print_index/",  # index against its target path
    "indicator-smart_coverage": "/indicators/smart_coverage/",  # trend
    "roadmap": "/roadmap/",
    "organisation": "/organisation/",
    "summary": "/summary/",
    "overview-minato": "/?programme=minato",  # the second programme, chosen in the address
    "indicator-minato-overtime": "/indicators/overtime_per_capita/?programme=minato",
}

_used: list[Path] = []


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`shihyo serve` exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"`shihyo serve` did not answer {url} within {seconds:.0f} s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="package")
def artifacts() -> Path:
    for folder in (SCREENSHOTS, AXE_RESULTS):  # only our own sub-folders: never a folder the user named
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    _used.append(ARTIFACTS)
    return ARTIFACTS


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The dashboard on both bundled programmes (Kobe loaded first, so it is the default, then みなと市),
    served by `shihyo serve` on 127.0.0.1; yields its base URL."""
    home = tmp_path_factory.mktemp("shihyo-home")
    env = {**os.environ, "SHIHYO_HOME": str(home)}
    for name in ("SHIHYO_DATABASE_URL", "SHIHYO_DEBUG"):
        env.pop(name, None)
    for directory in (KOBE, MINATO):  # Kobe first: the pages without ?programme= show it
        loaded = subprocess.run(
            [str(SHIHYO), "load", str(directory), "--by", "browser-tests", "--reason", "browser tests"],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert loaded.returncode == 0, f"shihyo load {directory.name} failed:\n{loaded.stdout}\n{loaded.stderr}"
    with serving(home, env, artifacts / "server.log", "/") as url:
        yield url


@contextmanager
def serving(home: Path, env: dict[str, str], log: Path, probe: str) -> Iterator[str]:
    """`shihyo serve` on a free loopback port, its output in `log`, until the block ends; yields the base URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SHIHYO), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=home,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url + probe, process, log)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium "
            "(`apt-get install chromium chromium-driver`, which .ci/run does)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Web:
    """Opens pages and keeps what went wrong on them."""

    browser: Browser
    base: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def new_page(self, lang: str = "ja", size: ViewportSize = DESKTOP) -> Page:
        """A page in a fresh browser context. Japanese is the default: no cookie. English is the
        visitor's choice in the `shihyo_language` cookie; the browser's own language is set to the other
        one on purpose, since the dashboard must not follow it."""
        context = self.browser.new_context(
            viewport=size,
            locale="ja-JP" if lang == "en" else "en-US",
            accept_downloads=True,
            base_url=self.base,
        )
        context.set_default_timeout(20_000)
        if lang != "ja":
            context.add_cookies([{"name": "shihyo_language", "value": lang, "url": self.base}])
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught script error on {page.url}: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        return page

    def open(self, path: str, lang: str = "ja", size: ViewportSize = DESKTOP) -> Page:
        page = self.new_page(lang, size)
        self.goto(page, path)
        return page

    def goto(self, page: Page, path: str) -> None:
        response = page.goto(path, wait_until="load")
        assert response is not None and response.ok, f"GET {path}: {response.status if response else 'no response'}"
        self.settle(page)

    @staticmethod
    def settle(page: Page) -> None:
        """Wait until the chart, where the page has one, has been drawn."""
        page.wait_for_load_state("load")
        if page.locator("#chart").count():
            page.wait_for_selector("#chart svg .role-mark", state="attached")

    def screenshot(self, page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        """No console errors, no script errors, no failed requests, no responses >= 400."""
        if self.warnings:
            print("warnings (not failures):\n  " + "\n  ".join(self.warnings))
        found = list(self.problems)
        self.problems.clear()
        self.warnings.clear()
        assert not found, "problems in the browser:\n  " + "\n  ".join(found)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()

    def _console(self, message: ConsoleMessage) -> None:
        text = f"console {message.type} on {message.page.url if message.page else '?'}: {message.text}"
        if message.type in ("error", "assert"):
            self.problems.append(text)
        elif message.type == "warning":
            self.warnings.append(text)

    def _failed(self, request: Request) -> None:
        text = f"request failed: {request.method} {request.url} ({request.failure})"
        if request.failure == "net::ERR_ABORTED":
            # Cancelled by the browser itself: a link followed as a download, or a request still running (the
            # favicon) when the test moved on to the next page. A server that breaks off a response shows up
            # as ERR_EMPTY_RESPONSE, ERR_CONNECTION_RESET and the like, which count.
            self.warnings.append(text)
        else:
            self.problems.append(text)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


@pytest.fixture
def web(chromium: Browser, server: str) -> Iterator[Web]:
    helper = Web(chromium, server)
    try:
        yield helper
    finally:
        helper.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _used:
        terminalreporter.write_line(f"browser test artifacts (screenshots, axe results, server log): {_used[0]}")
