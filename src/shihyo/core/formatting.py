"""Values for people: an indicator's value at its published precision, in Japanese or English style."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.numbers import format_japanese_number, format_points, round_half_up

POINTS = ("ポイント", "points")  # a difference of rates; "Pt" is the unit of an index level, not a difference
# a negative precision is written with a unit multiplier, as the report does: -4 → 万, -6 → 百万
SCALE_FOR_PRECISION = ((-8, "億", 8), (-6, "百万", 6), (-4, "万", 4))


def format_value(value: Decimal, unit: str, decimals: int, lang: str = "ja", signed: bool = False) -> str:
    """`35.2%`, `▲14.7%`, `+16.2ポイント`, `1,016,425件`, `▲92万件` (ja) or `-14.7%`, `+16.2 points` (en)."""
    if unit in POINTS:
        return format_points(value, decimals, lang=lang)
    negative = "▲" if lang == "ja" else "-"
    plus = "+" if signed else ""
    if unit in ("%", "％"):
        return format_japanese_number(value, decimals=decimals, unit="%", negative=negative, plus=plus)
    scale = ""
    if decimals < 0 and lang == "ja":
        for limit, word, exponent in SCALE_FOR_PRECISION:
            if decimals <= limit:
                value = round_half_up(value, decimals)
                scale, decimals = word, max(0, decimals + exponent)
                break
    text = format_japanese_number(value, decimals=decimals, scale=scale, negative=negative, plus=plus)
    if not unit:
        return text
    return f"{text}{unit}" if lang == "ja" else f"{text} {unit}"
