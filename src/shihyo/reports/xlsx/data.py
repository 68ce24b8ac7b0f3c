"""The figures of the Excel report beyond its sheets' layout: page tables by year and the long table.

`Figures` gathers each page's chart table (`shihyo.reports.xlsx.charts.page_table`) and the main org
unit's exact values for the summary; `data_rows` is the long table of the データ / Data sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shihyo.core.charts import KIND_LABELS
from shihyo.core.periods import fiscal_year
from shihyo.core.report import Report
from shihyo.io.cells import looks_like_formula
from shihyo.reports.xlsx.cells import Styles, decimals_in, number, number_format, write_text, write_value
from shihyo.reports.xlsx.charts import PageTable, page_table

HEADER_FILL = "#f1f1f4"
GRID = "#bdbdc4"


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
        figures = cls([page_table(p.chart, report.lang) for p in report.indicator_pages])
        for page, table in zip(report.indicator_pages, figures.tables, strict=True):
            figures.labels.update({year: label for year, label in table.years})
            for col in table.columns:
                if col.role not in ("target", "projection", "projection_y2") and col.org_unit == page.card.org_unit:
                    for year, cell in col.cells.items():
                        figures.main.setdefault((col.code, year), cell)
            for point in page.card.trend:  # the engine's exact values win over the chart's floats
                year = point.period.fiscal_year
                figures.main[(page.card.indicator.code, year)] = (float(point.value), point.kind)
        return figures

    def year_of(self, label: str) -> int | None:
        return next((year for year, text in self.labels.items() if text == label), None)


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
                number(r["value"]),
                str(r["unit"]),
                decimals.get(str(r["indicator"]), decimals_in([str(r.get("display", ""))])),
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


def write_data_sheet(ws: Any, st: Styles, report: Report, figures: Figures, words: dict[str, str]) -> None:
    """データ / Data: the long table, one value per row, with a filter on its header."""
    t, lang = words, report.lang
    heads = t["data_head"].split("|")
    widths = [30, 48, 16, 12, 10, 8, 8, 16, 8]
    for c, (head, width) in enumerate(zip(heads, widths, strict=True)):
        ws.set_column(c, c, width)
        write_text(ws, 0, c, head, st, bold=True, bg_color=HEADER_FILL, border=1, border_color=GRID)
    kinds = KIND_LABELS[lang]
    year_format = st.get(num_format="0")
    rows = data_rows(report, figures)
    limit = 1_048_575  # Excel's last row
    # the same few codes, names, units and years repeat on every row: each text is checked once
    text_formats: dict[str, Any] = {}
    value_formats: dict[int, Any] = {}

    def text(row: int, col: int, value: str) -> None:
        if value not in text_formats:
            text_formats[value] = st.get(quote_prefix=True) if looks_like_formula(value) else None
        ws.write_string(row, col, value, text_formats[value])

    for n, r in enumerate(rows[:limit], start=1):
        text(n, 0, r.indicator)
        text(n, 1, r.name)
        text(n, 2, r.org_unit)
        text(n, 3, r.period)
        text(n, 4, r.period_label)
        ws.write_number(n, 5, r.fiscal_year, year_format)
        text(n, 6, kinds.get(r.kind, r.kind))
        if r.decimals not in value_formats:
            value_formats[r.decimals] = st.get(num_format=number_format(r.decimals, lang))
        write_value(ws, n, 7, r.value, value_formats[r.decimals])
        text(n, 8, r.unit)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, min(len(rows), limit)), len(heads) - 1)
