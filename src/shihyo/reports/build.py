"""Build the report model once from an evaluated programme and hand it to each requested format.

The evaluation itself comes from `shihyo.web.catalogue.evaluation.evaluate_programme`, like every
other surface's; this module neither reads storage nor evaluates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from shihyo.core.periods import Period
from shihyo.core.problems import UserError
from shihyo.core.report import Report, build_report

if TYPE_CHECKING:
    from shihyo.web.catalogue.evaluation import ProgrammeState

FORMATS = ("pdf", "pptx", "xlsx")
REPORT_TZ = ZoneInfo("Asia/Tokyo")  # the data version is printed in the programme office's local time


def report_for(state: ProgrammeState, period: Period | None, lang: str, as_of_label: str) -> Report:
    """The report model of one evaluated programme (from `evaluate_programme`) for a year."""
    chosen = period or state.programme.report_period
    if chosen is None:
        raise UserError(
            ja="対象年度がありません。--period を指定するか programme.yaml に report_period を書いてください",
            en="no period to report on: give --period or set report_period in programme.yaml",
        )
    return build_report(
        state.result,
        state.evaluations,
        state.reconciliations,
        chosen,
        lang=lang,
        as_of_label=as_of_label,
        data_version=state.definitions_recorded_at.astimezone(REPORT_TZ).strftime("%Y-%m-%d %H:%M"),
        notes=state.notes,
        resolutions=state.resolutions,
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
