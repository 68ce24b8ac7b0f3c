"""Spreadsheet safety for every file shihyo writes: text that a spreadsheet would run as a formula."""

from __future__ import annotations

import re

# = + - @ start a formula in Excel, LibreOffice and Google Sheets; a leading tab, CR or LF is stripped by some
# of them before they look; spaces (also the ideographic space) are skipped; full-width ＝＋－＠ are
# converted by Japanese input methods and by some importers
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# a plain number (-3.5, +2, -1,234, 12.5%) is read as that number, never run: it stays as it is
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")
# a chart title or axis name that XlsxWriter would take for a cell reference (Sheet1!A1, =Data!$B$2)
_CELL_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" \u3000").startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """Text for a CSV cell (or a plain string cell): quote-prefixed when a spreadsheet would read a formula."""
    return f"'{text}" if looks_like_formula(text) else text


def chart_text(text: str) -> str:
    """A chart's title or axis name as plain text: a word joiner (invisible) after each ! keeps XlsxWriter
    from reading Sheet1!A1 as a reference to a cell."""
    return text.replace("!", "!\u2060") if _CELL_REFERENCE.match(text) else text
