"""Evaluate, build the report model once, and hand it to each requested format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from shihyo.core.engine import EvaluationRequest, evaluate
from shihyo.core.model import Dataset
from shihyo.core.periods import Period
from shihyo.core.problems import UserError
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets

FORMATS = ("pdf", "pptx", "xlsx")


def report_for(
    dataset: Dataset, revisions: pl.DataFrame, period: Period | None, lang: str, as_of_label: str, data_version: str
) -> Report:
    result = evaluate(EvaluationRequest(dataset.programme, revisions))
    chosen = period or dataset.programme.report_period
    if chosen is None:
        raise UserError(
            ja="対象年度がありません。--period を指定するか programme.yaml に report_period を書いてください",
            en="no period to report on: give --period or set report_period in programme.yaml",
        )
    return build_report(
        result,
        evaluate_targets(result),
        reconcile(result),
        chosen,
        lang=lang,
        as_of_label=as_of_label,
        data_version=data_version,
    )


def writers() -> dict[str, Callable[[Report, Path], Path]]:
    from shihyo.reports.pdf.render import write_pdf
    from shihyo.reports.pptx.render import write_pptx
    from shihyo.reports.xlsx.render import write_xlsx

    return {"pdf": write_pdf, "pptx": write_pptx, "xlsx": write_xlsx}


def write_reports(
    report: Report,
    formats: Sequence[str],
    out_dir: Path,
    stem: str,
    progress: Callable[[str], None] = lambda name: None,
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    available = writers()
    written = []
    for fmt in formats:
        progress(fmt)
        written.append(available[fmt](report, out_dir / f"{stem}.{fmt}"))
    return written
