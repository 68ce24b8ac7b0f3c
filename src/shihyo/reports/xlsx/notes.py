"""The workbook's sheets of the office's own words: 所見 (commentary) and 主要施策一覧表 (measures with their
progress). One value per cell, a header row with a filter, text never taken for a formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shihyo.core.commentary import Commentary, sections
from shihyo.core.report import Report
from shihyo.reports.xlsx.cells import Styles, write_text

HEADER_FILL = "#f1f1f4"
GRID = "#bdbdc4"
PROGRAMME = {"ja": "プログラム全体", "en": "The programme as a whole"}
HEADS: dict[str, dict[str, tuple[str, ...]]] = {
    "ja": {
        "commentary": ("指標コード", "指標", "期間", "区分", "番号", "本文", "出典"),
        "measures": ("柱", "分野", "施策", "タスク", "担当", "進捗", "備考"),
    },
    "en": {
        "commentary": ("Indicator code", "Indicator", "Period", "Part", "No.", "Text", "Source"),
        "measures": ("Pillar", "Area", "Measure", "Task", "Owner", "Progress", "Note"),
    },
}


def _header(ws: Any, st: Styles, heads: Sequence[str], widths: Sequence[int]) -> None:
    for c, (head, width) in enumerate(zip(heads, widths, strict=True)):
        ws.set_column(c, c, width)
        write_text(ws, 0, c, head, st, bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID)
    ws.freeze_panes(1, 0)


def commentary_rows(report: Report) -> list[tuple[str, str, str, str, int, str, str]]:
    """One row per paragraph or item of every published commentary in the report, in page order."""
    notes: list[tuple[str, str, Commentary]] = []
    if report.commentary is not None:
        notes.append(("", PROGRAMME[report.lang], report.commentary))
    notes += [(p.card.indicator.code, p.title, p.commentary) for p in report.indicator_pages if p.commentary]
    notes += [(note.subject, name, note) for name, note in report.other_commentary]
    rows = []
    for code, name, note in notes:
        period = note.period.label(report.wareki_style, report.lang)
        for key, items in sections(note):
            for n, item in enumerate(items, 1):
                rows.append((code, name, period, report.label(key), n, item, note.source))
    return rows


def write_commentary_sheet(ws: Any, st: Styles, report: Report) -> None:
    _header(ws, st, HEADS[report.lang]["commentary"], (22, 36, 12, 10, 6, 90, 40))
    rows = commentary_rows(report)
    for r, (code, name, period, part, n, text, source) in enumerate(rows, start=1):
        write_text(ws, r, 0, code, st)
        write_text(ws, r, 1, name, st)
        write_text(ws, r, 2, period, st)
        write_text(ws, r, 3, part, st)
        ws.write_number(r, 4, n, st.get(num_format="0"))
        write_text(ws, r, 5, text, st, text_wrap=True, valign="top")
        write_text(ws, r, 6, source, st)
    ws.autofilter(0, 0, max(1, len(rows)), 6)


def measure_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str]]:
    """One row per task (a measure without tasks gets one row), with the recorded progress of each."""
    teams = {t.code: t.name for t in report.teams}
    rows = []
    for pillar in report.pillars:
        for area in pillar.areas:
            for measure in area.measures:
                head = (pillar.name, area.name, measure.name)
                rows.append((*head, "", "", report.progress_text(measure.code), measure.note))
                for task in measure.tasks:
                    owner = teams.get(task.owner_team or "", "")
                    rows.append((*head, task.name, owner, report.progress_text(task.code), task.note))
    return rows


def write_measures_sheet(ws: Any, st: Styles, report: Report) -> None:
    _header(ws, st, HEADS[report.lang]["measures"], (22, 24, 32, 44, 22, 12, 40))
    rows = measure_rows(report)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            write_text(ws, r, c, text, st)
    ws.autofilter(0, 0, max(1, len(rows)), 6)
