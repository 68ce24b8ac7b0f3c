"""The workbook's targets sheet: each key indicator's judged target, final target, status, 進捗率, grade, guide
and projection, one row per target point projected (numbers stay numeric; the words come from core)."""

from __future__ import annotations

from typing import Any

from shihyo.core.judgement_text import judged_target, projection_text
from shihyo.core.report import STATUS_TEXT, Report
from shihyo.reports.xlsx.cells import Styles, write_text, write_value

HEADINGS = {
    "ja": ["指標", "実績", "判定の対象", "最終目標", "達成状況", "進捗率（%）", "評価", "目安（直線補間）",
           "予測の対象", "予測値", "方法", "もとにした実績", "実績のペース", "必要なペース", "見通し"],
    "en": ["Indicator", "Actual", "Judged against", "Final target", "Status", "Progress (%)", "Grade",
           "Guide (linear interpolation)", "Projected target", "Projected value", "Method", "From",
           "Pace so far", "Required pace", "Outlook"],
}  # fmt: skip
WIDTHS = [34, 14, 26, 20, 12, 11, 8, 22, 22, 14, 26, 40, 16, 16, 14]


def _number_format(decimals: int, lang: str) -> str:
    """The workbook's number format: negatives as ▲ in Japanese, with a minus in English."""
    places = "." + "0" * decimals if decimals > 0 else ""
    return f'#,##0{places};"▲"#,##0{places}' if lang == "ja" else f"#,##0{places};-#,##0{places}"


def write_targets_sheet(ws: Any, styles: Styles, report: Report) -> None:
    lang = report.lang
    ja = lang == "ja"
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    for col, heading in enumerate(HEADINGS[lang]):
        write_text(ws, 0, col, heading, styles, bold=True, bottom=1, text_wrap=True)
    ws.freeze_panes(1, 1)
    row = 1
    for page in report.indicator_pages:
        card = page.card
        e, ind = card.target, card.indicator
        if e is None and not card.projections:
            continue
        latest = page.facts[0].text if page.facts else ""
        projections = card.projections or (None,)
        for p in projections:
            write_text(ws, row, 0, page.title, styles)
            write_text(ws, row, 1, latest, styles)
            if e is not None:
                words = judged_target(e, ind, report.wareki_style, lang)
                write_text(ws, row, 2, words.judged, styles)
                write_text(ws, row, 3, words.final.removeprefix("最終目標 ").removeprefix("final target "), styles)
                write_text(ws, row, 4, STATUS_TEXT[lang][card.status.value], styles)
                progress = float(e.progress) if e.progress is not None else None
                write_value(ws, row, 5, progress, styles.get(num_format=_number_format(1, lang)))
                grade = e.grade.grade if e.grade else ""
                write_text(ws, row, 6, grade, styles)
                write_text(ws, row, 7, words.guide.split(" ", 1)[-1] if words.guide else "", styles)
            if p is not None:
                t = projection_text(p, ind, report.wareki_style, lang)
                write_text(ws, row, 8, t.target, styles)
                value = float(p.projected) if p.projected is not None else None
                write_value(ws, row, 9, value, styles.get(num_format=_number_format(max(ind.decimals, 0), lang)))
                if p.projected is None:
                    write_text(ws, row, 9, t.projected, styles)
                write_text(ws, row, 10, t.method, styles)
                write_text(ws, row, 11, t.inputs, styles)
                write_text(ws, row, 12, t.observed, styles)
                write_text(ws, row, 13, t.required, styles)
                verdict = f"{t.outlook}（{t.verdict}）" if ja and t.verdict else t.outlook
                if not ja and t.verdict:
                    verdict = f"{t.outlook} ({t.verdict})"
                write_text(ws, row, 14, verdict, styles)
            row += 1
