"""Reports of large programmes are written by a background job: the visitor waits on a page that shows the
progress; `shihyo worker` writes the file; the same address then serves it.

SHIHYO_REPORT_BACKGROUND_FROM=0 makes every programme "large", so the small test programme goes the way a
large one would.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.repository import save_dataset
from shihyo.web.dashboard import report_jobs
from shihyo.web.dashboard.models import ReportBuild
from tests.conftest import MINI
from tests.served import SHIHYO, environment, prepare, serving

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ADDRESS = "/report/download.xlsx?period=FY2021"


@pytest.fixture
def large(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.REPORT_BACKGROUND_FROM = 0
    settings.REPORT_CACHE_DIR = tmp_path / "reports"
    yield


@pytest.mark.db
@pytest.mark.django_db
def test_the_visitor_waits_on_the_progress_and_then_gets_the_file(
    large: None, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from shihyo.core import clock

    save_dataset(read_programme_dir(MINI), now=clock.now(), recorded_by="test", reason="load")
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        waiting = client.get(ADDRESS)
    assert waiting.status_code == 202 and waiting["Cache-Control"] == "no-store"
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh"' in html and "<progress" in html
    assert len(enqueued) == 1  # the job was put on the queue
    build = ReportBuild.objects.get()
    assert (build.state, build.fmt, build.period) == ("queued", "xlsx", "FY2021")
    assert client.get(ADDRESS).status_code == 202 and ReportBuild.objects.count() == 1  # the same job
    path = report_jobs.build_report.call(build.pk)  # what the worker runs
    build.refresh_from_db()
    assert (build.state, build.progress, build.path) == ("done", 100, path)
    done = client.get(ADDRESS)
    assert done.status_code == 200 and done["Content-Type"] == XLSX
    assert done.content == Path(path).read_bytes()


@pytest.mark.db
@pytest.mark.django_db
def test_a_failed_job_says_so_and_is_asked_for_again(
    large: None, client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shihyo.core import clock

    save_dataset(read_programme_dir(MINI), now=clock.now(), recorded_by="test", reason="load")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(ADDRESS)
    build = ReportBuild.objects.get()

    def broken(*args: object, **kwargs: object) -> list[Path]:
        raise OSError("disk full")

    monkeypatch.setattr(report_jobs, "write_reports", broken)
    with pytest.raises(OSError, match="disk full"):
        report_jobs.build_report.call(build.pk)
    build.refresh_from_db()
    assert build.state == "failed" and "disk full" in build.error
    page = client.get(ADDRESS).content.decode()
    assert "could not be written" in page or "作成できませんでした" in page
    assert "disk full" not in page  # the details are for the office's log, not the public page
    assert ReportBuild.objects.get().pk == build.pk
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        assert client.get(ADDRESS + "&again=1").status_code == 202  # a reload after the failure asks again
    assert len(enqueued) == 1 and ReportBuild.objects.get().state == "queued"


def test_through_the_real_server_and_worker(tmp_path: Path) -> None:
    env = environment(tmp_path / "home", SHIHYO_REPORT_BACKGROUND_FROM="0")
    prepare(env, MINI, {})
    with serving(env, tmp_path / "server.log") as base:
        url = base + ADDRESS
        with pytest.raises(urllib.error.HTTPError) as waiting:  # urllib treats 202 as success: check below
            raise_for_202(url)
        assert waiting.value.code == 202
        worker = subprocess.Popen(
            [str(SHIHYO), "worker", "--interval", "1"],
            env=env,
            stdout=(tmp_path / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                with urllib.request.urlopen(url, timeout=60) as answer:
                    if answer.status == 200:
                        assert answer.headers["Content-Type"] == XLSX and answer.read()[:2] == b"PK"
                        break
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text(errors="replace")
                time.sleep(1)
        finally:
            worker.terminate()
            worker.wait(timeout=20)


def raise_for_202(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as answer:
        if answer.status == 202:
            raise urllib.error.HTTPError(url, 202, "accepted", answer.headers, None)
