"""Tests for shihyo.core.numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shihyo.core.numbers import (
    MISSING_MARKERS,
    NumberParseError,
    ParsedNumber,
    format_japanese_number,
    format_percent,
    format_points,
    is_missing,
    parse_japanese_number,
    round_half_up,
    to_decimal,
)

D = Decimal
SCALE_VALUES = {
    "": D(1),
    "千": D(1000),
    "万": D(10000),
    "百万": D(1000000),
    "千万": D(10000000),
    "億": D(100000000),
    "兆": D(10**12),
}

# --- parsing: accepted forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "precision", "multiplier"),
    [
        ("110", "110", "", "1", "1"),
        ("16.2", "16.2", "", "0.1", "1"),
        ("0.4", "0.4", "", "0.1", "1"),
        ("0.125", "0.125", "", "0.001", "1"),
        ("197万", "1970000", "", "10000", "10000"),
        ("1.5万", "15000", "", "1000", "10000"),
        ("1.50万", "15000", "", "100", "10000"),
        ("1億2,000万", "120000000", "", "10000", "10000"),
        ("1万5000", "15000", "", "1", "1"),
        ("3億5千万", "350000000", "", "10000000", "10000000"),
        ("2千500", "2500", "", "1", "1"),
        ("5千", "5000", "", "1000", "1000"),
        ("3百万", "3000000", "", "1000000", "1000000"),
        ("1兆", "1000000000000", "", "1000000000000", "1000000000000"),
        ("2兆3,000億", "2300000000000", "", "100000000", "100000000"),
        ("1,234,567", "1234567", "", "1", "1"),
        ("1,234.5", "1234.5", "", "0.1", "1"),
        ("007", "7", "", "1", "1"),
        ("35.2%", "35.2", "%", "0.1", "1"),
        ("35.2％", "35.2", "%", "0.1", "1"),
        ("+16.2ポイント", "16.2", "ポイント", "0.1", "1"),
        ("16.2 ポイント", "16.2", "ポイント", "0.1", "1"),
        ("16.2Pt", "16.2", "Pt", "0.1", "1"),
        ("12pt", "12", "pt", "1", "1"),
        ("１２ｐｔ", "12", "pt", "1", "1"),
        ("3万件", "30000", "件", "10000", "10000"),
        ("1,234 件", "1234", "件", "1", "1"),
        ("5人", "5", "人", "1", "1"),
        ("8時間", "8", "時間", "1", "1"),
        ("300枚", "300", "枚", "1", "1"),
        ("4千枚", "4000", "枚", "1000", "1000"),
        ("1,000千円", "1000000", "円", "1000", "1000"),
        ("100百万PV", "100000000", "PV", "1000000", "1000000"),
        ("１２３，４５６", "123456", "", "1", "1"),
        ("１６．２", "16.2", "", "0.1", "1"),
        ("　42　", "42", "", "1", "1"),
    ],
)
def test_parse_values(text: str, value: str, unit: str, precision: str, multiplier: str) -> None:
    parsed = parse_japanese_number(text)
    assert parsed == ParsedNumber(D(value), unit, D(precision), D(multiplier))
    assert parsed.value.as_tuple() == D(value).as_tuple()  # written plainly, no 1.5E+4
    assert parsed.precision.as_tuple() == D(precision).as_tuple()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("▲1,234", "-1234"),
        ("△5", "-5"),
        ("-5", "-5"),
        ("−5", "-5"),  # U+2212
        ("‐5", "-5"),  # U+2010
        ("‑5", "-5"),  # U+2011
        ("‒5", "-5"),  # U+2012
        ("–5", "-5"),  # U+2013
        ("—5", "-5"),  # U+2014
        ("―5", "-5"),  # U+2015
        ("－5", "-5"),  # U+FF0D
        ("+5", "5"),
        ("＋5", "5"),
        ("▲59万", "-590000"),
        ("▲0.4ポイント", "-0.4"),
        ("▲1億2,000万", "-120000000"),
        ("▲ 3", "-3"),
    ],
)
def test_parse_signs(text: str, value: str) -> None:
    assert parse_japanese_number(text).value == D(value)


def test_negative_zero_is_zero() -> None:
    value = parse_japanese_number("▲0").value
    assert value == 0
    assert not value.is_signed()


def test_parse_is_exact_for_long_numbers() -> None:
    text = "123,456,789,012,345,678,901,234,567,890.123456789"
    assert parse_japanese_number(text).value == D(text.replace(",", ""))
    assert parse_japanese_number("9,999兆9,999億9,999万9,999").value == D(10**16 - 1)


# --- parsing: rejections ----------------------------------------------------------------------


def _reject(text: str) -> NumberParseError:
    with pytest.raises(NumberParseError) as info:
        parse_japanese_number(text)
    err = info.value
    assert err.text == text
    assert str(err) == err.message_en
    assert repr(text) in err.message_en
    assert f"「{text}」" in err.message_ja
    assert "Use digits, optionally with ▲ for negatives, commas, and 万/百万/億" in err.message_en
    assert "数字で書いてください" in err.message_ja
    return err


@pytest.mark.parametrize("text", ["", "   ", "　"])
def test_empty_rejected(text: str) -> None:
    assert "empty" in _reject(text).message_en


@pytest.mark.parametrize("text", ["-", "―", "ー", "—", "–", "－", "‐", "−", "n/a", "N/A", "NA", "…"])
def test_missing_markers_rejected(text: str) -> None:
    err = _reject(text)
    assert "missing-value marker" in err.message_en
    assert "欠測" in err.message_ja


@pytest.mark.parametrize("text", ["▲", "△", "+", "＋"])
def test_lone_sign_rejected(text: str) -> None:
    assert "sign without digits" in _reject(text).message_en


@pytest.mark.parametrize("text", ["1,23,456", "1,2345", "12,34", "1,000,00", "1,000,", ",100"])
def test_misplaced_commas_rejected(text: str) -> None:
    err = _reject(text)
    if not text.startswith(","):
        assert "thousands positions" in err.message_en


@pytest.mark.parametrize(
    "text", ["5万3億", "2,000万1億", "1万5000万", "1億12,000万", "5千3百万", "1万1万", "1万2万", "1万0億"]
)
def test_ascending_or_repeated_multipliers_rejected(text: str) -> None:
    assert "descending order" in _reject(text).message_en


@pytest.mark.parametrize("text", ["5万%", "1.5百万%", "1億2,000万%"])
def test_percent_with_multiplier_rejected(text: str) -> None:
    assert "percentage cannot have a multiplier" in _reject(text).message_en


@pytest.mark.parametrize("text", ["12a3", "5件3", "1万5000円3", "5.", "5-", "5▲", "1.2.3", "5%5", "1e5"])
def test_trailing_garbage_rejected(text: str) -> None:
    assert "not a multiplier or unit" in _reject(text).message_en


@pytest.mark.parametrize("text", ["abc", ".5", "万", "円100", "(5)", "ー5"])
def test_not_starting_with_digit_rejected(text: str) -> None:
    assert "does not start with a digit" in _reject(text).message_en


def test_double_sign_rejected() -> None:
    assert "more than one sign" in _reject("▲-5").message_en
    assert "more than one sign" in _reject("+-5").message_en


def test_decimal_point_only_in_last_group() -> None:
    assert "only the last group" in _reject("1.5億2000万").message_en


def test_too_long_rejected() -> None:
    assert "longer than" in _reject("1" * 201).message_en


# --- missing markers --------------------------------------------------------------------------


def test_missing_markers_set() -> None:
    required = {"", "―", "ー", "-", "—", "–", "－", "‐", "n/a", "N/A", "NA", "…"}
    assert required <= MISSING_MARKERS
    assert isinstance(MISSING_MARKERS, frozenset)


@pytest.mark.parametrize(
    "text", ["", " ", "　", "―", "ー", "-", "—", "–", "－", "‐", "n/a", "N/A", "NA", "na", " － ", "…"]
)
def test_is_missing_true(text: str) -> None:
    assert is_missing(text)


@pytest.mark.parametrize("text", ["0", "▲", "▲1", "-1", "n", "NaN", "x", "－0"])
def test_is_missing_false(text: str) -> None:
    assert not is_missing(text)


# --- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("-2.5", 0, "-3"),
        ("2.675", 2, "2.68"),
        ("2.665", 2, "2.67"),
        ("1.25", 1, "1.3"),
        ("1.24999", 1, "1.2"),
        ("123456", -4, "120000"),
        ("125000", -4, "130000"),
        ("-125000", -4, "-130000"),
        ("5", -1, "10"),
        ("4.9", -1, "0"),
        ("-0.04", 1, "0.0"),
        ("7", 2, "7.00"),
        ("12345678901234567890.5", 0, "12345678901234567891"),
    ],
)
def test_round_half_up(value: str, decimals: int, expected: str) -> None:
    result = round_half_up(D(value), decimals)
    assert result == D(expected)
    assert str(result) == expected  # no exponent, no negative zero


def test_round_half_up_rejects_nan() -> None:
    with pytest.raises(ValueError):
        round_half_up(D("NaN"), 0)


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("-590000", {"scale": "万", "unit": "件"}, "▲59万件"),
        ("1234567", {}, "1,234,567"),
        ("1234567", {"grouping": False}, "1234567"),
        ("1234567.891", {"decimals": 2}, "1,234,567.89"),
        ("1234567.895", {"decimals": 2}, "1,234,567.90"),
        ("-1234", {}, "▲1,234"),
        ("-1234", {"negative": "-"}, "-1,234"),
        ("-1234", {"negative": "△"}, "△1,234"),
        ("1234", {"plus": "+"}, "+1,234"),
        ("1234", {"plus": "＋"}, "＋1,234"),
        ("0", {"plus": "+"}, "0"),
        ("-0.04", {"decimals": 1}, "0.0"),
        ("0.04", {"decimals": 1, "plus": "+"}, "0.0"),
        ("1970000", {"scale": "万"}, "197万"),
        ("15000", {"scale": "万", "decimals": 1}, "1.5万"),
        ("125000", {"scale": "万"}, "13万"),
        ("123456789", {"scale": "百万", "unit": "円"}, "123百万円"),
        ("123456789", {"scale": "千", "unit": "円"}, "123,457千円"),
        ("350000000", {"scale": "億", "decimals": 1}, "3.5億"),
        ("35000000", {"scale": "千万"}, "4千万"),
        ("2300000000000", {"scale": "兆", "decimals": 1}, "2.3兆"),
        ("35.25", {"decimals": 1, "unit": "%"}, "35.3%"),
        ("12345", {"decimals": -2}, "12,300"),
    ],
)
def test_format_japanese_number(value: str, kwargs: dict[str, object], expected: str) -> None:
    assert format_japanese_number(D(value), **kwargs) == expected  # type: ignore[arg-type]


def test_format_unknown_scale_rejected() -> None:
    with pytest.raises(ValueError, match="'百'"):
        format_japanese_number(D(1), scale="百")


def test_format_nan_rejected() -> None:
    with pytest.raises(ValueError):
        format_japanese_number(D("Infinity"))


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        ("16.2", 1, "ja", "+16.2ポイント"),
        ("-0.4", 1, "ja", "▲0.4ポイント"),
        ("0", 1, "ja", "0.0ポイント"),
        ("-0.04", 1, "ja", "0.0ポイント"),
        ("3.25", 1, "ja", "+3.3ポイント"),
        ("3.25", 2, "ja", "+3.25ポイント"),
        ("16.2", 1, "en", "+16.2 points"),
        ("-0.4", 1, "en", "-0.4 points"),
        ("1", 0, "en", "+1 point"),
        ("-1", 0, "en", "-1 point"),
        ("1", 1, "en", "+1.0 points"),
        ("1234.5", 1, "ja", "+1,234.5ポイント"),
    ],
)
def test_format_points(value: str, decimals: int, lang: str, expected: str) -> None:
    assert format_points(D(value), decimals, lang) == expected


def test_format_points_unknown_language() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        format_points(D(1), lang="fr")


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("35.2", {}, "35.2%"),
        ("35.25", {}, "35.3%"),
        ("35.24", {}, "35.2%"),
        ("100", {"decimals": 0}, "100%"),
        ("-1.5", {}, "▲1.5%"),
        ("-1.5", {"negative": "-"}, "-1.5%"),
        ("1.5", {"plus": "+"}, "+1.5%"),
        ("0.333", {"decimals": 2}, "0.33%"),
    ],
)
def test_format_percent(value: str, kwargs: dict[str, object], expected: str) -> None:
    assert format_percent(D(value), **kwargs) == expected  # type: ignore[arg-type]


# --- to_decimal --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.6749999999999998, "2.675"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333333333"),
        (35.2, "35.2"),
        (-0.4, "-0.4"),
        (5.0, "5"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (123456789012345.0, "123456789012000"),
        (1.5e-7, "1.5E-7"),
    ],
)
def test_to_decimal(value: float, expected: str) -> None:
    result = to_decimal(value)
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_to_decimal_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError):
        to_decimal(value)


def test_to_decimal_then_round_matches_intent() -> None:
    # the float 2.675 is 2.67499999...; via to_decimal it rounds half up as written
    assert round_half_up(to_decimal(2.675), 2) == D("2.68")
    assert format_japanese_number(to_decimal(0.1 + 0.2), decimals=1) == "0.3"


# --- property tests ---------------------------------------------------------------------------

decimals_strategy = st.one_of(
    st.integers(-(10**13), 10**13).map(Decimal),
    st.builds(
        lambda n, places: Decimal(n).scaleb(-places),
        st.integers(-(10**16), 10**16),
        st.integers(0, 3),
    ),
)


@given(decimals_strategy, st.sampled_from(sorted(SCALE_VALUES)), st.integers(0, 3))
def test_format_then_parse_round_trip(x: Decimal, scale: str, d: int) -> None:
    text = format_japanese_number(x, decimals=d, scale=scale)
    expected = round_half_up(x / SCALE_VALUES[scale], d) * SCALE_VALUES[scale]
    parsed = parse_japanese_number(text)
    assert parsed.value == expected
    assert parsed.precision == SCALE_VALUES[scale].scaleb(-d)


@given(
    decimals_strategy,
    st.integers(0, 3),
    st.sampled_from(["▲", "△", "-", "−", "－"]),
    st.sampled_from(["", "+"]),
)
def test_signs_round_trip(x: Decimal, d: int, negative: str, plus: str) -> None:
    text = format_japanese_number(x, decimals=d, negative=negative, plus=plus, grouping=False)
    assert parse_japanese_number(text).value == round_half_up(x, d)


@given(decimals_strategy, st.sampled_from(["件", "人", "%", "ポイント", "時間"]))
def test_unit_round_trip(x: Decimal, unit: str) -> None:
    parsed = parse_japanese_number(format_japanese_number(x, decimals=1, unit=unit))
    assert parsed.value == round_half_up(x, 1)
    assert parsed.unit == unit


@given(decimals_strategy, st.integers(-4, 4))
def test_round_half_up_properties(x: Decimal, d: int) -> None:
    r = round_half_up(x, d)
    step = Decimal(1).scaleb(-d)
    assert abs(r - x) <= step / 2
    assert r % step == 0
    assert round_half_up(-x, d) == -r  # symmetric: halves go away from zero
    if abs(r - x) == step / 2:
        assert abs(r) > abs(x)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_to_decimal_has_at_most_12_significant_digits(v: float) -> None:
    result = to_decimal(v)
    assert len(result.normalize().as_tuple().digits) <= 12
    if v != 0:
        assert abs(float(result) - v) <= abs(v) * 1e-11
