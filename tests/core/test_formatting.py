from decimal import Decimal

import pytest

from shihyo.core.formatting import comparison_words, format_value, met_words


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "lang", "expected"),
    [
        ("35.17", "%", 1, "ja", "35.2%"),
        ("-44.09", "%", 1, "ja", "▲44.1%"),
        ("-44.09", "%", 1, "en", "-44.1%"),
        ("16.2", "ポイント", 1, "ja", "+16.2ポイント"),
        ("-0.44", "ポイント", 1, "en", "-0.4 points"),
        ("50.9", "Pt", 1, "ja", "50.9Pt"),  # an index level, not a difference
        ("1016425", "件", 0, "ja", "1,016,425件"),
        ("-921977", "件", -4, "ja", "▲92万件"),
        ("73504258", "PV", -6, "ja", "74百万PV"),
        ("-921977", "件", -4, "en", "-920 thousand cases"),
        ("153125000", "件", -6, "en", "153 million cases"),
        ("1971477", "時間", -4, "en", "1.97 million hours"),
        ("73504258", "PV", -6, "en", "74 million PV"),  # a unit without an English form is kept
        ("1016425", "件", 0, "en", "1,016,425 cases"),
        ("1", "人", 0, "en", "1 person"),
        ("10227", "人", 0, "en", "10,227 people"),
        ("2600", "手続", 0, "en", "2,600 procedures"),
        ("1500", "時間", 0, "ja", "1,500時間"),
    ],
)
def test_format_value(value: str, unit: str, decimals: int, lang: str, expected: str) -> None:
    assert format_value(Decimal(value), unit, decimals, lang) == expected


def test_signed_margin() -> None:
    assert format_value(Decimal("8487"), "件", 0, "ja", signed=True) == "+8,487件"


def test_comparisons_are_worded_by_the_sign_and_targets_by_their_direction() -> None:
    lower, target = Decimal("186246"), Decimal("194387")
    assert comparison_words(lower, target) == "下回る" and comparison_words(target, lower) == "上回る"
    assert comparison_words(target, target, "en") == "equal to"
    assert met_words(lower, target, higher_is_better=False) == "達成"
    assert met_words(lower, target, higher_is_better=True) == "未達"
    assert met_words(target, target, higher_is_better=True, lang="en") == "met"


def test_index_values_have_no_unit_and_zero_has_no_scale() -> None:
    assert format_value(Decimal("55.9"), "指数", 0) == "56"
    assert format_value(Decimal(0), "件", -4) == "0件"
    assert format_value(Decimal(-4281), "件", -4) == "0件"
    assert format_value(Decimal(-590000), "件", -4) == "▲59万件"
