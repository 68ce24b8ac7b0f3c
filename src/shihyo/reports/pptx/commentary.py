"""The office's commentary as slide text: a label saying who wrote it, then 所見, 課題 ①②…, 対応策."""

from __future__ import annotations

from shihyo.core.charts import BLUE
from shihyo.core.commentary import Commentary, sections
from shihyo.core.report import Report
from shihyo.reports.pptx.text import Para, fit_size

MUTED = "#626264"
NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def commentary_paras(report: Report, note: Commentary, width: float, height: float) -> list[Para]:
    """Every paragraph of the commentary at the largest size that fits the box (down to 10 pt)."""
    body: list[tuple[str, str, bool]] = []  # (text, bullet, is heading)
    for key, items in sections(note):
        body.append((report.label(key), "", True))
        numbered = key != "findings"
        body += [(item, NUMBERS[i] if numbered and i < len(NUMBERS) else "", False) for i, item in enumerate(items)]
    size = fit_size([text for text, _, _ in body], width, height - 0.6, (16, 15, 14, 13, 12, 11, 10), space_after=6)
    paras = [Para(report.label("commentary_origin"), 11, colour=MUTED, space_after=8)]
    for text, bullet, heading in body:
        if heading:
            paras.append(Para(text, size, bold=True, colour=BLUE, space_after=4))
        else:
            paras.append(Para(text, size, bullet=bullet, space_after=6))
    if note.source:
        paras.append(Para(note.source, 10, colour=MUTED))
    return paras
