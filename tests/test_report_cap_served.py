"""Anonymous report requests against the real `shihyo serve` with Kobe loaded: eight PDF requests at once
(eight different files: four years in two languages) are more than the writers allowed at once
(SHIHYO_REPORT_RENDERINGS, default 2): the extra ones are told 503 with Retry-After instead of queueing, the
overview stays quick meanwhile, and once written every file is served from disk."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import KOBE
from tests.served import environment, prepare, serving

FILES = [f"/report/download.pdf?period={p}#{lang}" for p in ("R1", "R2", "R3", "R4") for lang in ("ja", "en")]


def get(url: str) -> tuple[int, float, str]:
    """Status, seconds, Retry-After; a fragment #en asks in English (the language is the visitor's cookie)."""
    address, _, lang = url.partition("#")
    request = urllib.request.Request(address, headers={"Cookie": f"shihyo_language={lang or 'ja'}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            return response.status, time.perf_counter() - started, ""
    except urllib.error.HTTPError as refused:
        refused.read()
        return refused.code, time.perf_counter() - started, refused.headers.get("Retry-After", "")


@pytest.fixture(scope="module")
def kobe_server(tmp_path_factory: pytest.TempPathFactory) -> object:
    home = tmp_path_factory.mktemp("report-cap")
    env = environment(home)
    prepare(env, KOBE, {})
    with serving(env, home / "server.log") as url:
        yield url, home


def test_eight_anonymous_pdf_requests_at_once_are_bounded(kobe_server: tuple[str, Path]) -> None:
    base, home = kobe_server
    assert get(base + "/")[0] == 200  # the evaluation is warm, as on a running server
    with ThreadPoolExecutor(8) as pool:
        burst = [pool.submit(get, base + path) for path in FILES]
        time.sleep(0.3)
        overview = [get(base + "/") for _ in range(3)]
        answers = [f.result() for f in burst]
    statuses = Counter(status for status, _, _ in answers)
    assert set(statuses) <= {200, 503} and statuses[200] >= 1 and statuses[503] >= 1, statuses
    assert all(retry == "10" for status, _, retry in answers if status == 503)
    slowest_overview = max(seconds for _, seconds, _ in overview)
    assert all(status == 200 for status, _, _ in overview) and slowest_overview < 10

    pending = [path for path, (status, _, _) in zip(FILES, answers, strict=True) if status == 503]
    while pending:  # the refused ones come back later, as Retry-After asks (two at a time here)
        with ThreadPoolExecutor(2) as pool:
            again = list(pool.map(lambda path: get(base + path), pending))
        pending = [path for path, (status, _, _) in zip(pending, again, strict=True) if status != 200]
    written = sorted((home / "cache" / "reports").rglob("*.pdf"))
    assert len(written) == len(FILES)
    with ThreadPoolExecutor(8) as pool:
        cached = list(pool.map(lambda path: get(base + path), FILES))
    assert {status for status, _, _ in cached} == {200}
    slowest_cached = max(seconds for _, seconds, _ in cached)
    print(
        f"\n8 PDF requests at once: {statuses[200]} written, {statuses[503]} told 503 (Retry-After 10); "
        f"overview meanwhile at most {slowest_overview:.2f} s; all 8 again from disk: at most {slowest_cached:.2f} s"
    )
    assert slowest_cached < 5
