"""Cells of the Excel report: number formats, cached cell styles, text and numbers written safely.

Every number is written with `write_number`; every text with `write_string` (never a formula), and
text that a spreadsheet could take for a formula (= + - @) also gets Excel's quote prefix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from shihyo.io.cells import looks_like_formula

FONT = "BIZ UDGothic"
PLAN_FILL = "#e8eefc"
GRID = "#bdbdc4"


def number_format(decimals: int, lang: str, *, estimate: bool = False, note: str = "") -> str:
    """`#,##0.0;"▲"#,##0.0` (ja) or `#,##0.0;-#,##0.0` (en); an estimate is shown `※1,234` / `※▲1,234`
    (`*1,234` / `*-1,234` in English); a note's mark follows the number: `16.2※2`."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + (f'"{note}"' if note else "")
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

    def value(self, decimals: int, kind: str, lang: str, note: str = "", **extra: Any) -> Any:
        """A numeric cell in a table: plans on a light fill, estimates in italics and marked, a note's mark
        (「※2」) after the number."""
        props: dict[str, Any] = {
            "num_format": number_format(max(decimals, 0), lang, estimate=kind == "estimate", note=note),
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


def decimals_in(texts: Iterable[str]) -> int:
    """Decimal places a figure is shown with, read from its formatted text (`35.2%` → 1). A figure written in
    millions or thousands (`1.97 million`) is a whole number in a cell: its places are not the cell's."""
    found = [len(m.group(1)) for t in texts if (m := re.search(r"\d\.(\d+)(?!\d| (?:thousand|million|billion))", t))]
    return max(found, default=0)


def number(value: Any) -> float | None:
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
