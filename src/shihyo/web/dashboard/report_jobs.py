"""Large programmes' reports are written by a background job, with the progress on the waiting page.

A PDF of a few hundred indicators takes longer than a visitor should hold a server thread. For a programme
with at least SHIHYO_REPORT_BACKGROUND_FROM indicators (default 150; Kobe has 77), asking for a report
that is not on disk yet records a `ReportBuild` and enqueues `build_report` on Django's task framework (the django-tasks
backport, its database backend: the queue is a table of shihyo's own database). `shihyo worker` runs the
jobs. The visitor gets a page that shows the stage and percentage and reloads itself; once the file is
written the same address serves it, from the report cache of `report_files` like any other report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django_tasks import task

from shihyo.core import clock
from shihyo.core.periods import parse_period
from shihyo.reports.build import report_for, write_reports
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.dashboard import report_files
from shihyo.web.dashboard.downloads import as_of_label
from shihyo.web.dashboard.models import ReportBuild

STAGES = {"evaluating": 10, "model": 35, "pdf": 50, "pptx": 50, "xlsx": 50, "done": 100}
STALE_AFTER = 3600  # seconds: a job queued or running this long without a word is asked for again


def in_background(state: ProgrammeState) -> bool:
    """Whether this programme's reports are written by a background job."""
    return len(state.programme.indicators) >= int(settings.REPORT_BACKGROUND_FROM)


def key_text(key: report_files.ReportKey) -> str:
    return f"{key.programme}/{key.version}/{key.name()}"


def on_disk(key: report_files.ReportKey) -> Path | None:
    path = key.folder(report_files.cache_root()) / key.name()
    return path if path.is_file() else None


def request(key: report_files.ReportKey, *, again: bool = False) -> ReportBuild:
    """The job writing `key`: the one already asked for, or a new one, enqueued. A silent one is asked for
    again; a failed one stays (its page says so) until the visitor asks `again`."""
    now = clock.now()
    found = ReportBuild.objects.filter(key=key_text(key)).first()
    if found is not None:
        silent = (now - found.updated_at).total_seconds() > STALE_AFTER
        if found.state == ReportBuild.State.DONE and Path(found.path).is_file():
            return found
        if found.state in (ReportBuild.State.QUEUED, ReportBuild.State.RUNNING) and not silent:
            return found
        if found.state == ReportBuild.State.FAILED and not again:
            return found
        found.delete()  # asked again after a failure, silent, or its file was removed
    fields = {"programme": key.programme, "version": key.version, "as_of": key.as_of, "period": key.period}
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                key=key_text(key), lang=key.lang, fmt=key.fmt, created_at=now, updated_at=now, **fields
            )
    except IntegrityError:  # asked for at the same moment by another visitor: wait on that one
        return ReportBuild.objects.get(key=key_text(key))
    transaction.on_commit(lambda: build_report.enqueue(build.pk))
    return build


def _mark(build: ReportBuild, stage: str, **more: object) -> None:
    ReportBuild.objects.filter(pk=build.pk).update(
        stage=stage, progress=STAGES.get(stage, build.progress), updated_at=clock.now(), **more
    )


@task()
def build_report(build_id: int) -> str:
    """Write the report of one `ReportBuild` into the report cache; returns its path."""
    build = ReportBuild.objects.filter(pk=build_id).first()
    if build is None:
        return ""
    _mark(build, "evaluating", state=ReportBuild.State.RUNNING)
    try:
        state = evaluate_programme(build.programme, build.as_of)
        period = parse_period(build.period)
        # the data as the job finds it: a newer version than asked for is written under its own version
        key = report_files.ReportKey(
            build.programme, str(state.version), build.as_of, build.period, build.lang, build.fmt
        )
        stem = f"{state.result.programme.code}-report-{period.key}-{build.lang}"

        def write(folder: Path) -> Path:
            _mark(build, "model")
            model = report_for(state, period, build.lang, as_of_label(state, build.lang))
            (path,) = write_reports(model, [build.fmt], folder, stem, progress=lambda fmt: _mark(build, fmt))
            return path

        path = report_files.report_path(key, write, wait=True)
    except Exception as exc:
        _mark(build, "failed", state=ReportBuild.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    _mark(build, "done", state=ReportBuild.State.DONE, path=str(path))
    return str(path)


def waiting_seconds(build: ReportBuild) -> int:
    """How long the visitor has waited, for the page."""
    return int((datetime.now(UTC) - build.created_at).total_seconds())
