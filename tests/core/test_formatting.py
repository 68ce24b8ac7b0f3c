from decimal import Decimal

import pytest

from shihyo.core.formatting import format_value


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
        ("-921977", "件", -4, "en", "-920,000 件"),
        ("1500", "時間", 0, "ja", "1,500時間"),
    ],
)
def test_format_value(value: str, unit: str, decimals: int, lang: str, expected: str) -> None:
    assert format_value(Decimal(value), unit, decimals, lang) == expected


def test_signed_margin() -> None:
    assert format_value(Decimal("8487"), "件", 0, "ja", signed=True) == "+8,487件"
