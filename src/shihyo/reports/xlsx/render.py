"""The annual report as an Excel workbook (XlsxWriter): numbers stay numbers, charts are native.

Sheets, in order:

- 表紙 / Cover: title, period, as-of label, data version, the list of sheets and a legend;
- 主要指標一覧表 / Summary: the summary table with numeric cells (plans filled, estimates marked ※ (* in English),
  negatives ▲ in Japanese), the base and report years marked, header rows and name columns frozen;
- one sheet per area: each key indicator's yearly values and a native Excel chart of the kind the
  report draws (columns for counts, a line for rates, columns with a ratio line on a second axis,
  stacked parts, one line per org unit, an index against its target path);
- データ / Data: the long table (indicator, name, org unit, period, label, fiscal year, kind, value, unit).

This module lays the sheets out; the cells and their formats are `cells.py`, the page tables and native
charts (drawn from the chart model) `charts.py`, the figures and the long table `data.py`. Every number
is written with `write_number` from the report model; every text with `write_string` (never a formula),
and text that a spreadsheet could take for a formula (= + - @) also gets Excel's quote prefix. The
workbook's creation time is fixed, so the same report gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from shihyo.core.charts import BLUE, GREY
from shihyo.core.charts.vega import describe
from shihyo.core.report import IndicatorPage, Report
from shihyo.core.summary_table import SummaryRow
from shihyo.reports.xlsx.cells import (
    FONT,
    GRID,
    PLAN_FILL,
    Styles,
    decimals_in,
    number,
    number_format,
    sheet_name,
    write_text,
    write_value,
)
from shihyo.reports.xlsx.charts import CHART_HEIGHT, PageTable, native_chart
from shihyo.reports.xlsx.data import Figures, write_data_sheet
from shihyo.reports.xlsx.notes import commentary_rows, write_commentary_sheet, write_measures_sheet
from shihyo.reports.xlsx.targets import write_targets_sheet

__all__ = ["BASE_FILL", "FONT", "PLAN_FILL", "TEXT", "number_format", "write_xlsx"]

FONT_SIZE = 10
ROW_HEIGHT_PX = 22  # BIZ UDGothic needs a little more than Excel's default 20 px at 10 pt
CREATED = datetime(2000, 1, 1)  # when the as-of label is no date: any fixed moment keeps files identical

BASE_FILL = "#fff1c2"
PERIOD_FILL = "#dfe9ff"
HEADER_FILL = "#f1f1f4"
SECTION_FILL = "#e3e3e8"
CHART_ROWS = math.ceil(CHART_HEIGHT / ROW_HEIGHT_PX)

TEXT = {
    "ja": {
        "cover": "表紙",
        "summary": "主要指標一覧表",
        "data": "データ",
        "commentary": "所見",
        "measures": "主要施策一覧表",
        "commentary_about": "事務局が記載した所見・課題・対応策（数値から自動生成したものではありません）",
        "measures_about": "施策・タスクと記録された進捗",
        "indicator": "指標",
        "unit": "単位",
        "code": "コード",
        "base_year": "基準年度",
        "report_year": "報告年度",
        "organisation": "組織",
        "period": "対象期間",
        "as_of": "データ基準日",
        "version": "データ版",
        "software": "ソフトウェア",
        "indicators": "主要指標数",
        "sheets": "シート",
        "legend": "凡例",
        "plan": "計画値（塗りつぶし）",
        "estimate": "推計値（※）",
        "negative": "負の値・減少（▲）",
        "base_legend": "一覧表で基準年度の列見出し",
        "report_legend": "一覧表で報告年度の列見出し",
        "fiscal_year": "年度",
        "summary_about": "主要指標と内訳の年度別の値",
        "area_about": "主要指標の推移（表とグラフ）",
        "data_about": "指標の値の一覧（1行1値）",
        "numbers": "数値はすべて数値セルです（表示形式で桁区切り・小数桁・▲を付けています）。",
        "breakdown": "（内訳）",
        "of_which": "うち",
        "data_head": "指標コード|指標名|組織|期間|期間表示|年度|区分|値|単位",
        "none": "―",
        "sep": "　",
        "no_data": "データがありません。",
    },
    "en": {
        "cover": "Cover",
        "summary": "Summary",
        "data": "Data",
        "commentary": "Commentary",
        "measures": "Measures",
        "commentary_about": "The office's findings, issues and actions (written, not generated from the figures)",
        "measures_about": "Measures and tasks with their recorded progress",
        "indicator": "Indicator",
        "unit": "Unit",
        "code": "Code",
        "base_year": "Base year",
        "report_year": "Report year",
        "organisation": "Organisation",
        "period": "Period",
        "as_of": "Data as of",
        "version": "Data version",
        "software": "Software",
        "indicators": "Key indicators",
        "sheets": "Sheets",
        "legend": "Legend",
        "plan": "Plan (shaded)",
        "estimate": "Estimate (*)",
        "negative": "Negative value, decrease (-)",
        "base_legend": "Heading of the base-year column in the summary",
        "report_legend": "Heading of the report-year column in the summary",
        "fiscal_year": "Fiscal year",
        "summary_about": "Key indicators and their parts by fiscal year",
        "area_about": "Key indicators over time (table and chart)",
        "data_about": "All values of the indicators, one per row",
        "numbers": "All figures are numeric cells (separators, decimals and signs come from the number format).",
        "breakdown": "Breakdown: ",
        "of_which": "Of which: ",
        "data_head": "Indicator|Name|Org unit|Period|Period label|Fiscal year|Kind|Value|Unit",
        "none": "-",
        "sep": " — ",
        "no_data": "No data.",
    },
}


def _base_year(report: Report) -> int | None:
    for page in report.indicator_pages:
        if page.card.vs_base is not None:
            return page.card.vs_base.against.fiscal_year
    return None


# --- sheets ---------------------------------------------------------------------------------------


def _created(report: Report) -> datetime:
    try:
        moment = datetime.fromisoformat(report.as_of_label.strip())
    except ValueError:
        return CREATED
    return moment.replace(tzinfo=None)


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the report as an .xlsx workbook at `path` and return the path."""
    path = Path(path)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "in_memory": True,  # nothing is written unless the whole workbook is made
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_format_properties": {
                "font_name": FONT,
                "font_size": FONT_SIZE,
                "font_family": 3,  # modern (East Asian gothic)
                "font_charset": 128,  # Shift-JIS: Excel picks the Japanese face
            },
            "default_row_height": ROW_HEIGHT_PX,
        },
    )
    book.set_properties(
        {
            "title": f"{report.title} {report.subtitle}",
            "subject": report.label("summary"),
            "author": report.organisation,
            "company": report.organisation,
            "manager": report.office,
            "comments": f"{TEXT[report.lang]['version']}: {report.data_version}",
            "created": _created(report),
        }
    )
    styles = Styles(book)
    figures = Figures.of(report)
    taken: set[str] = set()
    t = TEXT[report.lang]
    names = {key: sheet_name(t[key], taken) for key in ("cover", "summary")}
    areas: dict[str, list[int]] = {}
    for n, page in enumerate(report.indicator_pages):
        areas.setdefault(page.area, []).append(n)
    area_names = {area: sheet_name(area.split(" — ")[-1], taken) for area in areas}
    names["data"] = sheet_name(t["data"], taken)
    if commentary_rows(report):
        names["commentary"] = sheet_name(t["commentary"], taken)
    names["measures"] = sheet_name(t["measures"], taken)

    cover = book.add_worksheet(names["cover"])
    summary = book.add_worksheet(names["summary"])
    _summary(summary, styles, report, figures)
    for area, indices in areas.items():
        ws = book.add_worksheet(area_names[area])
        pages = [report.indicator_pages[i] for i in indices]
        _area(book, ws, styles, report, area, pages, [figures.tables[i] for i in indices])
    data = book.add_worksheet(names["data"])
    write_data_sheet(data, styles, report, figures, TEXT[report.lang])
    targets = book.add_worksheet(sheet_name("目標と予測" if report.lang == "ja" else "Targets", taken))
    write_targets_sheet(targets, styles, report)
    if "commentary" in names:
        write_commentary_sheet(book.add_worksheet(names["commentary"]), styles, report)
    write_measures_sheet(book.add_worksheet(names["measures"]), styles, report)
    _cover(cover, styles, report, names, area_names)
    cover.activate()
    book.close()
    return path


def _cover(ws: Any, st: Styles, report: Report, names: dict[str, str], areas: dict[str, str]) -> None:
    t = TEXT[report.lang]
    none = t["none"]
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 64)
    write_text(ws, 0, 0, report.title, st, bold=True, font_size=16)
    write_text(ws, 1, 0, report.subtitle, st, font_size=12)
    facts = [
        (t["organisation"], " ".join(x for x in (report.organisation, report.office) if x) or none),
        (t["period"], report.period_label or none),
        (t["as_of"], report.as_of_label or none),
        (t["version"], report.data_version or none),
        (t["software"], report.software),
    ]
    row = 3
    for label, text in facts:
        write_text(ws, row, 0, label, st, bold=True)
        write_text(ws, row, 1, text, st)
        row += 1
    write_text(ws, row, 0, t["indicators"], st, bold=True)
    ws.write_number(row, 1, len(report.indicator_pages), st.get(num_format="0", align="left"))
    row += 2
    write_text(ws, row, 0, t["sheets"], st, bold=True, bottom=1)
    write_text(ws, row, 1, "", st, bottom=1)
    row += 1
    sheets = [(names["summary"], t["summary_about"])]
    sheets += [(name, f"{area} — {t['area_about']}") for area, name in areas.items()]
    sheets.append((names["data"], t["data_about"]))
    if "commentary" in names:
        sheets.append((names["commentary"], t["commentary_about"]))
    sheets.append((names["measures"], t["measures_about"]))
    link = st.get(font_color=BLUE, underline=1)
    for name, about in sheets:
        ws.write_url(row, 0, f"internal:'{name}'!A1", link, name)
        write_text(ws, row, 1, about, st)
        row += 1
    row += 1
    write_text(ws, row, 0, t["legend"], st, bold=True, bottom=1)
    write_text(ws, row, 1, "", st, bottom=1)
    samples = [("plan", 75.0, t["plan"]), ("estimate", 2224231.0, t["estimate"]), ("actual", -14.7, t["negative"])]
    for kind, value, label in samples:
        row += 1
        ws.write_number(row, 0, value, st.value(1 if value % 1 else 0, kind, report.lang))
        write_text(ws, row, 1, label, st)
    for key, fill in (("base", BASE_FILL), ("report", PERIOD_FILL)):
        row += 1
        write_text(ws, row, 0, t[f"{key}_year"], st, bold=True, bg_color=fill, border=1, border_color=GRID)
        write_text(ws, row, 1, t[f"{key}_legend"], st)
    row += 2
    write_text(ws, row, 0, t["numbers"], st, font_color=GREY)


def _summary_name(row: SummaryRow, lang: str) -> str:
    t = TEXT[lang]
    if row.depth and row.relation == "of_which":
        return t["of_which"] + row.name
    if row.depth and row.relation == "breakdown":
        return t["breakdown"] + row.name
    return row.name


def _row_decimals(row: SummaryRow, figures: Figures, report: Report) -> int:
    declared = getattr(row, "decimals", None)  # SummaryRow.decimals, when the model carries it
    if isinstance(declared, int) and not isinstance(declared, bool):
        return max(declared, 0)
    for page in report.indicator_pages:
        if page.card.indicator.code == row.code:
            return max(page.card.indicator.decimals, 0)
    return decimals_in(c.text for c in row.cells)


def _summary(ws: Any, st: Styles, report: Report, figures: Figures) -> None:
    t, lang = TEXT[report.lang], report.lang
    years = list(report.years)
    code_col = 2 + len(years)
    head = 4
    base = _base_year(report)
    current = report.period.fiscal_year
    ws.set_column(0, 0, 58)
    ws.set_column(1, 1, 8)
    if years:
        ws.set_column(2, 1 + len(years), 13)
    ws.set_column(code_col, code_col, 30)
    write_text(ws, 0, 0, f"{report.label('summary')}{t['sep']}{report.title}", st, bold=True, font_size=14)
    write_text(ws, 1, 0, f"{report.subtitle}{t['sep']}{t['as_of']}: {report.as_of_label or t['none']}", st)
    write_text(ws, 2, 0, t["numbers"], st, font_color=GREY)
    header = st.get(bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID, align="center", valign="vcenter")
    write_text(ws, head, 0, t["indicator"], st, bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID)
    write_text(ws, head, 1, t["unit"], st, bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID)
    for i, label in enumerate(years):
        year = figures.year_of(label)
        fill = BASE_FILL if year is not None and year == base else PERIOD_FILL if year == current else HEADER_FILL
        write_text(ws, head, 2 + i, label, st, bold=True, bg_color=fill, border=1, border_color=GRID, align="center")
        if fill != HEADER_FILL:
            mark = t["base_year"] if fill == BASE_FILL else t["report_year"]
            write_text(ws, head - 1, 2 + i, mark, st, bold=True, bg_color=fill, align="center", font_size=9)
    ws.write_string(head, code_col, t["code"], header)
    row = head + 1
    for section in report.summary:
        write_text(ws, row, 0, section.title, st, bold=True, bg_color=SECTION_FILL)
        for col in range(1, code_col + 1):
            ws.write_blank(row, col, None, st.get(bg_color=SECTION_FILL))
        row += 1
        for line in section.rows:
            name_props: dict[str, Any] = {"border": 1, "border_color": GRID, "indent": line.depth}
            if line.is_indicator and not line.depth:
                name_props["bold"] = True
            write_text(ws, row, 0, _summary_name(line, lang), st, **name_props)
            write_text(ws, row, 1, line.unit, st, border=1, border_color=GRID, align="center")
            decimals = _row_decimals(line, figures, report)
            for i, cell in enumerate(line.cells[: len(years)]):
                value = number(getattr(cell, "value", None))  # SummaryCell.value, when the model carries it
                if value is None and cell.kind:  # a cell the table leaves undefined (―) stays blank
                    year = figures.year_of(years[i])
                    found = figures.main.get((line.code, year)) if year is not None else None
                    value = found[0] if found else None
                write_value(ws, row, 2 + i, value, st.value(decimals, cell.kind, lang, note=cell.mark))
            write_text(ws, row, code_col, line.code, st, border=1, border_color=GRID, font_color=GREY)
            row += 1
    row += 1
    for note in report.summary_notes:  # a ※n cell shows the official figure: the other value and why
        write_text(ws, row, 0, note, st, font_color=GREY)
        row += 1
    ws.freeze_panes(head + 1, 2)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(head - 1, head)
    ws.set_footer(f"&L{_footer(report)}&R&P / &N")


def _footer(report: Report) -> str:
    t = TEXT[report.lang]
    text = f"{report.title} {report.subtitle} {t['as_of']}: {report.as_of_label} {t['version']}: {report.data_version}"
    return text.replace("&", "&&")[:200]


def _header_height(names: Sequence[str]) -> int:
    """Points for a header row whose names wrap in 16-wide columns (about eight Japanese characters)."""
    longest = max((len(n) for n in names), default=1)
    return 15 * min(4, max(1, math.ceil(longest / 8)))


def _area(
    book: Any,
    ws: Any,
    st: Styles,
    report: Report,
    area: str,
    pages: list[IndicatorPage],
    tables: list[PageTable],
) -> None:
    t, lang = TEXT[report.lang], report.lang
    width = max((len(table.columns) for table in tables), default=1)
    chart_col = width + 2
    ws.set_column(0, 0, 11)
    ws.set_column(1, width, 16)
    ws.set_column(width + 1, width + 1, 3)
    write_text(ws, 0, 0, area, st, bold=True, font_size=14)
    write_text(
        ws, 1, 0, f"{report.subtitle}{t['sep']}{t['as_of']}: {report.as_of_label or t['none']}", st, font_color=GREY
    )
    row = 3
    header = {"bold": True, "bg_color": HEADER_FILL, "border": 1, "border_color": GRID, "text_wrap": True}
    for page, table in zip(pages, tables, strict=True):
        unit = page.card.indicator.unit
        title = page.title + ((f"（{unit}）" if lang == "ja" else f" ({unit})") if unit else "")
        write_text(ws, row, 0, title, st, bold=True, font_size=12)
        head = row + 1
        ws.set_row(head, _header_height([c.name for c in table.columns]))
        write_text(ws, head, 0, t["fiscal_year"], st, **header, valign="vcenter")
        for c, col in enumerate(table.columns):
            write_text(ws, head, c + 1, col.name, st, **header, valign="vcenter")
        for r, (year, label) in enumerate(table.years):
            write_text(ws, head + 1 + r, 0, label, st, border=1, border_color=GRID, align="center")
            for c, col in enumerate(table.columns):
                value, kind = col.cells.get(year, (None, ""))
                cell_kind = "" if col.role == "target" else kind
                mark = "※" if year in col.disputed else ""  # the official figure; the note below says the other
                write_value(ws, head + 1 + r, c + 1, value, st.value(col.decimals, cell_kind, lang, note=mark))
        notes = head + 1 + len(table.years)
        if not table.years:
            write_text(ws, notes, 0, t["no_data"], st, font_color=GREY)
            notes += 1
        for n, note in enumerate(page.footnotes):
            write_text(ws, notes + n, 0, note, st, font_color=GREY, font_size=9)
        if table.columns and table.years:
            chart = native_chart(book, ws.name, page.chart, table, head, lang)
            ws.insert_chart(row, chart_col, chart, {"description": describe(page.chart, lang)[:1000]})
        rows = 1 + max(len(table.years), 1) + len(page.footnotes)
        row = head + (max(rows, CHART_ROWS) if table.columns and table.years else rows) + 2
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
