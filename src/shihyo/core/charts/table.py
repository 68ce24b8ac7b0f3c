"""The data table of a chart: every series the chart draws (and the whole of stacked parts), one row per
category.

It is the chart's text alternative on the indicator page and the table beside each chart in the
reports, rendered from the same model as the chart, so a table never lacks a series its chart shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shihyo.core.charts.model import Chart, Role, Series
from shihyo.core.formatting import format_value
from shihyo.core.periods import Period


@dataclass(frozen=True)
class TableColumn:
    name: str
    unit: str
    decimals: int
    role: Role
    code: str
    org_unit: str


@dataclass(frozen=True)
class TableCell:
    value: Decimal | None
    kind: str  # actual | estimate | plan | target, "" where there is no value
    text: str  # the value as people read it ("51.1%", "▲14.7%"), "" where there is no value


@dataclass(frozen=True)
class TableRow:
    period: Period
    label: str
    cells: tuple[TableCell, ...]

    @property
    def is_empty(self) -> bool:
        return all(c.value is None for c in self.cells)


@dataclass(frozen=True)
class ChartTable:
    title: str
    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]  # every category, gaps included (see `filled`)

    @property
    def filled(self) -> tuple[TableRow, ...]:
        """The rows that have at least one value."""
        return tuple(r for r in self.rows if not r.is_empty)


def _column(series: Series, lang: str) -> TableColumn:
    return TableColumn(series.name.get(lang), series.unit, series.decimals, series.role, series.code, series.org_unit)


def chart_table(chart: Chart, lang: str = "ja", *, with_total: bool = True) -> ChartTable:
    """Every series of `chart` that has a value, as columns (then the whole of stacked parts, unless not
    `with_total`); every category as a row."""
    drawn = chart.drawn
    if with_total and chart.total is not None and chart.total.points:
        drawn = (*drawn, chart.total)
    rows = []
    for i, category in enumerate(chart.categories):
        cells = []
        for series in drawn:
            found = series.values[i]
            if found is None:
                cells.append(TableCell(None, "", ""))
                continue
            text = format_value(found.value, series.unit, series.decimals, lang)
            cells.append(TableCell(found.value, found.kind, text))
        rows.append(TableRow(category.period, category.label.get(lang), tuple(cells)))
    return ChartTable(chart.title.get(lang), tuple(_column(s, lang) for s in drawn), tuple(rows))
