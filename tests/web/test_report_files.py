"""Anonymous report downloads are bounded work: each file is written once per data version and as-of moment
and then served from disk, parallel requests for one file wait for one writer and never get half a file,
anonymous as-of dates share the moment the published data last changed, and beyond the cap of writers at
once the visitor gets a polite 503 with Retry-After. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from shihyo.core.model import Dataset
from shihyo.reports import build
from shihyo.web.catalogue.repository import save_dataset

pytestmark = [pytest.mark.db]
TOKYO = ZoneInfo("Asia/Tokyo")
T0 = datetime(2022, 4, 1, 9, 0, tzinfo=TOKYO)
T1 = datetime(2022, 9, 1, 9, 0, tzinfo=TOKYO)


class Writes:
    """Counts the report files actually written (the real writers do the work)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.formats: list[str] = []
        self.before: Callable[[], None] = lambda: None
        real = build.write_reports

        def counted(model: Any, formats: list[str], folder: Path, stem: str) -> list[Path]:
            self.formats.extend(formats)
            self.before()
            return real(model, formats, folder, stem)

        monkeypatch.setattr("shihyo.web.dashboard.downloads.write_reports", counted)  # the name it calls


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> Writes:
    return Writes(monkeypatch)


def store(mini: Dataset, now: datetime = T0, online_2021: str | None = None) -> None:
    observations = mini.observations
    if online_2021 is not None:
        observations = tuple(
            replace(o, value=Decimal(online_2021), text=online_2021)
            if o.code == "online" and o.org_unit == "city" and o.period.key == "FY2021"
            else o
            for o in observations
        )
    save_dataset(replace(mini, observations=observations), now=now, recorded_by="office", reason="test")


def cells(xlsx: bytes) -> str:
    book = zipfile.ZipFile(io.BytesIO(xlsx))
    return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))


@pytest.mark.django_db
def test_a_report_is_written_once_and_served_from_disk_until_the_data_change(
    mini: Dataset, writes: Writes, report_file_cache: Path
) -> None:
    store(mini)
    first = Client().get("/report/download.pdf")
    again = Client().get("/report/download.pdf")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and first.content.startswith(b"%PDF")
    assert 'filename="mini-report-FY2021-ja.pdf"' in again["Content-Disposition"]
    assert writes.formats == ["pdf"], "the second request was served from disk"
    kept = list(report_file_cache.rglob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == first.content

    store(mini, now=T1, online_2021="999")  # a new revision: a new data version
    changed = Client().get("/report/download.pdf")
    assert changed.status_code == 200 and changed.content != first.content
    assert writes.formats == ["pdf", "pdf"]
    assert [p.read_bytes() for p in report_file_cache.rglob("*.pdf")] == [changed.content], "older version removed"


def _download(path: str) -> tuple[int, bytes]:
    try:
        response = Client().get(path)
        return response.status_code, response.content
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_missing_report_get_one_whole_file(mini: Dataset, writes: Writes) -> None:
    store(mini)
    gate = threading.Barrier(6)

    def request(_: int) -> tuple[int, bytes]:
        gate.wait(timeout=60)
        return _download("/report/download.pdf")

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(request, range(6)))
    assert {status for status, _ in answers} == {200}
    bodies = {body for _, body in answers}
    assert len(bodies) == 1, "every request got the same file"
    (body,) = bodies
    assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF"), "a whole PDF, never half of one"
    assert writes.formats == ["pdf"], "written once: the others waited for it"


@pytest.mark.django_db(transaction=True)
def test_beyond_the_cap_of_writers_a_visitor_gets_a_polite_503(
    mini: Dataset, writes: Writes, settings: Any
) -> None:
    settings.REPORT_RENDERINGS = 1
    store(mini)
    writing, release = threading.Event(), threading.Event()

    def hold() -> None:  # the first writer holds its slot until the test has asked for another file
        if not writing.is_set():
            writing.set()
            assert release.wait(timeout=60)

    writes.before = hold
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(_download, "/report/download.pdf")
        assert writing.wait(timeout=60)
        busy = Client().get("/report/download.xlsx")
        english = Client()
        english.cookies["shihyo_language"] = "en"
        busy_en = english.get("/report/download.pptx")
        release.set()
        status, body = first.result(timeout=120)
    assert status == 200 and body.startswith(b"%PDF")
    assert busy.status_code == 503 and busy["Retry-After"] == "10"
    page = busy.content.decode()
    assert "報告書の作成が混み合っています" in page and "10秒ほど待ってから" in page and 'class="site-header' in page
    assert busy_en.status_code == 503 and "try again in about 10 seconds" in busy_en.content.decode()
    assert Client().get("/report/download.xlsx").status_code == 200, "once a writer is free it is written"
    assert writes.formats == ["pdf", "xlsx"]


@pytest.mark.django_db
def test_anonymous_as_of_dates_share_the_moment_the_published_data_last_changed(
    mini: Dataset, writes: Writes, report_file_cache: Path
) -> None:
    store(mini)
    store(mini, now=T1, online_2021="999")
    for day in ("2022-06-30", "2022-07-15", "2022-08-31"):  # all after T0, before T1
        response = Client().get(f"/report/download.xlsx?as_of={day}")
        assert response.status_code == 200
        assert "2022-04-01 09:00" in cells(response.content), "labelled with the moment the data are from"
    for day in ("2022-09-01", "2030-01-01"):  # at and after the newest revision
        assert Client().get(f"/report/download.xlsx?as_of={day}").status_code == 200
    assert writes.formats == ["xlsx", "xlsx"], "five dates, two published states, two files"
    assert len(list(report_file_cache.rglob("*.xlsx"))) == 2

    office = User.objects.create_user("office-user", password="not-used-here-1")
    signed_in = Client()
    signed_in.force_login(office)
    for day in ("2022-06-30", "2022-07-15"):
        assert signed_in.get(f"/report/download.xlsx?as_of={day}").status_code == 200
    assert len(writes.formats) == 4, "a signed-in user's as-of date is taken as asked"

    before = Client().get("/?as_of=2000-01-01")
    assert before.status_code == 400 and "2000-01-01" in before.content.decode(), "no clamping before the start"


@pytest.mark.django_db
def test_with_two_programmes_each_is_clamped_to_its_own_moments(mini: Dataset) -> None:
    store(mini)  # at T0
    other = replace(mini, programme=replace(mini.programme, code="mini2", name="第二のプログラム"))
    save_dataset(other, now=T1, recorded_by="office", reason="test")
    page = Client().get("/?programme=mini&as_of=2022-10-01")  # mini last changed at T0, mini2 only at T1
    assert page.status_code == 200, page.content.decode()[:500]
    assert "第二のプログラム" in page.content.decode(), "the header offers the programme loaded later"
    assert Client().get("/?programme=mini2&as_of=2022-10-01").status_code == 200
    early = Client().get("/?programme=mini&as_of=2022-05-01")  # before mini2 was loaded: not offered then
    assert early.status_code == 200 and "第二のプログラム" not in early.content.decode()
