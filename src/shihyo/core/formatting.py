"""Values for people: an indicator's value at its published precision, in Japanese or English style."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.numbers import format_japanese_number, format_points

POINTS = ("ポイント", "pt", "Pt", "points")


def format_value(value: Decimal, unit: str, decimals: int, lang: str = "ja", signed: bool = False) -> str:
    """`35.2%`, `▲14.7%`, `+16.2ポイント`, `1,016,425件` (ja) or `-14.7%`, `+16.2 points` (en)."""
    if unit in POINTS:
        return format_points(value, decimals, lang=lang)
    negative = "▲" if lang == "ja" else "-"
    plus = "+" if signed else ""
    if unit in ("%", "％"):
        return format_japanese_number(value, decimals=decimals, unit="%", negative=negative, plus=plus)
    text = format_japanese_number(value, decimals=decimals, negative=negative, plus=plus)
    if not unit:
        return text
    return f"{text}{unit}" if lang == "ja" else f"{text} {unit}"
