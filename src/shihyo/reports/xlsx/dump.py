"""A workbook as stable text, for golden files and for reading a workbook in a review.

`workbook_dump(path)` lists the document properties, then per sheet its name, frozen panes,
merged ranges, every non-empty cell as `A1<TAB>type<TAB>value<TAB>number_format` (openpyxl types:
n number, s string, b bool, d date, f formula; a quote-prefixed string shows its leading '), and
every chart with its anchor, title, plot types (bar/line, direction, grouping, primary or secondary
axis) and each series' name, category and value references. Charts are read from the chart XML
parts of the package, which openpyxl reads only in part.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl  # type: ignore[import-untyped]  # openpyxl ships no type stubs
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
R_ID = f"{{{NS['r']}}}id"
PLOTS = ("barChart", "bar3DChart", "lineChart", "line3DChart", "areaChart", "pieChart", "scatterChart")


@dataclass(frozen=True)
class ChartSeries:
    name: str  # the reference of the series name (or its literal text)
    categories: str
    values: str
    dash: str = ""  # the line's dash (dash, round_dot as sysDot …), "" for a solid line or a bar


@dataclass(frozen=True)
class ChartPlot:
    type: str  # bar | line | area | pie | scatter
    direction: str  # col | bar | "" (bar charts only)
    grouping: str  # clustered | stacked | standard | ...
    secondary: bool  # drawn against a value axis on the right
    series: tuple[ChartSeries, ...]


@dataclass(frozen=True)
class ChartInfo:
    sheet: str
    anchor: str  # top-left cell
    part: str  # path in the package
    title: str
    description: str  # alternative text
    plots: tuple[ChartPlot, ...]
    blanks: str = ""  # how blank cells are drawn: gap | span | zero

    @property
    def has_secondary_axis(self) -> bool:
        return any(p.secondary for p in self.plots)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part (resolved) of one package part."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_path not in archive.namelist():
        return {}
    root = ET.fromstring(archive.read(rels_path))
    out = {}
    for rel in root.findall("rel:Relationship", NS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = resolved
    return out


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return "".join(t.text or "" for t in element.iter(f"{{{NS['a']}}}t")) or "".join(
        v.text or "" for v in element.iter(f"{{{NS['c']}}}v")
    )


def _ref(element: ET.Element | None) -> str:
    if element is None:
        return ""
    formula = element.find(".//c:f", NS)
    if formula is not None and formula.text:
        return formula.text
    return _text(element)


def _chart(archive: zipfile.ZipFile, sheet: str, anchor: str, part: str, description: str) -> ChartInfo:
    root = ET.fromstring(archive.read(part))
    chart = root.find("c:chart", NS)
    assert chart is not None, f"{part} has no chart"
    title = _text(chart.find("c:title", NS))
    area = chart.find("c:plotArea", NS)
    right_axes = set()
    if area is not None:
        for axis in area.findall("c:valAx", NS):
            pos = axis.find("c:axPos", NS)
            ax_id = axis.find("c:axId", NS)
            if pos is not None and pos.get("val") == "r" and ax_id is not None:
                right_axes.add(ax_id.get("val"))
    plots = []
    for element in list(area) if area is not None else []:
        tag = element.tag.split("}")[-1]
        if tag not in PLOTS:
            continue
        direction = element.find("c:barDir", NS)
        grouping = element.find("c:grouping", NS)
        axes = {a.get("val") for a in element.findall("c:axId", NS)}
        series = tuple(
            ChartSeries(_ref(s.find("c:tx", NS)), _ref(s.find("c:cat", NS)), _ref(s.find("c:val", NS)), _dash(s))
            for s in element.findall("c:ser", NS)
        )
        plots.append(
            ChartPlot(
                tag.removesuffix("Chart").removesuffix("3D"),
                direction.get("val", "") if direction is not None else "",
                grouping.get("val", "") if grouping is not None else "",
                bool(axes & right_axes),
                series,
            )
        )
    blanks = chart.find("c:dispBlanksAs", NS)
    return ChartInfo(
        sheet, anchor, part, title, description, tuple(plots), blanks.get("val", "") if blanks is not None else ""
    )


def _dash(series: ET.Element) -> str:
    dash = series.find("c:spPr/a:ln/a:prstDash", NS)
    return dash.get("val", "") if dash is not None else ""


def workbook_charts(path: Path) -> list[ChartInfo]:
    """Every chart of every worksheet, in sheet order and then in drawing order."""
    found: list[ChartInfo] = []
    with zipfile.ZipFile(path) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        book_rels = _rels(archive, "xl/workbook.xml")
        sheets = book.find("main:sheets", NS)
        for sheet in sheets if sheets is not None else []:
            name, part = sheet.get("name", ""), book_rels.get(sheet.get(R_ID, ""), "")
            if not part:
                continue
            sheet_rels = _rels(archive, part)
            drawing = ET.fromstring(archive.read(part)).find("main:drawing", NS)
            if drawing is None:
                continue
            drawing_part = sheet_rels[drawing.get(R_ID, "")]
            drawing_rels = _rels(archive, drawing_part)
            anchors = ET.fromstring(archive.read(drawing_part))
            for anchor in anchors:
                start = anchor.find("xdr:from", NS)
                chart_ref = anchor.find(".//c:chart", NS)
                if chart_ref is None:
                    continue
                cell = ""
                if start is not None:
                    col, row = start.findtext("xdr:col", "0", NS), start.findtext("xdr:row", "0", NS)
                    cell = f"{get_column_letter(int(col) + 1)}{int(row) + 1}"
                props = anchor.find(".//xdr:cNvPr", NS)
                description = props.get("descr", "") if props is not None else ""
                found.append(_chart(archive, name, cell, drawing_rels[chart_ref.get(R_ID, "")], description))
    return found


def _value(cell: Any) -> str:
    value = cell.value
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    else:
        text = str(value)
    if cell.data_type == "s" and cell.quotePrefix:
        text = "'" + text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _chart_lines(chart: ChartInfo) -> list[str]:
    lines = [f"chart\t{chart.anchor}\t{chart.title}", f"  alt\t{chart.description}"]
    for plot in chart.plots:
        shape = "/".join(x for x in (plot.type, plot.direction, plot.grouping) if x)
        lines.append(f"  plot\t{shape}\t{'secondary' if plot.secondary else 'primary'} axis")
        for s in plot.series:
            lines.append(f"    series\t{s.name}\t{s.categories}\t{s.values}")
    return lines


def workbook_dump(path: Path) -> str:
    """The workbook as text that changes only when what a reader sees changes."""
    path = Path(path)
    book = openpyxl.load_workbook(path)
    props = book.properties
    created = props.created.isoformat() if props.created else ""
    out = [f"properties\ttitle={props.title or ''}\tcreator={props.creator or ''}\tcreated={created}"]
    charts: dict[str, list[ChartInfo]] = {}
    for chart in workbook_charts(path):
        charts.setdefault(chart.sheet, []).append(chart)
    for ws in book.worksheets:
        out.append("")
        out.append(f"== sheet\t{ws.title}")
        out.append(f"freeze\t{ws.freeze_panes or '-'}")
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        if merged:
            out.append("merged\t" + " ".join(merged))
        if ws.auto_filter and ws.auto_filter.ref:
            out.append(f"autofilter\t{ws.auto_filter.ref}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                out.append(f"{cell.coordinate}\t{cell.data_type}\t{_value(cell)}\t{cell.number_format}")
        for chart in charts.get(ws.title, []):
            out.extend(_chart_lines(chart))
    return "\n".join(out) + "\n"
