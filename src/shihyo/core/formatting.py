"""Values for people: an indicator's value at its published precision, in Japanese or English style."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.numbers import format_japanese_number, format_points, round_half_up

POINTS = ("ポイント", "points")  # a difference of rates; "Pt" is the unit of an index level, not a difference
# an index (base = 100) is a pure number: "指数" names what it is, it is not written after the number
UNITLESS = ("指数", "index")
# a negative precision is written with a unit multiplier, as the report does: -4 → 万, -6 → 百万
SCALE_FOR_PRECISION = ((-8, "億", 8), (-6, "百万", 6), (-4, "万", 4))
# in English the same figures read in millions and thousands: 153百万件 → "153 million cases"
ENGLISH_SCALES = ((9, "billion"), (6, "million"), (3, "thousand"))
# English forms of the units Japanese programmes use most; any other unit is written as it is (枚 is not
# here: it counts sheets of paper as well as cards)
ENGLISH_UNITS = {
    "件": ("case", "cases"),
    "人": ("person", "people"),
    "名": ("person", "people"),
    "時間": ("hour", "hours"),
    "分": ("minute", "minutes"),
    "日": ("day", "days"),
    "円": ("yen", "yen"),
    "千円": ("thousand yen", "thousand yen"),
    "台": ("unit", "units"),
    "手続": ("procedure", "procedures"),
    "回": ("time", "times"),
    "箇所": ("site", "sites"),
    "施設": ("facility", "facilities"),
    "校": ("school", "schools"),
    "団体": ("organisation", "organisations"),
    "部": ("copy", "copies"),
}


def english_unit(unit: str, value: Decimal | None = None) -> str:
    """The English form of a unit (件 → cases, 人 → people; singular for exactly one), else the unit."""
    forms = ENGLISH_UNITS.get(unit)
    if forms is None:
        return unit
    return forms[0] if value is not None and abs(value) == 1 else forms[1]


def _english_scaled(value: Decimal, decimals: int) -> tuple[Decimal, int, str]:
    """A figure published to ten-thousands or coarser (decimals < -3) as millions or thousands, keeping the
    precision it was published at: 153,000,000 at -6 → (153, 0, "million"), 920,000 at -4 → (920, 0,
    "thousand"), 1,970,000 at -4 → (1.97, 2, "million")."""
    value = round_half_up(value, decimals)
    for exponent, word in ENGLISH_SCALES:
        if abs(value) >= Decimal(10) ** exponent:
            return value.scaleb(-exponent), max(0, decimals + exponent), word
    return value, 0, ""


def format_value(value: Decimal, unit: str, decimals: int, lang: str = "ja", signed: bool = False) -> str:
    """`35.2%`, `▲14.7%`, `+16.2ポイント`, `1,016,425件`, `▲92万件` (ja) or `-14.7%`, `+16.2 points`,
    `1,016,425 cases`, `-920 thousand cases`, `153 million cases` (en)."""
    if unit in POINTS:
        return format_points(value, decimals, lang=lang)
    negative = "▲" if lang == "ja" else "-"
    plus = "+" if signed else ""
    if unit in ("%", "％"):
        return format_japanese_number(value, decimals=decimals, unit="%", negative=negative, plus=plus)
    scale = ""
    if decimals < -3 and lang == "en":
        shown, places, word = _english_scaled(value, decimals)
        text = format_japanese_number(shown, decimals=places, negative=negative, plus=plus)
        text = f"{text} {word}" if word else text
        if not unit or unit in UNITLESS:
            return text
        return f"{text} {english_unit(unit)}"
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
    return f"{text}{unit}" if lang == "ja" else f"{text} {english_unit(unit, round_half_up(value, decimals))}"


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
