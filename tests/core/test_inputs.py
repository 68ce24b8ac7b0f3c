"""The shared input parsers: typed values inside their bounds, a Problem naming the field outside them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shihyo.core import inputs
from shihyo.core.clock import TOKYO
from shihyo.core.inputs import InvalidInput

LOW, HIGH = inputs.THRESHOLD_PERCENT


def refused(call: Callable[..., object], *args: object, **kwargs: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    problem = caught.value.problem
    assert problem.ja and problem.en and problem.hint_ja and problem.hint_en
    return caught.value


@given(st.decimals(min_value=LOW, max_value=HIGH, places=2, allow_nan=False))
def test_a_threshold_in_range_is_its_fraction(percent: Decimal) -> None:
    assert inputs.parse_threshold_percent(f"{percent}", "t") == percent / 100


@given(st.one_of(st.floats(min_value=float(HIGH) * 1.01, allow_infinity=False), st.floats(max_value=0.09)))
def test_a_threshold_out_of_range_names_the_field(value: float) -> None:
    error = refused(inputs.parse_threshold_percent, repr(value), "outlier_threshold")
    assert error.problem.where == "outlier_threshold"


@pytest.mark.parametrize("text", ["1e10", "NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "1e9999", "五十"])
def test_huge_and_not_numbers_are_refused(text: str) -> None:
    error = refused(inputs.parse_threshold_percent, text, "t")
    assert "範囲の外" in error.problem.ja or "数ではありません" in error.problem.ja


def test_the_threshold_reads_japanese_notation() -> None:
    assert inputs.parse_threshold_percent("５０％", "t") == Decimal("0.5")
    assert inputs.parse_threshold_percent("", "t") is None


@given(st.integers(min_value=inputs.FIRST_FISCAL_YEAR, max_value=inputs.LAST_FISCAL_YEAR))
def test_fiscal_years_within_the_eras_are_read(year: int) -> None:
    period = inputs.parse_period_input(f"FY{year}", "p")
    assert period.fiscal_year == year and period.label()
    assert period.previous_year().label(), "the year before has a wareki label too"


@given(st.integers(min_value=1, max_value=inputs.FIRST_FISCAL_YEAR - 1))
def test_fiscal_years_before_the_eras_are_refused(year: int) -> None:
    error = refused(inputs.parse_period_input, f"FY{year:04d}", "periods")
    assert error.problem.where == "periods" and "FY1869" in error.problem.hint_en


def test_a_period_that_cannot_be_read_keeps_the_parsers_explanation() -> None:
    assert "Accepted forms" in refused(inputs.parse_period_input, "nonsense", "p").problem.en
    assert "too long" in refused(inputs.parse_period_input, "R" * 500, "p").problem.en


def test_periods_are_split_deduplicated_and_bounded() -> None:
    items = inputs.split_list("R4上期、R4上期, FY2022H2")
    assert [p.key for p in inputs.parse_periods(items, "periods")] == ["FY2022H1", "FY2022H2"]
    refused(inputs.parse_periods, [], "periods")
    refused(inputs.parse_periods, ["R4"] * (inputs.MAX_PERIODS + 1), "periods")


@given(st.dates(min_value=date(1869, 4, 1), max_value=date(9998, 3, 31)))
def test_dates_within_bounds_are_read(day: date) -> None:
    assert inputs.parse_date(day.isoformat(), "due") == day
    assert inputs.parse_as_of(day.isoformat(), "as_of") == datetime.combine(day, time.max, tzinfo=TOKYO)


@pytest.mark.parametrize("text", ["1500-01-01", "9999-12-31", "2022-02-30", "2022-2-3", "tomorrow", "2022-10-31x"])
def test_dates_out_of_bounds_or_unreadable_are_refused(text: str) -> None:
    assert refused(inputs.parse_date, text, "due").problem.where == "due"


def test_a_moment_without_a_zone_is_tokyo_time() -> None:
    assert inputs.parse_as_of("2022-07-01T09:30", "as_of") == datetime(2022, 7, 1, 9, 30, tzinfo=TOKYO)
    assert inputs.parse_as_of("", "as_of") is None
    refused(inputs.parse_as_of, "1200-07-01T09:30", "as_of")


@given(st.text(max_size=50), st.characters(categories=["Cc"], exclude_characters="\n\r\t"))
def test_control_characters_are_refused_anywhere(text: str, control: str) -> None:
    middle = len(text) // 2
    refused(inputs.parse_comment, text[:middle] + control + text[middle:], "comment")


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=inputs.MAX_NAME))
def test_printable_text_within_the_limit_is_kept_stripped(text: str) -> None:
    assert inputs.parse_text(text, "name", max_length=inputs.MAX_NAME) == text.strip()


def test_text_limits_and_required() -> None:
    assert "1,001" in refused(inputs.parse_comment, "あ" * 1001, "comment").problem.ja
    assert inputs.parse_comment("一行目\n二行目\tタブ", "comment") == "一行目\n二行目\tタブ"
    refused(inputs.parse_name, "名前\n二行", "name")
    refused(inputs.parse_name, "  ", "name")


@pytest.mark.parametrize("text", ["", "R4", "r4 h1", "-r4", "r" * 41, "ｒ４"])
def test_codes_outside_the_alphabet_are_refused(text: str) -> None:
    refused(inputs.parse_code, text, "code")


def test_codes_and_reserved_words() -> None:
    assert inputs.parse_code(" r4-h1 ", "code") == "r4-h1"
    refused(inputs.parse_code, "new", "code", reserved=frozenset({"new"}))


@pytest.mark.parametrize("text", ["-1", "1.0", "１", "99999999999", "", "0x1"])
def test_whole_numbers_are_ascii_digits_within_bounds(text: str) -> None:
    refused(inputs.parse_whole, text, "version", low=0, high=10**9)


def test_a_whole_number_within_bounds() -> None:
    assert inputs.parse_whole("42", "version", low=0, high=100) == 42


@pytest.mark.parametrize("text", ["a\x00b", "name\x1b", "x" * 151, "", "  "])
def test_sign_in_names_are_bounded_before_sign_in(text: str) -> None:
    assert refused(inputs.parse_username, text, "username").problem.where == "username"


def test_passwords_are_kept_as_typed_within_bounds() -> None:
    assert inputs.parse_password("  spaced password  ", "password") == "  spaced password  "
    for text in ("", "pass\x00word", "x" * (inputs.MAX_PASSWORD + 1)):
        refused(inputs.parse_password, text, "password")


def test_codes_chosen_together_are_each_checked_and_bounded() -> None:
    assert inputs.parse_codes(["ward_a", "ward_b", "ward_a"], "org_units") == ["ward_a", "ward_b"]
    refused(inputs.parse_codes, ["ward_a", "Ward B"], "org_units")
    refused(inputs.parse_codes, ["a"] * (inputs.MAX_CODES + 1), "org_units")


def test_mail_addresses_and_ports() -> None:
    assert inputs.parse_email(" kita@city.example.jp ", "email") == "kita@city.example.jp"
    assert inputs.parse_email("", "email") == ""
    for text in ("kita", "kita@city", "a@b.c\x00", "x" * 250 + "@a.jp"):
        refused(inputs.parse_email, text, "email")
    assert inputs.parse_port("8000", "--port") == 8000 and inputs.parse_threads("64", "--threads") == 64
    for text in ("0", "65536", "80.5", "-1", "８０"):
        refused(inputs.parse_port, text, "--port")
