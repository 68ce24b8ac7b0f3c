"""Native, editable tables: cells with fills and thin borders, merged cells, and row heights that fit the text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu

from shihyo.reports.pptx.text import EMU_PER_INCH, Para, line_count, paragraph_xml, text_height_pt

BORDER = "BFBFC4"
MARGIN_X = 0.06  # inches, left and right inside a cell
MARGIN_Y = 0.03  # inches, top and bottom


@dataclass(frozen=True)
class Cell:
    text: str = ""  # "\n" separates paragraphs
    size: float = 10
    bold: bool = False
    align: str = "left"
    fill: str = "#ffffff"
    colour: str = "#1a1a1c"
    italic: bool = False
    indent: float = 0.0  # extra left margin, inches


@dataclass
class Grid:
    """A table to draw: a full matrix of cells, column widths (inches) and merged regions."""

    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    header_rows: int = 0  # rows repeated at the top of every slide the table is split over

    def span_width(self, row: int, col: int) -> float:
        for r0, c0, _r1, c1 in self.merges:
            if r0 == row and c0 == col:
                return sum(self.widths[c0 : c1 + 1])
        return self.widths[col]

    def covered(self, row: int, col: int) -> bool:
        return any(r0 <= row <= r1 and c0 <= col <= c1 and (row, col) != (r0, c0) for r0, c0, r1, c1 in self.merges)


def cell_height(cell: Cell, width_in: float) -> float:
    """Inches the cell needs for its text."""
    width_pt = (width_in - 2 * MARGIN_X - cell.indent) * 72 - 2
    lines = sum(line_count(part, width_pt, cell.size) for part in cell.text.split("\n"))
    return text_height_pt(lines, cell.size) / 72 + 2 * MARGIN_Y + 0.03


def row_heights(grid: Grid, minimum: float = 0.0) -> list[float]:
    heights = []
    for r, row in enumerate(grid.rows):
        needed = [cell_height(cell, grid.span_width(r, c)) for c, cell in enumerate(row) if not grid.covered(r, c)]
        heights.append(max([minimum, *needed]))
    return heights


def paginate(heights: Sequence[float], header: float, room: float, keep_with_next: Sequence[bool] = ()) -> list[range]:
    """Split rows (after the header) into runs that fit in `room` inches below a repeated header.

    A row flagged in `keep_with_next` (a section title) is never left alone at the bottom of a slide.
    """
    pages: list[range] = []
    start, used = 0, header
    for i, h in enumerate(heights):
        if used + h > room and i > start:
            cut = i
            while cut - 1 > start and keep_with_next and keep_with_next[cut - 1]:
                cut -= 1
            pages.append(range(start, cut))
            start = cut
            used = header + sum(heights[cut:i])
        used += h
    if start < len(heights) or not pages:
        pages.append(range(start, len(heights)))
    return pages


def add_table(slide: Any, left: float, top: float, grid: Grid, heights: Sequence[float], name: str = "") -> Any:
    """Draw `grid` at (left, top) inches with the given row heights; returns the graphic frame.

    The table is written as one piece of DrawingML (cells with text, margins, borders and fill; merged
    cells as gridSpan/rowSpan with hMerge/vMerge on the cells they cover): much faster than cell by cell.
    """
    frame = slide.shapes.add_table(
        1,
        1,
        Emu(int(left * EMU_PER_INCH)),
        Emu(int(top * EMU_PER_INCH)),
        Emu(int(sum(grid.widths) * EMU_PER_INCH)),
        Emu(int(sum(heights) * EMU_PER_INCH)),
    )
    if name:
        frame.name = name
    old = frame._element.find(".//" + qn("a:tbl"))
    old.getparent().replace(old, parse_xml(_table_xml(grid, heights)))
    return frame


def _emu(inches: float) -> int:
    return round(inches * EMU_PER_INCH)


def _table_xml(grid: Grid, heights: Sequence[float]) -> str:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: dict[tuple[int, int], tuple[bool, bool]] = {}  # (hMerge, vMerge)
    for r0, c0, r1, c1 in grid.merges:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered[(r, c)] = (c > c0, r > r0)
    cols = "".join(f'<a:gridCol w="{_emu(w)}"/>' for w in grid.widths)
    rows = []
    for r, (row, height) in enumerate(zip(grid.rows, heights, strict=True)):
        cells = []
        for c, cell in enumerate(row):
            attrs = ""
            if (r, c) in spans:
                n_rows, n_cols = spans[(r, c)]
                attrs += f' rowSpan="{n_rows}"' if n_rows > 1 else ""
                attrs += f' gridSpan="{n_cols}"' if n_cols > 1 else ""
            h_merge, v_merge = covered.get((r, c), (False, False))
            attrs += ' hMerge="1"' if h_merge else ""
            attrs += ' vMerge="1"' if v_merge else ""
            cells.append(_cell_xml(cell, attrs, empty=(r, c) in covered))
        rows.append(f'<a:tr h="{_emu(height)}">{"".join(cells)}</a:tr>')
    return (
        f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="0" bandRow="0"/><a:tblGrid>{cols}</a:tblGrid>{"".join(rows)}</a:tbl>'
    )


def _cell_xml(cell: Cell, attrs: str, empty: bool) -> str:
    paras = [
        Para(part, cell.size, bold=cell.bold, colour=cell.colour, align=cell.align, italic=cell.italic)
        for part in ("" if empty else cell.text).split("\n")
    ]
    borders = "".join(
        f'<a:{side} w="9525" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:srgbClr val="{BORDER}"/>'
        f'</a:solidFill><a:prstDash val="solid"/><a:round/><a:headEnd type="none" w="med" len="med"/>'
        f'<a:tailEnd type="none" w="med" len="med"/></a:{side}>'
        for side in ("lnL", "lnR", "lnT", "lnB")
    )
    margins = (
        f'marL="{_emu(MARGIN_X + cell.indent)}" marR="{_emu(MARGIN_X)}" '
        f'marT="{_emu(MARGIN_Y)}" marB="{_emu(MARGIN_Y)}" anchor="ctr"'
    )
    fill = f'<a:solidFill><a:srgbClr val="{cell.fill.lstrip("#").upper()}"/></a:solidFill>'
    return (
        f"<a:tc{attrs}><a:txBody><a:bodyPr/><a:lstStyle/>{''.join(paragraph_xml(p) for p in paras)}</a:txBody>"
        f"<a:tcPr {margins}>{borders}{fill}</a:tcPr></a:tc>"
    )
