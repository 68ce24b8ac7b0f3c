"""Values for people: an indicator's value at its published precision, in Japanese or English style."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.numbers import format_japanese_number, format_points, round_half_up

POINTS = ("ポイント", "points")  # a difference of rates; "Pt" is the unit of an index level, not a difference
# an index (base = 100) is a pure number: "指数" names what it is, it is not written after the number
UNITLESS = ("指数", "index")
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
                if value != 0:  # nothing is "0件", not "0万件"
                    scale = word
                decimals = max(0, decimals + exponent)
                break
    text = format_japanese_number(value, decimals=decimals, scale=scale, negative=negative, plus=plus)
    if not unit or unit in UNITLESS:
        return text
    return f"{text}{unit}" if lang == "ja" else f"{text} {unit}"


def comparison_words(value: Decimal, against: Decimal, lang: str = "ja") -> str:
    """How a value stands against another, by the sign of the difference, not by which way is better:
    ja 上回る / 下回る / 同じ, en above / below / equal to. (Whether that meets a target is the target's
    direction: a lower-is-better target is met by a value that 下回る it.)"""
    if value > against:
        return "上回る" if lang == "ja" else "above"
    if value < against:
        return "下回る" if lang == "ja" else "below"
    return "同じ" if lang == "ja" else "equal to"


def met_words(value: Decimal, target: Decimal, higher_is_better: bool, lang: str = "ja") -> str:
    """達成 (met) or 未達 (not met) of a target in its direction: 190,000人 meets a lower-is-better 194,387人."""
    met = value >= target if higher_is_better else value <= target
    if lang == "ja":
        return "達成" if met else "未達"
    return "met" if met else "not met"
