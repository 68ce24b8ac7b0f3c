"""Native Excel charts of the report's indicator pages, drawn from the chart model.

`page_table` lays the chart's data table (`shihyo.core.charts.chart_table`, every series the chart
draws, every year in its place) out as sheet columns; `native_chart` draws the chart from those cells
(columns for counts, a line for rates, columns with a ratio line on a second axis, stacked parts,
one line per org unit, an index against its target path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shihyo.core.charts import Chart, chart_table
from shihyo.core.charts.legend import legend_entry, target_mark
from shihyo.core.charts.model import Axis, Mark, Role
from shihyo.core.charts.palette import GREY, ORANGE, TEXT, hex_colour
from shihyo.core.indicators import ChartKind
from shihyo.io.cells import chart_text
from shihyo.reports.xlsx.cells import FONT, number_format

CHART_WIDTH, CHART_HEIGHT = 560, 300
FISCAL_YEAR = {"ja": "年度", "en": "Fiscal year"}


@dataclass(frozen=True)
class Column:
    """One series of an indicator's chart as a table column: fiscal year → (value, kind)."""

    name: str
    role: str  # main | bar | line | part | unit | target | projection | projection_y2 (on the second axis)
    decimals: int
    cells: dict[int, tuple[float, str]]
    colour: str
    code: str
    org_unit: str
    # fiscal years whose value is an official figure that differs from its recomputation (marked ※, noted below)
    disputed: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PageTable:
    kind: str  # column | line | bar_line | stacked | comparison | index_target
    years: list[tuple[int, str]]  # (fiscal year, label), oldest first, every year of the chart
    columns: list[Column]


def _layout(chart: Chart) -> str:
    if chart.kind is ChartKind.TREND:
        main = chart.series[0] if chart.series else None
        return "line" if main is not None and main.mark is Mark.LINE else "column"
    return chart.kind.value


def _role(chart: Chart, role: Role, axis: Axis) -> str:
    if role is Role.TARGET:
        return "target"
    if chart.kind is ChartKind.BAR_LINE:
        return "line" if axis is Axis.SECONDARY else "bar"
    return {ChartKind.STACKED: "part", ChartKind.COMPARISON: "unit"}.get(chart.kind, "main")


def page_table(chart: Chart, lang: str) -> PageTable:
    """The chart's data table as columns of cells by fiscal year."""
    table = chart_table(chart, lang, with_total=False)  # the stack shows the whole; the summary lists it
    columns = []
    for n, (column, series) in enumerate(zip(table.columns, chart.drawn, strict=True)):
        cells = {
            row.period.fiscal_year: (float(cell.value), cell.kind)
            for row in table.rows
            if (cell := row.cells[n]).value is not None
        }
        role = _role(chart, series.role, series.axis)
        colour = hex_colour(series.colour)
        disputed = frozenset(
            c.period.fiscal_year for c, v in zip(chart.categories, series.values, strict=True) if v and v.other
        )
        columns.append(
            Column(column.name, role, max(column.decimals, 0), cells, colour, column.code, column.org_unit, disputed)
        )
    columns += _projection_columns(chart, lang)
    return PageTable(_layout(chart), [(r.period.fiscal_year, r.label) for r in table.rows], columns)


def _projection_columns(chart: Chart, lang: str) -> list[Column]:
    """Each projection as a column of two cells, the latest actual and the value projected at the target year
    (drawn as a grey dashed line joining them, distinct from plans); on the second axis where it projects the line
    of a bar-and-line chart."""
    out = []
    for segment in chart.projections:
        years = [c.period.fiscal_year for c in chart.categories]
        cells = {
            years[segment.start]: (float(segment.start_value), "actual"),
            years[segment.end]: (float(segment.end_value), "projection"),
        }
        role = "projection_y2" if chart.kind is ChartKind.BAR_LINE and segment.axis is Axis.SECONDARY else "projection"
        own = next((s for s in chart.series if s.code == segment.code and s.axis is segment.axis), None)
        decimals = max(own.decimals if own is not None else segment.decimals, 0)
        out.append(Column(segment.label.get(lang), role, decimals, cells, GREY, segment.code, ""))
    return out


def _font(size: float = 9, bold: bool = False) -> dict[str, Any]:
    return {"name": FONT, "size": size, "bold": bold, "color": TEXT}


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


def _value_axis(title: str, decimals: int, lang: str) -> dict[str, Any]:
    return {
        "name": chart_text(title),
        "name_font": _font(9),
        "num_font": _font(9),
        "num_format": number_format(max(decimals, 0), lang),
        "major_gridlines": {"visible": True, "line": {"color": "#dcdce0", "width": 0.5}},
        "line": {"none": True},
    }


def _target_style(kind: str) -> dict[str, Any]:
    if kind == "index_target":
        return {"line": {"color": ORANGE, "width": 2, "dash_type": "dash"}, "marker": {"type": "none"}}
    return {
        "line": {"none": True},
        "marker": {"type": "diamond", "size": 8, "border": {"color": ORANGE}, "fill": {"none": True}},
    }


def _projection_style() -> dict[str, Any]:
    return {
        "line": {"color": GREY, "width": 2, "dash_type": "dash"},
        "marker": {"type": "circle", "size": 6, "fill": {"none": True}, "border": {"color": GREY}},
    }


def _line_style(col: Column, years: list[tuple[int, str]]) -> dict[str, Any]:
    colour = col.colour
    return {
        "line": {"color": colour, "width": 2},
        "marker": {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}},
        "points": _line_points(col, years, colour),
    }


def native_chart(book: Any, sheet: str, chart: Chart, table: PageTable, head: int, lang: str) -> Any:
    """The chart of `table`, whose header row is `head` and whose years follow it in column A."""
    first, last = head + 1, head + len(table.years)
    categories = [sheet, first, 0, last, 0]
    kind = table.kind

    def series(c: int) -> dict[str, Any]:
        return {"name": [sheet, head, c + 1], "categories": categories, "values": [sheet, first, c + 1, last, c + 1]}

    bars = kind in ("column", "bar_line", "stacked")
    if kind == "stacked":
        drawn = book.add_chart({"type": "column", "subtype": "stacked"})
    else:
        drawn = book.add_chart({"type": "column" if bars else "line"})
    overlay = book.add_chart({"type": "line"}) if bars else None
    for c, col in enumerate(table.columns):
        s = series(c)
        if col.role in ("projection", "projection_y2"):  # dashed grey, its two points joined across the blanks
            y2 = {"y2_axis": True} if col.role == "projection_y2" else {}
            (overlay or drawn).add_series(s | _projection_style() | y2)
        elif col.role == "target":
            mark = {"name": target_mark(lang)} if kind != "index_target" else {}  # a diamond, not the dashed path
            (overlay or drawn).add_series(s | _target_style(kind) | mark)
        elif col.role == "line":  # bar_line: the ratio on the second axis
            named = {"name": chart_text(legend_entry(lang, col.name, "line", Axis.SECONDARY))}
            (overlay or drawn).add_series(s | _line_style(col, table.years) | {"y2_axis": True} | named)
        elif bars:
            s |= {"fill": {"color": col.colour}, "border": {"none": True}, "gap": 60}
            if kind == "bar_line":  # the legend says which is the bar and which the line, as on the dashboard
                s["name"] = chart_text(legend_entry(lang, col.name, "bar", Axis.PRIMARY))
            s["points"] = _bar_points(col, table.years, col.colour)
            if kind == "stacked":
                s["overlap"] = 100
            drawn.add_series(s)
        else:
            drawn.add_series(s | _line_style(col, table.years))
    if overlay is not None and overlay.series:
        if kind == "bar_line":
            line = next(col for col in table.columns if col.role == "line")
            overlay.set_y2_axis(_value_axis(line.name, line.decimals, lang))
        drawn.combine(overlay)
    axis = chart.axis(Axis.PRIMARY)
    if kind == "bar_line":
        bar = next((col for col in table.columns if col.role == "bar"), None)
        drawn.set_y_axis(_value_axis(bar.name if bar else "", bar.decimals if bar else 0, lang))
    else:
        drawn.set_y_axis(_value_axis(axis.unit if axis else "", axis.decimals if axis else 0, lang))
    drawn.set_x_axis({"name": FISCAL_YEAR[lang], "name_font": _font(9), "num_font": _font(9), "line": {"color": GREY}})
    drawn.set_title({"name": chart_text(chart.title.get(lang)), "name_font": _font(11, bold=True), "overlay": False})
    drawn.set_legend({"position": "bottom", "font": _font(9)})
    drawn.set_chartarea({"border": {"none": True}})
    drawn.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    # a projection's two points are joined (as on the dashboard, where a line joins the values it has)
    projected = any(col.role in ("projection", "projection_y2") for col in table.columns)
    drawn.show_blanks_as("span" if projected else "gap")
    return drawn
