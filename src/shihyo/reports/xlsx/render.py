"""The annual report as an Excel workbook (XlsxWriter): numbers stay numbers, charts are native.

Sheets, in order:

- 表紙 / Cover: title, period, as-of label, data version, the list of sheets and a legend;
- 主要指標一覧表 / Summary: the summary table with numeric cells (plans filled, estimates marked ※ (* in English),
  negatives ▲ in Japanese), the base and report years marked, header rows and name columns frozen;
- one sheet per area: each key indicator's yearly values and a native Excel chart of the kind the
  report draws (columns for counts, a line for rates, columns with a ratio line on a second axis,
  stacked parts, one line per org unit, an index against its target path);
- データ / Data: the long table (indicator, name, org unit, period, label, fiscal year, kind, value, unit).

Every number is written with `write_number` from the report model; every text with `write_string`
(never a formula), and text that a spreadsheet could take for a formula (= + - @) also gets Excel's
quote prefix. The workbook's creation time is fixed, so the same report gives the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from shihyo.core.charts import BLUE, GREY, KIND_LABELS, ORANGE, PALETTE
from shihyo.core.indicators import ChartKind
from shihyo.core.periods import fiscal_year
from shihyo.core.report import IndicatorPage, Report
from shihyo.core.summary_table import SummaryRow
from shihyo.io.cells import looks_like_formula

FONT = "BIZ UDGothic"
FONT_SIZE = 10
ROW_HEIGHT_PX = 22  # BIZ UDGothic needs a little more than Excel's default 20 px at 10 pt
CREATED = datetime(2000, 1, 1)  # when the as-of label is no date: any fixed moment keeps files identical

ESTIMATE_BLUE = "#4f6fe0"  # as in the Vega-Lite charts
PLAN_FILL = "#e8eefc"
BASE_FILL = "#fff1c2"
PERIOD_FILL = "#dfe9ff"
HEADER_FILL = "#f1f1f4"
SECTION_FILL = "#e3e3e8"
GRID = "#bdbdc4"
CHART_WIDTH, CHART_HEIGHT = 560, 300
CHART_ROWS = math.ceil(CHART_HEIGHT / ROW_HEIGHT_PX)

TEXT = {
    "ja": {
        "cover": "表紙",
        "summary": "主要指標一覧表",
        "data": "データ",
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


# --- number formats and cell styles -------------------------------------------------------------


def number_format(decimals: int, lang: str, *, estimate: bool = False) -> str:
    """`#,##0.0;"▲"#,##0.0` (ja) or `#,##0.0;-#,##0.0` (en); an estimate is shown `※1,234` / `※▲1,234`
    (`*1,234` / `*-1,234` in English)."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    mark = ("※" if lang == "ja" else "*") if estimate else ""
    minus = "▲" if lang == "ja" else "-"
    positive = f'"{mark}"{body}' if mark else body
    negative = f'"{mark}{minus}"{body}' if lang == "ja" or mark else f"-{body}"
    return f"{positive};{negative}"


class Styles:
    """XlsxWriter formats by their properties, each made once (a workbook holds a limited number)."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._book.add_format(props)
        return self._made[key]

    def value(self, decimals: int, kind: str, lang: str, **extra: Any) -> Any:
        """A numeric cell in a table: plans on a light fill, estimates in italics and marked."""
        props: dict[str, Any] = {
            "num_format": number_format(max(decimals, 0), lang, estimate=kind == "estimate"),
            "border": 1,
            "border_color": GRID,
        }
        if kind == "plan":
            props["bg_color"] = PLAN_FILL
        if kind == "estimate":
            props["italic"] = True
        props.update(extra)
        return self.get(**props)


def write_text(ws: Any, row: int, col: int, text: str, styles: Styles, **props: Any) -> None:
    """Text as text: never a formula, and quote-prefixed when it looks like one."""
    if looks_like_formula(text):
        props["quote_prefix"] = True
    ws.write_string(row, col, text, styles.get(**props) if props else None)


def write_value(ws: Any, row: int, col: int, value: float | None, fmt: Any) -> None:
    if value is None or math.isnan(value) or math.isinf(value):
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\)."""
    clean = re.sub(r"[\[\]:*?/\\]", "・", name).replace("'", "’").strip() or "Sheet"
    base, n = clean[:31], 2
    chosen = base
    while chosen.casefold() in taken:
        suffix = f" ({n})"
        chosen = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(chosen.casefold())
    return chosen


def _decimals_in(texts: Iterable[str]) -> int:
    """Decimal places a figure is shown with, read from its formatted text (`35.2%` → 1)."""
    found = [len(m.group(1)) for t in texts if (m := re.search(r"\d\.(\d+)", t))]
    return max(found, default=0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, str) and value.strip():
        try:
            return float(Decimal(value))
        except ArithmeticError:
            return None
    return None


# --- the figures behind each page ---------------------------------------------------------------


@dataclass
class Column:
    """One series of an indicator's chart as a table column: fiscal year → (value, kind)."""

    name: str
    role: str  # main | bar | line | part | unit | target
    decimals: int
    cells: dict[int, tuple[float, str]]
    code: str | None = None  # the series or indicator it shows (None for targets)
    org_unit: str | None = None


@dataclass
class PageTable:
    kind: str  # column | line | bar_line | stacked | comparison | index_target
    years: list[tuple[int, str]]  # (fiscal year, label), oldest first
    columns: list[Column]


def chart_kind(page: IndicatorPage) -> str:
    """The chart the report draws for the page (the same choice as `shihyo.core.charts.chart_spec`)."""
    chart = page.card.indicator.chart
    if chart is not None:
        if chart.kind is ChartKind.BAR_LINE and chart.bars:
            return "bar_line"
        if chart.kind is ChartKind.STACKED and chart.parts:
            return "stacked"
        if chart.kind is ChartKind.COMPARISON:
            return "comparison"
        if chart.kind is ChartKind.INDEX_TARGET:
            return "index_target"
    return "line" if _marks(page.chart.get("layer", [{}])[0]) & {"line"} else "column"


def _marks(spec: Any) -> set[str]:
    if not isinstance(spec, dict):
        return set()
    found: set[str] = set()
    mark = spec.get("mark")
    if isinstance(mark, str):
        found.add(mark)
    elif isinstance(mark, dict) and isinstance(mark.get("type"), str):
        found.add(mark["type"])
    for layer in spec.get("layer", []):
        found |= _marks(layer)
    return found


def _domain(spec: dict[str, Any]) -> list[str]:
    """Series names in the order the chart's colour scale lists them."""
    encodings = [spec.get("encoding", {})] + [layer.get("encoding", {}) for layer in spec.get("layer", [])]
    for enc in encodings:
        domain = enc.get("color", {}).get("scale", {}).get("domain")
        if enc.get("color", {}).get("field") == "series" and isinstance(domain, list):
            return [str(d) for d in domain]
    return []


def _filtered(layer: dict[str, Any]) -> str | None:
    for step in layer.get("transform", []):
        test = step.get("filter") if isinstance(step, dict) else None
        if isinstance(test, dict) and test.get("field") == "series":
            return str(test.get("equal"))
    return None


def page_table(page: IndicatorPage, lang: str) -> PageTable:
    """The page's chart data (the Vega-Lite spec's data.values) as a table of columns."""
    spec = page.chart
    indicator = page.card.indicator
    decimals = max(indicator.decimals, 0)
    kinds = {label: key for key, label in KIND_LABELS[lang].items()}
    labels: dict[int, str] = {}
    series: dict[str, dict[int, tuple[float, str]]] = {}
    targets: dict[int, tuple[float, str]] = {}
    for row in spec.get("data", {}).get("values", []):
        year = int(row["order"])
        labels.setdefault(year, str(row["period"]))
        kind = kinds.get(str(row["kind"]), "actual")
        if kind == "target":
            targets.setdefault(year, (float(row["value"]), kind))
        else:
            series.setdefault(str(row["series"]), {})[year] = (float(row["value"]), kind)
    kind = chart_kind(page)
    chart = indicator.chart
    code, unit = indicator.code, page.card.org_unit
    columns: list[Column] = []
    if kind == "bar_line" and chart is not None:
        layers = spec.get("layer", [])
        bar_name = (_filtered(layers[0]) if layers else None) or chart.bars or ""
        line_name = (_filtered(layers[1]) if len(layers) > 1 else None) or indicator.name
        columns = [
            Column(bar_name, "bar", 0, series.get(bar_name, {}), chart.bars, unit),
            Column(line_name, "line", decimals, series.get(line_name, {}), code, unit),
        ]
    elif kind == "stacked" and chart is not None:
        domain = _domain(spec) or list(series)
        codes = list(chart.parts) + [None] * max(0, len(domain) - len(chart.parts))
        columns = [Column(n, "part", 0, series.get(n, {}), c, unit) for n, c in zip(domain, codes, strict=False)]
    elif kind == "comparison" and chart is not None:
        domain = _domain(spec) or list(series)
        units = [unit, *chart.compare]
        columns = [Column(n, "unit", decimals, series.get(n, {}), code, u) for n, u in zip(domain, units, strict=False)]
    else:
        columns = [
            Column(page.title if name == "" else name, "main", decimals, cells, code, unit)
            for name, cells in series.items()
        ]
    columns = [c for c in columns if c.cells]
    if targets:
        columns.append(Column(KIND_LABELS[lang]["target"], "target", decimals, targets))
    return PageTable(kind, sorted(labels.items()), columns)


@dataclass
class Figures:
    """What the workbook needs beyond the page charts, taken from the report model.

    `main`: (code, fiscal year) → (value, kind) for the main org unit; exact from the cards' trends
    and from the chart data of parts and bars. `labels`: fiscal year → the report's year label.
    """

    tables: list[PageTable]
    labels: dict[int, str] = field(default_factory=dict)
    main: dict[tuple[str, int], tuple[float, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report) -> Figures:
        figures = cls([page_table(p, report.lang) for p in report.indicator_pages])
        for page, table in zip(report.indicator_pages, figures.tables, strict=True):
            figures.labels.update({year: label for year, label in table.years})
            for col in table.columns:
                if col.code and col.org_unit == page.card.org_unit:
                    for year, cell in col.cells.items():
                        figures.main.setdefault((col.code, year), cell)
            for point in page.card.trend:  # the engine's exact values win over the chart's floats
                year = point.period.fiscal_year
                figures.main[(page.card.indicator.code, year)] = (float(point.value), point.kind)
        return figures

    def year_of(self, label: str) -> int | None:
        return next((year for year, text in self.labels.items() if text == label), None)


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

    cover = book.add_worksheet(names["cover"])
    summary = book.add_worksheet(names["summary"])
    _summary(summary, styles, report, figures)
    for area, indices in areas.items():
        ws = book.add_worksheet(area_names[area])
        pages = [report.indicator_pages[i] for i in indices]
        _area(book, ws, styles, report, area, pages, [figures.tables[i] for i in indices])
    data = book.add_worksheet(names["data"])
    _data(data, styles, report, figures)
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
    return _decimals_in(c.text for c in row.cells)


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
                value = _number(getattr(cell, "value", None))  # SummaryCell.value, when the model carries it
                if value is None:
                    year = figures.year_of(years[i])
                    found = figures.main.get((line.code, year)) if year is not None else None
                    value = found[0] if found else None
                write_value(ws, row, 2 + i, value, st.value(decimals, cell.kind, lang))
            write_text(ws, row, code_col, line.code, st, border=1, border_color=GRID, font_color=GREY)
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
                write_value(ws, head + 1 + r, c + 1, value, st.value(col.decimals, cell_kind, lang))
        notes = head + 1 + len(table.years)
        if not table.years:
            write_text(ws, notes, 0, t["no_data"], st, font_color=GREY)
            notes += 1
        for n, note in enumerate(page.footnotes):
            write_text(ws, notes + n, 0, note, st, font_color=GREY, font_size=9)
        if table.columns and table.years:
            chart = _chart(book, ws.name, page, table, head, lang)
            ws.insert_chart(
                row, chart_col, chart, {"description": str(page.chart.get("description", page.title))[:1000]}
            )
        rows = 1 + max(len(table.years), 1) + len(page.footnotes)
        row = head + (max(rows, CHART_ROWS) if table.columns and table.years else rows) + 2
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


# --- charts ---------------------------------------------------------------------------------------


def _font(size: float = 9, bold: bool = False) -> dict[str, Any]:
    return {"name": FONT, "size": size, "bold": bold, "color": "#1a1a1c"}


def _bar_points(col: Column, years: list[tuple[int, str]], color: str) -> list[dict[str, Any] | None]:
    points: list[dict[str, Any] | None] = []
    for year, _ in years:
        kind = col.cells.get(year, (0.0, ""))[1]
        if kind == "plan":
            points.append({"fill": {"color": color, "transparency": 60}, "border": {"color": color}})
        elif kind == "estimate":
            points.append({"fill": {"color": color, "transparency": 25}})
        else:
            points.append(None)
    return points if any(points) else []


def _line_points(col: Column, years: list[tuple[int, str]], color: str) -> list[dict[str, Any] | None]:
    """The segment into a plan year is dashed, into an estimate year dotted."""
    points: list[dict[str, Any] | None] = []
    for year, _ in years:
        kind = col.cells.get(year, (0.0, ""))[1]
        dash = {"plan": "dash", "estimate": "round_dot"}.get(kind)
        points.append({"line": {"color": color, "width": 2, "dash_type": dash}} if dash else None)
    return points if any(points) else []


def _chart(book: Any, sheet: str, page: IndicatorPage, table: PageTable, head: int, lang: str) -> Any:
    first, last = head + 1, head + len(table.years)
    categories = [sheet, first, 0, last, 0]
    kind = table.kind
    decimals = max(page.card.indicator.decimals, 0)

    def series(c: int) -> dict[str, Any]:
        return {"name": [sheet, head, c + 1], "categories": categories, "values": [sheet, first, c + 1, last, c + 1]}

    bars = kind in ("column", "bar_line", "stacked")
    if kind == "stacked":
        chart = book.add_chart({"type": "column", "subtype": "stacked"})
    else:
        chart = book.add_chart({"type": "column" if bars else "line"})
    overlay = book.add_chart({"type": "line"}) if bars else None
    for c, col in enumerate(table.columns):
        s = series(c)
        color = PALETTE[c % len(PALETTE)] if kind in ("stacked", "comparison") else BLUE
        if col.role == "target":
            if kind == "index_target":
                s |= {"line": {"color": ORANGE, "width": 2, "dash_type": "dash"}, "marker": {"type": "none"}}
            else:
                s |= {
                    "line": {"none": True},
                    "marker": {"type": "diamond", "size": 8, "border": {"color": ORANGE}, "fill": {"none": True}},
                }
            (overlay or chart).add_series(s)
        elif col.role == "line":  # bar_line: the ratio on the second axis
            s |= {
                "line": {"color": ORANGE, "width": 2},
                "marker": {"type": "circle", "size": 5, "fill": {"color": ORANGE}, "border": {"color": ORANGE}},
                "y2_axis": True,
                "points": _line_points(col, table.years, ORANGE),
            }
            (overlay or chart).add_series(s)
        elif bars:
            s |= {"fill": {"color": color}, "border": {"none": True}, "gap": 60}
            s["points"] = _bar_points(col, table.years, color)
            if kind == "stacked":
                s["overlap"] = 100
            chart.add_series(s)
        else:
            s |= {
                "line": {"color": color, "width": 2},
                "marker": {"type": "circle", "size": 5, "fill": {"color": color}, "border": {"color": color}},
                "points": _line_points(col, table.years, color),
            }
            chart.add_series(s)
    if overlay is not None and overlay.series:
        if kind == "bar_line":
            line = next(col for col in table.columns if col.role == "line")
            overlay.set_y2_axis(_value_axis(line.name, line.decimals, lang))
        chart.combine(overlay)
    unit = page.card.indicator.unit
    if kind == "bar_line":
        bar = next((col for col in table.columns if col.role == "bar"), None)
        chart.set_y_axis(_value_axis(bar.name if bar else unit, 0, lang))
    else:
        chart.set_y_axis(_value_axis(unit, 0 if kind == "stacked" else decimals, lang))
    chart.set_x_axis(
        {
            "name": TEXT[lang]["fiscal_year"],
            "name_font": _font(9),
            "num_font": _font(9),
            "line": {"color": GREY},
        }
    )
    chart.set_title({"name": page.title, "name_font": _font(11, bold=True), "overlay": False})
    chart.set_legend({"position": "bottom", "font": _font(9)})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    chart.show_blanks_as("gap")
    return chart


def _value_axis(title: str, decimals: int, lang: str) -> dict[str, Any]:
    return {
        "name": title,
        "name_font": _font(9),
        "num_font": _font(9),
        "num_format": number_format(decimals, lang),
        "major_gridlines": {"visible": True, "line": {"color": "#dcdce0", "width": 0.5}},
        "line": {"none": True},
    }


# --- the long table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataRow:
    indicator: str
    name: str
    org_unit: str
    period: str
    period_label: str
    fiscal_year: int
    kind: str
    value: float | None
    unit: str
    decimals: int


def data_rows(report: Report, figures: Figures) -> list[DataRow]:
    """The long table: `Report.data_rows` (`shihyo.core.tables.indicator_rows`) when the model carries
    it, else every yearly value of the key indicators the pages show (main unit and compared units)."""
    given = getattr(report, "data_rows", None)
    decimals = {p.card.indicator.code: max(p.card.indicator.decimals, 0) for p in report.indicator_pages}
    if given:
        return [
            DataRow(
                str(r["indicator"]),
                str(r["name"]),
                str(r["org_unit"]),
                str(r["period"]),
                str(r["period_label"]),
                int(r["fiscal_year"]),
                str(r["kind"]),
                _number(r["value"]),
                str(r["unit"]),
                decimals.get(str(r["indicator"]), _decimals_in([str(r.get("display", ""))])),
            )
            for r in given
        ]
    rows: list[DataRow] = []
    for page, table in zip(report.indicator_pages, figures.tables, strict=True):
        ind = page.card.indicator
        exact = {p.period.fiscal_year: (float(p.value), p.kind) for p in page.card.trend}
        units: list[tuple[str, dict[int, tuple[float, str]]]] = [(page.card.org_unit, exact)]
        units += [
            (col.org_unit, col.cells)
            for col in table.columns
            if col.code == ind.code and col.org_unit and col.org_unit != page.card.org_unit
        ]
        for org_unit, cells in units:
            for year in sorted(cells):
                value, kind = cells[year]
                label = figures.labels.get(year, fiscal_year(year).key)
                rows.append(
                    DataRow(
                        ind.code,
                        page.title,
                        org_unit,
                        fiscal_year(year).key,
                        label,
                        year,
                        kind,
                        value,
                        ind.unit,
                        max(ind.decimals, 0),
                    )
                )
    return rows


def _data(ws: Any, st: Styles, report: Report, figures: Figures) -> None:
    t, lang = TEXT[report.lang], report.lang
    heads = t["data_head"].split("|")
    widths = [30, 48, 16, 12, 10, 8, 8, 16, 8]
    for c, (head, width) in enumerate(zip(heads, widths, strict=True)):
        ws.set_column(c, c, width)
        write_text(ws, 0, c, head, st, bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID)
    kinds = KIND_LABELS[lang]
    year_format = st.get(num_format="0")
    rows = data_rows(report, figures)
    limit = 1_048_575  # Excel's last row
    for n, r in enumerate(rows[:limit], start=1):
        write_text(ws, n, 0, r.indicator, st)
        write_text(ws, n, 1, r.name, st)
        write_text(ws, n, 2, r.org_unit, st)
        write_text(ws, n, 3, r.period, st)
        write_text(ws, n, 4, r.period_label, st)
        ws.write_number(n, 5, r.fiscal_year, year_format)
        write_text(ws, n, 6, kinds.get(r.kind, r.kind), st)
        write_value(ws, n, 7, r.value, st.get(num_format=number_format(r.decimals, lang)))
        write_text(ws, n, 8, r.unit, st)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, min(len(rows), limit)), len(heads) - 1)
