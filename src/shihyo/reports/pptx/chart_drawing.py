"""Native, editable PowerPoint charts drawn from a `ChartPlan` (python-pptx plus chart XML patches).

`add_chart` draws the plan with python-pptx chart data (every series is in the chart's embedded
workbook) and, for combinations python-pptx has no API for, moves series into a c:lineChart of their
own, on the primary axes or on a secondary value axis; then styles fonts, colours, labels and axes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from pptx.chart.axis import ValueAxis
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt
from xlsxwriter import Workbook

from shihyo.core.charts.palette import GREY, TEXT
from shihyo.reports.pptx.charts import ChartPlan, SeriesPlan
from shihyo.reports.pptx.text import EMU_PER_INCH, Element, rgb, untyped

GRID = "#dcdce0"
AXIS_LINE = "#949498"
SECONDARY_IDS = ("600001", "600002")  # c:axId of the secondary category and value axes
WORKBOOK_DATE = datetime(2000, 1, 1)  # the embedded workbooks' creation date (fixed: reproducible files)


def _tint(colour: str, share: float = 0.5) -> str:
    """`colour` mixed with white."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * share) for c in (r, g, b)))


class _FixedDateWorkbookWriter(CategoryWorkbookWriter):
    """The embedded workbook with a fixed creation date (xlsxwriter stamps the current time otherwise), whose
    series names and categories are written as text even when they begin with = (never as formulas)."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})  # names stay text
        workbook.set_properties({"created": WORKBOOK_DATE})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return cast(CategoryWorkbookWriter, untyped(_FixedDateWorkbookWriter)(self))


def _base_type(plan: ChartPlan) -> Any:
    if plan.kind == "stacked":
        return XL_CHART_TYPE.COLUMN_STACKED
    if plan.kind in ("trend_bar", "bar_line"):
        return XL_CHART_TYPE.COLUMN_CLUSTERED
    return XL_CHART_TYPE.LINE_MARKERS


def add_chart(slide: Any, plan: ChartPlan, box: tuple[float, float, float, float]) -> Any:
    """Draw `plan` in `box` (inches) as a native chart; returns the graphic frame."""
    data = untyped(_ChartData)(number_format=plan.axis_format)
    data.categories = plan.categories
    for s in plan.series:
        data.add_series(s.name, s.values, number_format=s.number_format)
    left, top, width, height = (Emu(int(v * EMU_PER_INCH)) for v in box)
    frame = slide.shapes.add_chart(_base_type(plan), left, top, width, height, data)
    chart = frame.chart
    plot_area = chart._chartSpace.chart.plotArea
    if plan.kind in ("trend_bar", "bar_line"):
        overlay = [i for i, s in enumerate(plan.series) if s.role in ("line", "target")]
        secondary = [i for i, s in enumerate(plan.series) if s.role == "secondary"]
        if overlay:
            _to_line_chart(plot_area, overlay, secondary=False)
        if secondary:
            _to_line_chart(plot_area, secondary, secondary=True)
    _style(chart, plan)
    if any("projection" in s.kinds for s in plan.series):  # the projection's two points are joined
        blanks = chart._chartSpace.chart.find(qn("c:dispBlanksAs"))
        if blanks is not None:
            blanks.set("val", "span")
    return frame


def _to_line_chart(plot_area: Element, indexes: list[int], secondary: bool) -> Element:
    """Move the series with c:idx in `indexes` from the bar chart into a new c:lineChart.

    On the primary axes the line chart shares the bar chart's axis ids; on the secondary axes it gets its
    own deleted c:catAx and a c:valAx on the right that crosses the category axis at its maximum.
    """
    bar = plot_area.find(qn("c:barChart"))
    primary_ids = [a.get("val") for a in bar.findall(qn("c:axId"))]
    ids = list(SECONDARY_IDS) if secondary else primary_ids
    line = parse_xml(
        f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/>'
        f'<c:marker val="1"/><c:axId val="{ids[0]}"/><c:axId val="{ids[1]}"/></c:lineChart>'
    )
    marker = line.find(qn("c:marker"))
    for ser in list(bar.findall(qn("c:ser"))):
        if int(ser.find(qn("c:idx")).get("val")) in indexes:
            bar.remove(ser)
            marker.addprevious(_line_ser(ser))
    charts = [c for c in plot_area if c.tag.endswith("Chart")]
    charts[-1].addnext(line)
    if secondary:
        axes = [c for c in plot_area if c.tag in (qn("c:catAx"), qn("c:valAx"), qn("c:dateAx"), qn("c:serAx"))]
        cat_ax = parse_xml(
            f'<c:catAx {nsdecls("c")}><c:axId val="{ids[0]}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
            '<c:delete val="1"/><c:axPos val="b"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/><c:crossAx val="{ids[1]}"/><c:crosses val="autoZero"/>'
            '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        )
        val_ax = parse_xml(
            f'<c:valAx {nsdecls("c")}><c:axId val="{ids[1]}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
            '<c:delete val="0"/><c:axPos val="r"/><c:numFmt formatCode="General" sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{ids[0]}"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
        )
        axes[-1].addnext(cat_ax)
        cat_ax.addnext(val_ax)
    return line


def _line_ser(bar_ser: Element) -> Element:
    """A c:ser of a line chart with the bar series' identity and data references (c:tx, c:cat, c:val)."""
    ser = parse_xml(f"<c:ser {nsdecls('c')}/>")
    for tag in ("c:idx", "c:order", "c:tx", "c:spPr"):
        found = bar_ser.find(qn(tag))
        if found is not None:
            ser.append(found)
    ser.append(parse_xml(f'<c:marker {nsdecls("c")}><c:symbol val="circle"/><c:size val="7"/></c:marker>'))
    for tag in ("c:cat", "c:val"):
        found = bar_ser.find(qn(tag))
        if found is not None:
            ser.append(found)
    ser.append(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
    return ser


def _chart_area(chart_space: Element) -> None:
    """Square corners and a transparent chart area without a border (PowerPoint rounds corners by default)."""
    chart_space.find(qn("c:date1904")).addnext(parse_xml(f'<c:roundedCorners {nsdecls("c")} val="0"/>'))
    chart_space.find(qn("c:chart")).addnext(
        parse_xml(f"<c:spPr {nsdecls('c', 'a')}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")
    )


def _style(chart: Any, plan: ChartPlan) -> None:
    _chart_area(chart._chartSpace)
    chart.font.size = Pt(10)
    chart.font.color.rgb = rgb(TEXT)
    chart.has_title = True
    title_frame = chart.chart_title.text_frame
    title_frame.text = plan.title
    for run in title_frame.paragraphs[0].runs:
        run.font.size = Pt(12)
        run.font.bold = True
        run.font.color.rgb = rgb(TEXT)
    chart.has_legend = len(plan.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    for plot in chart.plots:
        if plan.kind in ("trend_bar", "stacked", "bar_line") and hasattr(plot, "gap_width"):
            plot.gap_width = 60
            if plan.kind == "trend_bar":
                plot.overlap = 100  # one kind per period: the bars stay centred on their period
        for series in plot.series:
            _style_series(series, plan.series[series.index], combined=plan.has_secondary)
    _style_axes(chart, plan)


def _style_series(series: Any, plan: SeriesPlan, combined: bool) -> None:
    """`combined`: bars share the plot with a line on another axis (their labels go inside the bars)."""
    colour = rgb(plan.colour)
    if plan.role in ("bar", "stacked"):
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = colour
        for i, kind in enumerate(plan.kinds):
            if plan.role == "stacked" or len({k for k in plan.kinds if k}) > 1:
                shade = _kind_shade(plan.colour, kind)
                if shade != plan.colour:
                    point = series.points[i].format.fill
                    point.solid()
                    point.fore_color.rgb = rgb(shade)
    elif plan.role == "target":
        series.format.line.fill.background()
        series.marker.style = XL_MARKER_STYLE.DIAMOND
        series.marker.size = 10
        series.marker.format.fill.background()
        series.marker.format.line.color.rgb = colour
        series.marker.format.line.width = Pt(2)
    else:
        series.smooth = False
        series.format.line.color.rgb = colour
        series.format.line.width = Pt(2.25)
        if plan.dashed:
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = colour
        for i, kind in enumerate(plan.kinds):
            if kind == "plan":
                point = series.points[i]
                point.format.line.color.rgb = colour
                point.format.line.width = Pt(2.25)
                point.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
                point.marker.style = XL_MARKER_STYLE.CIRCLE
                point.marker.size = 7
                point.marker.format.fill.solid()
                point.marker.format.fill.fore_color.rgb = rgb("#ffffff")
                point.marker.format.line.color.rgb = colour
    if plan.labels:
        labels = series.data_labels
        labels.show_value = True
        labels.number_format = plan.number_format
        labels.number_format_is_linked = False
        inside = plan.role == "bar" and combined  # at the foot of the bars, clear of the line above them
        if plan.role == "bar":
            labels.position = XL_LABEL_POSITION.INSIDE_BASE if inside else XL_LABEL_POSITION.OUTSIDE_END
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
        labels.font.size = Pt(9)
        labels.font.bold = plan.role != "bar"
        labels.font.color.rgb = rgb("#ffffff" if inside else GREY if plan.role == "bar" else plan.colour)
        if plan.role != "bar":
            _label_backing(labels._element)
        if inside:
            for i, kind in enumerate(plan.kinds):
                if kind and _kind_shade(plan.colour, kind) != plan.colour:  # a light bar: dark text
                    label = series.points[i].data_label
                    label.position = XL_LABEL_POSITION.INSIDE_BASE
                    label.font.size = Pt(9)
                    label.font.color.rgb = rgb(TEXT)


def _label_backing(d_lbls: Element) -> None:
    """A mostly opaque white box behind a line's value labels, so they read over bars and gridlines."""
    sp_pr = parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:solidFill><a:srgbClr val="FFFFFF"><a:alpha val="85000"/></a:srgbClr>'
        "</a:solidFill></c:spPr>"
    )
    following = ("c:txPr", "c:dLblPos", "c:showLegendKey", "c:showVal")
    anchor = next((c for c in d_lbls if c.tag in {qn(t) for t in following}), None)
    if anchor is not None:
        anchor.addprevious(sp_pr)
    else:
        d_lbls.append(sp_pr)


def _kind_shade(colour: str, kind: str) -> str:
    if kind == "plan":
        return _tint(colour, 0.6)
    if kind == "estimate":
        return _tint(colour, 0.3)
    return colour


def _style_value_axis(axis: Any, title: str, fmt: str, gridlines: bool) -> None:
    axis.has_major_gridlines = gridlines
    if gridlines:
        axis.major_gridlines.format.line.color.rgb = rgb(GRID)
        axis.major_gridlines.format.line.width = Pt(0.75)
    axis.format.line.fill.background()
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.tick_labels.number_format = fmt
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(9)
    axis.tick_labels.font.color.rgb = rgb(TEXT)
    if title:
        axis.has_title = True
        frame = axis.axis_title.text_frame
        frame.text = title
        for run in frame.paragraphs[0].runs:
            run.font.size = Pt(9)
            run.font.bold = False
            run.font.color.rgb = rgb(TEXT)


def _style_axes(chart: Any, plan: ChartPlan) -> None:
    category = chart.category_axis
    category.has_major_gridlines = False
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.format.line.color.rgb = rgb(AXIS_LINE)
    category.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below the plot even when values are negative
    category.tick_labels.font.size = Pt(10)
    category.tick_labels.font.color.rgb = rgb(TEXT)
    # not chart.value_axis: with two value axes python-pptx returns the second one
    value_axes = chart._chartSpace.chart.plotArea.findall(qn("c:valAx"))
    _style_value_axis(untyped(ValueAxis)(value_axes[0]), plan.axis_title, plan.axis_format, gridlines=True)
    if plan.has_secondary:
        _style_value_axis(untyped(ValueAxis)(value_axes[-1]), plan.axis2_title, plan.axis2_format, gridlines=False)
