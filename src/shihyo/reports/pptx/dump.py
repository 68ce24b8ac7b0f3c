"""A deck as stable text, for golden files and review: every slide's texts, tables and chart data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.plot import PlotTypeInspector
from pptx.oxml.ns import qn

from shihyo.reports.pptx.text import untyped


def _text(frame: Any) -> list[str]:
    return [p.text for p in frame.paragraphs]


def _value(v: float | None) -> str:
    if v is None:
        return "—"
    return repr(float(v))


def _axes(chart: Any) -> tuple[dict[str, str], list[str]]:
    """Which value axis each axis id is (primary/secondary), and a line per value axis."""
    plot_area = chart._chartSpace.chart.plotArea
    sides: dict[str, str] = {}
    lines = []
    for i, ax in enumerate(plot_area.findall(qn("c:valAx"))):
        side = "primary" if i == 0 else "secondary"
        sides[ax.find(qn("c:axId")).get("val")] = side
        pos = ax.find(qn("c:axPos")).get("val")
        fmt = ax.find(qn("c:numFmt"))
        crosses = ax.find(qn("c:crosses"))
        title = ax.find(qn("c:title"))
        title_text = "".join(t.text or "" for t in title.iter(qn("a:t"))) if title is not None else ""
        lines.append(
            f"  value axis {side}: position={pos} format={fmt.get('formatCode') if fmt is not None else ''!r}"
            f" crosses={crosses.get('val') if crosses is not None else ''} title={title_text!r}"
        )
    return sides, lines


def _chart(chart: Any) -> list[str]:
    out = []
    title = "".join(_text(chart.chart_title.text_frame)) if chart.has_title else ""
    out.append(f"[chart] {title}")
    sides, axis_lines = _axes(chart)
    plots = list(chart.plots)
    out.append(f"  categories: {' | '.join(str(c) for c in plots[0].categories) if plots else ''}")
    for plot in plots:
        ids = [a.get("val") for a in plot._element.findall(qn("c:axId"))]
        side = sides.get(ids[1], "?") if len(ids) > 1 else "?"
        kind = untyped(PlotTypeInspector.chart_type)(plot)
        out.append(f"  plot {kind.name} on {side} axes")
        for series in plot.series:
            fmt = series._element.find(qn("c:val")).find(".//" + qn("c:formatCode"))
            labels = series._element.find(qn("c:dLbls"))
            out.append(
                f"    series {series.name!r}: {' | '.join(_value(v) for v in series.values)}"
                f" (format {fmt.text if fmt is not None else ''!r}{', labels' if labels is not None else ''})"
            )
    out += axis_lines
    out.append(f"  secondary axis: {'yes' if 'secondary' in sides.values() else 'no'}")
    return out


def _table(table: Any) -> list[str]:
    out = [f"[table {len(table.rows)}x{len(table.columns)}]"]
    for r, row in enumerate(table.rows):
        cells = []
        for cell in row.cells:
            text = "¶".join(_text(cell.text_frame))
            cells.append("" if cell.is_spanned else text)
        out.append(f"  r{r + 1}: " + " | ".join(cells))
    return out


def deck_dump(path: Path) -> str:
    """Slide by slide: texts (shape by shape, paragraph by paragraph), tables cell by cell, charts' data."""
    prs = Presentation(str(path))
    lines: list[str] = []
    total = len(prs.slides)
    for number, slide in enumerate(prs.slides, 1):
        lines.append(f"=== slide {number}/{total} ===")
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                lines += _chart(shape.chart)
            elif getattr(shape, "has_table", False) and shape.has_table:
                lines += _table(shape.table)
            elif shape.has_text_frame:
                texts = [t for t in _text(shape.text_frame) if t]
                if texts:
                    lines.append(f"[{shape.name}]")
                    lines += [f"  {t}" for t in texts]
    return "\n".join(lines) + "\n"
