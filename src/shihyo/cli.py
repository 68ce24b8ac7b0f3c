"""The `shihyo` command: validate, load, compute, reconcile, targets, export, history."""

from __future__ import annotations

import csv
import importlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from shihyo.core import clock, inputs
from shihyo.core.labels import label
from shihyo.core.periods import Period
from shihyo.core.problems import UserError
from shihyo.io.cells import neutralise

if TYPE_CHECKING:
    from shihyo.web.catalogue.evaluation import ProgrammeState
LOG_NAME = Path("log") / "shihyo.log"


def log_path() -> Path:
    """Where internal errors are written: SHIHYO_HOME/log/shihyo.log."""
    return Path(os.environ.get("SHIHYO_HOME", "var")) / LOG_NAME


def _log_internal_error(exc: BaseException) -> Path:
    """Append the traceback to the log file (one record per failure, with the command line and time)."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("shihyo.crash")  # to the log file only: no traceback on the terminal
    logger.propagate = False
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    try:
        logger.error("internal error in: shihyo %s", " ".join(sys.argv[1:]), exc_info=exc)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path


class _Commands(typer.core.TyperGroup):
    """Every command runs here: user errors exit 1 with their message, anything else exits 2 with one line
    and the log file that holds the traceback (the user never sees a traceback)."""

    def invoke(self, ctx: Any) -> Any:  # the context class is private to typer
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except UserError as exc:
            _fail(exc)
        except Exception as exc:
            try:
                where = str(_log_internal_error(exc))
            except OSError as log_error:
                where = f"(the log could not be written: {log_error.strerror})"
            err.print(
                f"[bold red]internal error / 内部エラー:[/] {type(exc).__name__} — "
                f"details written to / 詳細の記録先: {where}",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    help="shihyo (指標): run a reform roadmap by its numbers. Set SHIHYO_DATABASE_URL for PostgreSQL; "
    "the default is an SQLite file under SHIHYO_HOME (./var).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)
TZ = ZoneInfo("Asia/Tokyo")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


ProgrammeOption = Annotated[
    str | None, typer.Option("--programme", "-p", help="Programme code (when several are loaded).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Use the data as it stood then: 2026-11-23 (end of that day) or 2026-11-23T09:30."),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of names and numbers: ja or en.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (CSV: UTF-8 with BOM, CRLF) instead of stdout."),
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _fail(error: UserError, lang: str = "ja") -> None:
    err.print(f"[bold red]error:[/] {escape(error.render(lang))}", highlight=False)  # the text is not markup
    raise typer.Exit(1)


@contextmanager
def _user_errors(lang: str = "ja") -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        _fail(exc, lang)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def parse_as_of(text: str | None) -> datetime | None:
    """--as-of, read by the same parser as the dashboard's "data as of"."""
    return inputs.parse_as_of(text or "", "--as-of")


def _periods(texts: Sequence[str] | None) -> tuple[Period, ...] | None:
    return tuple(inputs.parse_period_input(t, "--period") for t in texts) if texts else None


def _emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    output: Path | None,
    title: str,
    table_columns: Sequence[str] | None = None,
) -> None:
    if fmt is Format.JSON:
        text = json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n"
    elif fmt is Format.CSV:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n" if output else "\n"
        )
        writer.writeheader()
        writer.writerows({k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
        text = buffer.getvalue()
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        shown = table_columns or columns
        for column in shown:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(str(row.get(c, "")) for c in shown))
        if output:
            file_console = Console(file=io.StringIO(), width=200)
            file_console.print(table)
            text = file_console.file.getvalue()  # type: ignore[attr-defined]
        else:
            out.print(table)
            return
    if output:
        encoding = "utf-8-sig" if fmt is Format.CSV else "utf-8"
        output.write_text(text, encoding=encoding, newline="")
        err.print(f"wrote {len(rows)} rows to {output}")
    else:
        sys.stdout.write(text)


@app.command()
def validate(
    directory: Annotated[Path, typer.Argument(help="Programme directory (see docs/data-format.md).")],
    lang: LangOption = Lang.JA,
) -> None:
    """Check a programme directory and list every problem; loads nothing."""
    from shihyo.io.directory import read_programme_dir

    with _user_errors(lang.value):
        dataset = read_programme_dir(directory)
    p = dataset.programme
    out.print(
        f"{directory}: OK — {len(p.series)} series, {len(p.indicators)} indicators, {len(p.targets)} targets, "
        f"{len(p.org_units)} org units, {len(p.teams)} teams, {len(dataset.observations)} observations"
    )


@app.command()
def load(
    directory: Annotated[Path, typer.Argument(help="Programme directory (see docs/data-format.md).")],
    by: Annotated[str, typer.Option("--by", help="Who loads (recorded in every revision).")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in every revision).")] = "",
    lang: LangOption = Lang.JA,
) -> None:
    """Validate and load a programme into the database. Only changes become new revisions."""
    from shihyo.io.directory import read_programme_dir

    with _user_errors(lang.value):
        by = inputs.parse_text(by, "--by", max_length=inputs.MAX_USERNAME)
        reason = inputs.parse_comment(reason, "--reason")
    with _user_errors(lang.value), _progress() as progress:
        step = progress.add_task("validating", total=3)
        dataset = read_programme_dir(directory)
        progress.update(step, advance=1, description="opening the database")
        _setup_django()
        from shihyo.core.problems import ValidationFailed
        from shihyo.web.catalogue.repository import save_dataset
        from shihyo.web.collection.guard import still_needed
        from shihyo.web.collection.services import published_keys

        needed = still_needed(dataset.programme.code, dataset.programme)
        if needed:
            raise ValidationFailed(needed)
        progress.update(step, advance=1, description="saving revisions")
        summary = save_dataset(
            dataset,
            now=clock.now(),
            recorded_by=by or os.environ.get("USER", ""),
            reason=reason or f"shihyo load {directory}",
            keep=published_keys(dataset.programme.code),
        )
        progress.update(step, advance=1)
    p = dataset.programme
    out.print(
        f"loaded {p.code} ({p.name}): {len(p.series)} series, {len(p.indicators)} indicators, "
        f"{len(p.targets)} targets; observations: {summary.added} added, {summary.changed} changed, "
        f"{summary.withdrawn} withdrawn, {summary.unchanged} unchanged"
        + (f", {summary.kept} from collection rounds kept" if summary.kept else "")
        + "; definitions "
        + ("updated" if summary.definitions_changed else "unchanged")
    )


def _evaluate(
    programme: str | None,
    as_of: str | None,
    periods: Sequence[str] | None = None,
    org_units: Sequence[str] | None = None,
) -> ProgrammeState:
    """The stored programme evaluated as of `--as-of`, narrowed to the periods and org units asked for."""
    from dataclasses import replace

    moment = parse_as_of(as_of)
    wanted = _periods(periods)
    _setup_django()
    from shihyo.web.catalogue.evaluation import evaluate_programme

    with _progress() as progress:
        progress.add_task("evaluating", total=None)
        state = evaluate_programme(programme, moment)
    narrowed = state.result.narrowed(wanted, tuple(org_units) if org_units else None)
    return state if narrowed is state.result else replace(state, result=narrowed)


@app.command()
def compute(
    programme: ProgrammeOption = None,
    period: Annotated[
        list[str] | None, typer.Option("--period", help="Only these periods (R3, FY2021, R3上期 …); repeatable.")
    ] = None,
    org_unit: Annotated[list[str] | None, typer.Option("--org-unit", help="Only these org units; repeatable.")] = None,
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="Only these indicator codes; repeatable.")
    ] = None,
    include_series: Annotated[
        bool, typer.Option("--include-series", help="Also list the series (raw inputs and roll-ups).")
    ] = False,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """The computed indicator table, long format: one row per indicator, org unit and period. Where a
    published figure differs from its recomputation, display shows the official figure with its mark and
    the columns official, published, recomputed and note say which it is and why."""
    from shihyo.core.official_rows import OFFICIAL_COLUMNS, with_official
    from shihyo.core.tables import indicator_rows

    with _user_errors(lang.value):
        state = _evaluate(programme, as_of, period, org_unit)
        result = state.result
        rows = indicator_rows(result, lang.value, include_series=include_series, codes=indicator)
        rows = with_official(rows, state, lang.value)  # official figures, the other value beside them
    columns = [
        "indicator",
        "name",
        "org_unit",
        "period",
        "period_label",
        "fiscal_year",
        "kind",
        "value",
        "unit",
        "display",
        *OFFICIAL_COLUMNS,
    ]
    _emit(
        rows,
        columns,
        fmt,
        output,
        f"{result.programme.name} — {len(rows)} values",
        ["indicator", "name", "org_unit", "period_label", "kind", "display"],
    )


@app.command()
def reconcile(
    programme: ProgrammeOption = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also list the figures that agree.")] = False,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """Each published figure against shihyo's recomputation at the published precision, and for each that
    differs which value is official (by the programme's policy, or by whom, when and why)."""
    from shihyo.core.official_rows import resolution_columns
    from shihyo.core.reconcile import Verdict
    from shihyo.core.tables import reconciliation_rows

    with _user_errors(lang.value):
        state = _evaluate(programme, as_of)
        result, found = state.result, state.reconciliations
    counts = {v: sum(1 for r in found if r.verdict is v) for v in Verdict}
    shown = [r for r in found if show_all or r.verdict is not Verdict.AGREES]
    rows = [
        {**row, **resolution_columns(state.resolutions, r, lang.value)}
        for row, r in zip(reconciliation_rows(shown, result, lang.value), shown, strict=True)
    ]
    columns = [
        "verdict",
        "code",
        "name",
        "org_unit",
        "period",
        "basis",
        "source",
        "reported",
        "recomputed",
        "recomputed_full",
        "official",
        "decided",
        "formula",
        "working",
    ]
    _emit(
        rows,
        columns,
        fmt,
        output,
        "reconciliation",
        ["verdict", "code", "period", "basis", "source", "reported", "recomputed", "official", "decided", "working"],
    )
    cases = state.resolutions.differing()
    decided = sum(1 for c in cases if c.decision is not None)
    policy = state.resolutions.policy.value
    err.print(
        f"{len(found)} published figures: {counts[Verdict.AGREES]} agree, {counts[Verdict.DIFFERS]} differ, "
        f"{counts[Verdict.NOT_COMPUTABLE]} not computable from the data; "
        f"{len(cases)} differing figures: {decided} decided by the office, "
        f"{len(cases) - decided} shown by the policy (show: {policy})",
        highlight=False,
        soft_wrap=True,
    )


class Keep(StrEnum):
    PUBLISHED = "published"
    RECOMPUTED = "recomputed"


@app.command()
def resolve(
    code: Annotated[str, typer.Argument(help="The series or indicator code of the published figure.")],
    period: Annotated[str, typer.Option("--period", help="Its period (R3, FY2021, 平成29年度 …).")],
    keep: Annotated[
        Keep, typer.Option("--keep", help="published: keep the published figure official; recomputed: correct it.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (required, at most 500 characters).")],
    programme: ProgrammeOption = None,
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="Its org unit (default: the programme's main unit).")
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", help="The figure is a published plan (reported_plan).")] = False,
    by: Annotated[str, typer.Option("--by", help="Who decides (recorded with the decision).")] = "",
    lang: LangOption = Lang.JA,
) -> None:
    """Decide a published figure that differs from its recomputation: keep it as official or correct it.
    Each decision is a new revision; a later one replaces it without erasing it."""
    from shihyo.core.model import ShowPolicy
    from shihyo.core.overview import main_org_unit
    from shihyo.core.reconcile import Basis

    with _user_errors(lang.value):
        wanted = inputs.parse_period_input(period, "--period")
        if not reason.strip():
            raise UserError(ja="--reason に理由を書いてください", en="give the reason with --reason")
        _setup_django()
        from shihyo.web.catalogue.evaluation import definitions_of
        from shihyo.web.catalogue.official import decide

        definitions = definitions_of(programme)
        unit = org_unit or main_org_unit(definitions)
        decision = decide(
            definitions.code,
            code,
            unit,
            wanted,
            Basis.PLAN if plan else Basis.ACTUAL,
            keep=ShowPolicy(keep.value),
            reason=reason,
            by=by or os.environ.get("USER", "") or "cli",
            now=clock.now(),
        )
    label_ = decision.period.label(definitions.wareki_style, lang.value)
    if lang is Lang.JA:
        published, recomputed = decision.published_text, decision.recomputed_text
        chosen = f"公表値{published}を正式な値" if keep is Keep.PUBLISHED else f"再計算値{recomputed}に訂正"
        out.print(
            f"{code}（{unit}、{label_}）: {chosen}としました（{decision.decided_by}、理由: {decision.reason}）",
            highlight=False,
        )
    else:
        chosen = (
            f"the published {decision.published_text} is kept as official"
            if keep is Keep.PUBLISHED
            else f"corrected to the recomputed {decision.recomputed_text}"
        )
        out.print(f"{code} ({unit}, {label_}): {chosen} (by {decision.decided_by}: {decision.reason})", highlight=False)


@app.command()
def targets(
    programme: ProgrammeOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """Every targeted value judged: the target it is judged against, status, margin, 進捗率, grade."""
    from shihyo.core.tables import target_rows

    with _user_errors(lang.value):
        state = _evaluate(programme, as_of)
        rows = target_rows(state.evaluations, state.result, lang.value)
    columns = [
        "indicator",
        "name",
        "org_unit",
        "period",
        "kind",
        "value",
        "target_period",
        "target",
        "target_kind",
        "status",
        "margin",
        "years_ahead",
        "guide",
        "progress",
        "grade",
        "final_target",
    ]
    _emit(
        rows,
        columns,
        fmt,
        output,
        "targets",
        ["indicator", "period", "value", "target_period", "target", "target_kind", "status", "progress", "grade",
         "guide", "final_target"],
    )  # fmt: skip


@app.command()
def projections(
    programme: ProgrammeOption = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Project from the actuals up to this year (default: the latest).")
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """Each target whose year lies ahead, projected at the pace so far: method, inputs, projected value, pace."""
    from shihyo.core.projection import project_targets
    from shihyo.core.projection_table import PROJECTION_COLUMNS, projection_rows

    with _user_errors(lang.value):
        until = inputs.parse_period_input(period, "--period") if period else None
        state = _evaluate(programme, as_of)
        rows = projection_rows(project_targets(state.result, until), state.result, lang.value)
    _emit(
        rows,
        PROJECTION_COLUMNS,
        fmt,
        output,
        "projections",
        ["indicator", "target", "method", "inputs", "projected", "required_pace", "ratio", "outlook", "verdict"],
    )


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the programme files to.")],
    programme: ProgrammeOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """Write the programme back to the files `load` accepts (canonical form)."""
    from shihyo.io.directory import write_programme_dir

    with _user_errors(lang.value):
        _setup_django()
        from shihyo.web.catalogue.repository import read_programme, resolve_programme

        stored = read_programme(resolve_programme(programme), parse_as_of(as_of))
        written = write_programme_dir(stored.dataset, out_dir)
    out.print(f"wrote {len(written)} files to {out_dir}: " + ", ".join(p.name for p in written))


@app.command()
def history(
    code: Annotated[str, typer.Argument(help="Series or indicator code.")],
    org_unit: Annotated[str, typer.Argument(help="Org unit code.")],
    period: Annotated[str, typer.Argument(help="Period (R3, FY2021 …).")],
    programme: ProgrammeOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.JA,
) -> None:
    """Every revision of one figure: when, who, old → new, why."""
    with _user_errors(lang.value):
        key = inputs.parse_period_input(period, "PERIOD").key
        _setup_django()
        from shihyo.web.catalogue.repository import history as read_history
        from shihyo.web.catalogue.repository import resolve_programme

        revisions = read_history(resolve_programme(programme), code, org_unit, key)
    rows = [
        {
            "recorded_at": r.recorded_at.astimezone(TZ).isoformat(timespec="seconds"),
            "kind": r.kind,
            "source": r.source,
            "value": r.text if r.value is not None else "(withdrawn)",
            "recorded_by": r.recorded_by,
            "reason": r.reason,
        }
        for r in revisions
    ]
    _emit(
        rows, ["recorded_at", "kind", "source", "value", "recorded_by", "reason"], fmt, None, f"{code} {org_unit} {key}"
    )


@app.command()
def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the report files to.")] = Path("out"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, pptx, xlsx or all.")] = "all",
    period: Annotated[
        str | None, typer.Option("--period", help="The year reported on (default: report_period).")
    ] = None,
    programme: ProgrammeOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = Lang.JA,
) -> None:
    """Write the annual report (PDF, editable PowerPoint, Excel) from the data as of a moment."""
    from shihyo.reports.build import FORMATS, report_for, write_reports

    formats = list(FORMATS) if fmt == "all" else [f.strip() for f in fmt.split(",")]
    with _user_errors(lang.value):
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise UserError(
                ja=f"--format: {', '.join(unknown)} は使えません（pdf, pptx, xlsx, all のいずれか）",
                en=f"--format: unknown {', '.join(unknown)} (use pdf, pptx, xlsx or all)",
            )
        chosen = inputs.parse_period_input(period, "--period") if period else None
        _setup_django()
        from shihyo.web.catalogue.evaluation import evaluate_programme

        moment = parse_as_of(as_of)
        label = moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if moment else "最新" if lang is Lang.JA else "latest"
        with _progress() as progress:
            step = progress.add_task("evaluating", total=len(formats) + 1)
            state = evaluate_programme(programme, moment)
            model = report_for(state, chosen, lang.value, label)
            progress.advance(step)

            def tick(name: str) -> None:
                progress.update(step, description=f"writing {name}")

            written = write_reports(model, formats, out_dir, f"{state.code}-report-{lang.value}", tick)
            progress.advance(step, len(formats))
    for path in written:
        out.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[str, typer.Option("--port", help="Port to listen on (1-65535).")] = "8000",
    threads: Annotated[str, typer.Option("--threads", help="Worker threads (1-64).")] = "8",
) -> None:
    """Serve the dashboard with waitress (a production WSGI server that also runs on Windows)."""
    from waitress import serve as waitress_serve

    from shihyo import serving

    with _user_errors():
        port, threads = (
            str(inputs.parse_port(str(port), "--port")),
            str(inputs.parse_threads(str(threads), "--threads")),
        )
        host = inputs.parse_text(host, "--host", max_length=253, required=True)
        _setup_django()
        from django.conf import settings

        proxies = serving.parse_proxy_settings(settings.TRUSTED_PROXIES, settings.PROXY_HEADERS, settings.PROXY_COUNT)
        if serving.secret_key_is_default(settings.SECRET_KEY, settings.DEVELOPMENT_SECRET_KEY):
            if serving.production_mode(host, settings.HTTPS):
                serving.refuse_default_key(host)
            err.print(serving.development_key_warning(), highlight=False, markup=False)
    warning = serving.proxy_warning(settings.HTTPS, proxies)
    if warning:
        err.print(warning, highlight=False, markup=False)
    from shihyo.web.wsgi import application

    out.print(f"shihyo dashboard: http://{host}:{port}/  (Ctrl+C to stop)", highlight=False)
    waitress_serve(
        serving.behind_proxies(application, proxies),
        host=host,
        port=int(port),
        threads=int(threads),
        ident="shihyo",
        clear_untrusted_proxy_headers=False,  # done per peer by serving.behind_proxies
    )


@app.command()
def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the jobs waiting now, then stop (else: keep waiting for more).")
    ] = False,
    interval: Annotated[str, typer.Option("--interval", help="Seconds between looks at the queue (1-60).")] = "1",
) -> None:
    """Run background jobs: the reports of large programmes (SHIHYO_REPORT_BACKGROUND_FROM indicators or more)
    that visitors asked for. The queue is a table of shihyo's database; run one or more workers beside
    `shihyo serve`, with the same SHIHYO_HOME / SHIHYO_DATABASE_URL."""
    from django.core.management import call_command

    with _user_errors():
        seconds = inputs.parse_whole(str(interval), "--interval", low=1, high=60)
        _setup_django()
    out.print(
        "shihyo worker: waiting for jobs (Ctrl+C to stop)" if not batch else "shihyo worker: running the waiting jobs"
    )
    call_command("db_worker", "--queue-name", "default", "--interval", str(seconds), *(["--batch"] if batch else []))


users = typer.Typer(help="Accounts and roles: admin, reviewer, submitter (scoped to org units), viewer.")
rounds = typer.Typer(help="Collection rounds: open one, see each org unit's state.")
app.add_typer(users, name="user")
app.add_typer(rounds, name="round")


@users.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="admin, reviewer, submitter or viewer.")],
    org_unit: Annotated[
        list[str] | None, typer.Option("--org-unit", help="A submitter's org unit (repeat for several).")
    ] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    generate: Annotated[
        bool, typer.Option("--generate-password", help="Make a random password and print it once.")
    ] = False,
    email: Annotated[str | None, typer.Option("--email", help="Mail address for notices and reminders.")] = None,
    team: Annotated[
        list[str] | None,
        typer.Option(
            "--team",
            help="A programme team the account belongs to (repeat for several; drafts the "
            "commentary of the indicators the team owns). Omitted: the account keeps its teams.",
        ),
    ] = None,
    no_teams: Annotated[bool, typer.Option("--no-teams", help="Take the account out of every team.")] = False,
    programme: ProgrammeOption = None,
) -> None:
    """Create an account (or change its role, org units, teams, mail address and password)."""
    import secrets

    with _user_errors():
        username = inputs.parse_username(username, "USERNAME")
        role = inputs.parse_text(role, "--role", max_length=20, required=True)
        units = inputs.parse_codes(list(org_unit or ()), "--org-unit")
        teams = [] if no_teams else inputs.parse_codes(list(team), "--team") if team else None
        email = inputs.parse_email(email, "--email") if email is not None else None
        _setup_django()
        from shihyo.web.collection.accounts import save_account

        if generate:
            password = secrets.token_urlsafe(12)
        elif password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        password = inputs.parse_password(password, "password")
        created = save_account(
            username,
            role,
            units,
            password,
            programme,
            by=f"cli:{os.environ.get('USER') or '?'}",
            email=email,
            teams=teams,
        )
    out.print(f"{'created' if created else 'updated'} {username} ({role})", highlight=False)
    if generate:
        out.print(f"password: {password}", highlight=False)


@users.command("list")
def user_list(fmt: FormatOption = Format.TABLE) -> None:
    """Every account with its role, org units and teams."""
    _setup_django()
    from shihyo.web.collection.accounts import accounts

    rows = [
        {"username": a.username, "role": a.role, "org_units": " ".join(a.org_units), "teams": " ".join(a.teams),
         "active": a.active}
        for a in accounts()
    ]  # fmt: skip
    _emit(rows, ["username", "role", "org_units", "teams", "active"], fmt, None, "accounts")


@rounds.command("open")
def round_open(
    code: Annotated[str, typer.Argument(help="Round code used in addresses, e.g. r4-h1.")],
    name: Annotated[str, typer.Option("--name", help="Round name, e.g. R4年度上期.")],
    period: Annotated[list[str], typer.Option("--period", help="Period asked for (repeat for several).")],
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    series: Annotated[list[str] | None, typer.Option("--series", help="Series asked for (default: all).")] = None,
    org_unit: Annotated[list[str] | None, typer.Option("--org-unit", help="Org units asked (default: all).")] = None,
    outlier_percent: Annotated[
        str | None, typer.Option("--outlier-percent", help="Change vs last period that needs a comment (%).")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Recorded as who opened it.")] = "cli",
    exists_ok: Annotated[
        bool, typer.Option("--exists-ok", help="A round of this code already open is not an error.")
    ] = False,
    programme: ProgrammeOption = None,
) -> None:
    """Open a collection round: series × periods asked from each org unit by a due date."""
    with _user_errors():
        round_code = inputs.parse_code(code, "CODE")
        by = inputs.parse_text(by, "--by", max_length=inputs.MAX_USERNAME, required=True)
        round_name = inputs.parse_name(name, "--name")
        periods = inputs.parse_periods(list(period), "--period")
        due_date = inputs.parse_date(due or "", "--due")
        threshold = inputs.parse_threshold_percent(outlier_percent or "", "--outlier-percent")
        _setup_django()
        from shihyo.web.catalogue.repository import resolve_programme
        from shihyo.web.collection import models, services

        programme_code = resolve_programme(programme)
        existing = models.Round.objects.filter(programme__code=programme_code, code=round_code).first()
        if existing is not None and exists_ok:
            out.print(f"round {round_code} ({existing.name}) is already open", highlight=False)
            return
        round_ = services.open_round(
            programme_code,
            code=round_code,
            name=round_name,
            periods=[p.key for p in periods],
            series=inputs.parse_codes(list(series or ()), "--series"),
            org_units=inputs.parse_codes(list(org_unit or ()), "--org-unit"),
            due=due_date,
            outlier_threshold=threshold,
            by=by,
        )
    out.print(
        f"opened {round_.code} ({round_.name}): {len(round_.series)} series × {len(round_.periods)} period(s) "
        f"from {len(round_.org_units)} org units",
        highlight=False,
    )


@rounds.command("status")
def round_status(
    code: Annotated[str, typer.Argument(help="Round code.")],
    programme: ProgrammeOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Each org unit's state in a round (未提出 / 提出済 / 差戻し / 承認済) and whether it is overdue."""
    with _user_errors():
        _setup_django()
        from shihyo.web.catalogue.repository import resolve_programme
        from shihyo.web.collection import models, services

        round_ = models.Round.objects.filter(programme__code=resolve_programme(programme), code=code).first()
        if round_ is None:
            raise UserError(ja=f"収集回「{code}」はありません", en=f"no round '{code}'")
        lines = services.status(round_)
    rows = [
        {
            "org_unit": "  " * line.depth + line.code,
            "name": line.name,
            "state": label(line.state),
            "version": line.version,
            "changed_by": line.changed_by,
            "overdue": "期限超過" if line.overdue else "",
        }
        for line in lines
    ]
    _emit(rows, ["org_unit", "name", "state", "version", "changed_by", "overdue"], fmt, None, round_.name)


@rounds.command("remind")
def round_remind(
    code: Annotated[str | None, typer.Argument(help="Round code (default: every round of the programme).")] = None,
    days: Annotated[int, typer.Option("--days", min=0, max=60, help="Remind this many days before the due date.")] = 3,
    programme: ProgrammeOption = None,
) -> None:
    """Mail the clerks of units that have not submitted: before the due date and when overdue. Meant for
    cron or the Windows Task Scheduler: a second run sends nothing twice. Also retries unsent mail."""
    with _user_errors():
        _setup_django()
        from shihyo.web.catalogue.evaluation import definitions_of
        from shihyo.web.catalogue.repository import resolve_programme
        from shihyo.web.collection import models, notices

        programme_code = resolve_programme(programme)
        chosen = models.Round.objects.filter(programme__code=programme_code)
        if code is not None:
            chosen = chosen.filter(code=code)
            if not chosen.exists():
                raise UserError(ja=f"収集回「{code}」はありません", en=f"no round '{code}'")
        names = {u.code: u.name for u in definitions_of(programme_code).org_units}
        for round_ in chosen:
            done = notices.remind(round_, names, days_before=days)
            out.print(
                f"{round_.code}: {done.added} reminder(s) added, {done.sent} mail(s) sent, {done.failed} not sent",
                highlight=False,
            )


importlib.import_module("shihyo.cli_operations")  # adds init, demo, check and --version to `app`


def main(argv: Sequence[str] | None = None) -> None:
    command: Callable[..., Any] = typer.main.get_command(app)
    command(args=list(argv) if argv is not None else None, prog_name="shihyo")


if __name__ == "__main__":  # pragma: no cover
    main()
