"""Spreadsheet safety for every file shihyo writes: text that a spreadsheet would run as a formula."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Text for a CSV cell (or a plain string cell): quote-prefixed when a spreadsheet would read a formula."""
    return f"'{text}" if looks_like_formula(text) else text
