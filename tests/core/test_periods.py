"""Tests for shihyo.core.periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shihyo.core.periods import (
    Grain,
    Period,
    PeriodParseError,
    WarekiStyle,
    as_of,
    fiscal_year,
    fiscal_year_of,
    half,
    month,
    parse_period,
    wareki_year,
)

ALL_STYLES = list(WarekiStyle)

# --- construction and calendar ---------------------------------------------------------------


def test_enum_values() -> None:
    assert [g.value for g in Grain] == ["Y", "H", "M", "D"]
    assert [s.value for s in WarekiStyle] == ["H31/R1", "R1", "令和元年度"]


def test_constructors_build_expected_fields() -> None:
    assert fiscal_year(2021) == Period(Grain.YEAR, 2021, 0)
    assert half(2021, 2) == Period(Grain.HALF, 2021, 2)
    assert month(2021, 4) == Period(Grain.MONTH, 2021, 1)
    assert month(2021, 12) == Period(Grain.MONTH, 2021, 9)
    assert month(2022, 1) == Period(Grain.MONTH, 2021, 10)
    assert month(2022, 3) == Period(Grain.MONTH, 2021, 12)
    assert as_of(date(2021, 4, 1)) == Period(Grain.DATE, 2021, 0)
    assert as_of(date(2022, 3, 31)) == Period(Grain.DATE, 2021, 364)
    assert as_of(date(2024, 3, 31)) == Period(Grain.DATE, 2023, 365)  # leap year: 366 days


def test_grain_given_as_string_is_coerced() -> None:
    p = Period("H", 2021, 1)  # type: ignore[arg-type]
    assert p.grain is Grain.HALF
    assert p == half(2021, 1)


@pytest.mark.parametrize(
    ("grain", "fy", "index"),
    [
        (Grain.YEAR, 2021, 1),
        (Grain.HALF, 2021, 0),
        (Grain.HALF, 2021, 3),
        (Grain.MONTH, 2021, 0),
        (Grain.MONTH, 2021, 13),
        (Grain.DATE, 2021, -1),
        (Grain.DATE, 2021, 365),  # FY2021 has 365 days: 0..364
        (Grain.DATE, 2023, 366),  # FY2023 has 366 days: 0..365
        (Grain.YEAR, 0, 0),
        (Grain.YEAR, 9999, 0),
    ],
)
def test_invalid_fields_rejected(grain: Grain, fy: int, index: int) -> None:
    with pytest.raises(ValueError):
        Period(grain, fy, index)


def test_invalid_month_and_bool_rejected() -> None:
    with pytest.raises(ValueError):
        month(2021, 0)
    with pytest.raises(ValueError):
        month(2021, 13)
    with pytest.raises(ValueError):
        Period(Grain.YEAR, True, 0)  # bool is not a year


def test_fiscal_year_of() -> None:
    assert fiscal_year_of(date(2022, 3, 31)) == 2021
    assert fiscal_year_of(date(2022, 4, 1)) == 2022
    assert fiscal_year_of(date(2022, 1, 1)) == 2021
    assert fiscal_year_of(date(2021, 12, 31)) == 2021


@pytest.mark.parametrize(
    ("period", "start", "end", "months"),
    [
        (fiscal_year(2021), date(2021, 4, 1), date(2022, 3, 31), 12),
        (half(2021, 1), date(2021, 4, 1), date(2021, 9, 30), 6),
        (half(2021, 2), date(2021, 10, 1), date(2022, 3, 31), 6),
        (month(2021, 4), date(2021, 4, 1), date(2021, 4, 30), 1),
        (month(2022, 2), date(2022, 2, 1), date(2022, 2, 28), 1),
        (month(2024, 2), date(2024, 2, 1), date(2024, 2, 29), 1),
        (month(2021, 12), date(2021, 12, 1), date(2021, 12, 31), 1),
        (as_of(date(2022, 4, 1)), date(2022, 4, 1), date(2022, 4, 1), 0),
    ],
)
def test_start_end_months(period: Period, start: date, end: date, months: int) -> None:
    assert period.start == start
    assert period.end == end
    assert period.months == months


@pytest.mark.parametrize(
    ("period", "key"),
    [
        (fiscal_year(2021), "FY2021"),
        (half(2021, 1), "FY2021H1"),
        (half(2021, 2), "FY2021H2"),
        (month(2021, 4), "2021-04"),
        (month(2022, 3), "2022-03"),
        (as_of(date(2022, 4, 1)), "2022-04-01"),
    ],
)
def test_key(period: Period, key: str) -> None:
    assert period.key == key
    assert str(period) == key


# --- ordering -------------------------------------------------------------------------------


def test_sorting_by_start_then_longer_grain_first() -> None:
    expected = [
        fiscal_year(2021),
        half(2021, 1),
        month(2021, 4),
        as_of(date(2021, 4, 1)),
        as_of(date(2021, 4, 2)),
        month(2021, 5),
        month(2021, 9),
        half(2021, 2),
        month(2021, 10),
        month(2022, 3),
        as_of(date(2022, 3, 31)),
        fiscal_year(2022),
        half(2022, 1),
    ]
    shuffled = [expected[i] for i in (7, 2, 12, 0, 5, 10, 3, 8, 1, 11, 4, 9, 6)]
    assert sorted(shuffled) == expected


def test_comparison_operators() -> None:
    assert fiscal_year(2021) < half(2021, 1) < half(2021, 2) < fiscal_year(2022)
    assert fiscal_year(2022) > half(2021, 2)
    assert half(2021, 1) <= half(2021, 1)
    assert half(2021, 1) >= half(2021, 1)
    assert not half(2021, 1) < half(2021, 1)
    assert month(2021, 9) < half(2021, 2) < month(2021, 10)
    assert max([half(2021, 1), month(2021, 12), fiscal_year(2021)]) == month(2021, 12)


def test_comparison_with_other_types_is_unsupported() -> None:
    with pytest.raises(TypeError):
        _ = fiscal_year(2021) < "FY2022"
    key: object = "FY2021"
    assert fiscal_year(2021) != key


def test_hashable_and_equal_by_value() -> None:
    assert {fiscal_year(2021), Period(Grain.YEAR, 2021, 0)} == {fiscal_year(2021)}
    assert month(2022, 1) == parse_period("2022-01")


# --- containment, year, shifting -----------------------------------------------------------------


def test_contains() -> None:
    fy = fiscal_year(2021)
    assert fy.contains(fy)
    assert fy.contains(half(2021, 1))
    assert fy.contains(half(2021, 2))
    assert fy.contains(month(2022, 3))
    assert fy.contains(as_of(date(2022, 3, 31)))
    assert not fy.contains(as_of(date(2022, 4, 1)))
    assert not fy.contains(fiscal_year(2022))
    assert half(2021, 1).contains(month(2021, 9))
    assert not half(2021, 1).contains(month(2021, 10))
    assert half(2021, 2).contains(month(2022, 1))
    assert not half(2021, 1).contains(fy)
    assert month(2021, 4).contains(as_of(date(2021, 4, 30)))
    assert not month(2021, 4).contains(as_of(date(2021, 5, 1)))
    assert as_of(date(2021, 4, 1)).contains(as_of(date(2021, 4, 1)))


def test_year() -> None:
    assert half(2021, 2).year() == fiscal_year(2021)
    assert month(2022, 3).year() == fiscal_year(2021)
    assert as_of(date(2022, 4, 1)).year() == fiscal_year(2022)
    assert fiscal_year(2021).year() == fiscal_year(2021)


def test_shift_years() -> None:
    assert fiscal_year(2021).shift_years(2) == fiscal_year(2023)
    assert half(2021, 2).shift_years(-1) == half(2020, 2)
    assert month(2022, 1).shift_years(1) == month(2023, 1)
    assert as_of(date(2022, 4, 1)).shift_years(-3) == as_of(date(2019, 4, 1))
    assert as_of(date(2022, 3, 15)).shift_years(1) == as_of(date(2023, 3, 15))


def test_shift_years_feb_29() -> None:
    assert as_of(date(2024, 2, 29)).shift_years(1) == as_of(date(2025, 2, 28))
    assert as_of(date(2024, 2, 29)).shift_years(-4) == as_of(date(2020, 2, 29))
    assert as_of(date(2024, 2, 29)).previous_year() == as_of(date(2023, 2, 28))


def test_previous_year() -> None:
    assert fiscal_year(2021).previous_year() == fiscal_year(2020)
    assert half(2021, 1).previous_year() == half(2020, 1)
    assert month(2021, 4).previous_year() == month(2020, 4)


def test_shift_out_of_range() -> None:
    with pytest.raises(ValueError):
        fiscal_year(9998).shift_years(1)
    with pytest.raises(ValueError):
        as_of(date(9998, 5, 1)).shift_years(5)


# --- wareki ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "slash", "reiwa", "kanji"),
    [
        (1988, "S63", "S63", "昭和63年度"),
        (1989, "H1", "H1", "平成元年度"),
        (1990, "H2", "H2", "平成2年度"),
        (2017, "H29", "H29", "平成29年度"),
        (2018, "H30", "H30", "平成30年度"),
        (2019, "H31/R1", "R1", "令和元年度"),
        (2020, "R2", "R2", "令和2年度"),
        (2021, "R3", "R3", "令和3年度"),
        (1926, "T15/S1", "S1", "昭和元年度"),
        (1950, "S25", "S25", "昭和25年度"),
    ],
)
def test_wareki_year(year: int, slash: str, reiwa: str, kanji: str) -> None:
    assert wareki_year(year) == slash
    assert wareki_year(year, WarekiStyle.SLASH) == slash
    assert wareki_year(year, WarekiStyle.REIWA) == reiwa
    assert wareki_year(year, WarekiStyle.KANJI) == kanji


def test_wareki_style_values_are_fy2019_labels() -> None:
    for style in WarekiStyle:
        assert wareki_year(2019, style) == style.value


def test_wareki_year_before_meiji() -> None:
    with pytest.raises(ValueError):
        wareki_year(1800)


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "slash", "reiwa", "kanji", "en"),
    [
        (fiscal_year(2021), "R3", "R3", "令和3年度", "FY2021"),
        (fiscal_year(2019), "H31/R1", "R1", "令和元年度", "FY2019"),
        (fiscal_year(2018), "H30", "H30", "平成30年度", "FY2018"),
        (fiscal_year(2020), "R2", "R2", "令和2年度", "FY2020"),
        (half(2021, 1), "R3上期", "R3上期", "令和3年度上期", "FY2021 H1"),
        (half(2021, 2), "R3下期", "R3下期", "令和3年度下期", "FY2021 H2"),
        (half(2019, 2), "H31/R1下期", "R1下期", "令和元年度下期", "FY2019 H2"),
        (month(2021, 4), "R3年4月", "R3年4月", "令和3年4月", "Apr 2021"),
        (month(2019, 4), "H31年4月", "H31年4月", "平成31年4月", "Apr 2019"),
        (month(2019, 5), "R1年5月", "R1年5月", "令和元年5月", "May 2019"),
        (month(2020, 1), "R2年1月", "R2年1月", "令和2年1月", "Jan 2020"),
        (as_of(date(2022, 4, 1)), "R4.4.1", "R4.4.1", "令和4年4月1日", "2022-04-01"),
        (as_of(date(2019, 4, 30)), "H31.4.30", "H31.4.30", "平成31年4月30日", "2019-04-30"),
        (as_of(date(2019, 5, 1)), "R1.5.1", "R1.5.1", "令和元年5月1日", "2019-05-01"),
        (as_of(date(2018, 3, 1)), "H30.3.1", "H30.3.1", "平成30年3月1日", "2018-03-01"),
    ],
)
def test_labels(period: Period, slash: str, reiwa: str, kanji: str, en: str) -> None:
    assert period.label() == slash
    assert period.label(WarekiStyle.SLASH) == slash
    assert period.label(WarekiStyle.REIWA) == reiwa
    assert period.label(WarekiStyle.KANJI) == kanji
    assert period.label(lang="en") == en
    assert period.label(WarekiStyle.KANJI, lang="en") == en


def test_label_unknown_language() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        fiscal_year(2021).label(lang="fr")


# --- parsing: accepted forms -------------------------------------------------------------------

FY2019 = fiscal_year(2019)
FY2021 = fiscal_year(2021)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2021", FY2021),
        ("fy2021", FY2021),
        ("2021年度", FY2021),
        ("R3", FY2021),
        ("R03", FY2021),
        ("r3", FY2021),
        ("R3年度", FY2021),
        ("令和3年度", FY2021),
        ("令和3", FY2021),
        ("令和元年度", FY2019),
        ("R元", FY2019),
        ("R1", FY2019),
        ("H31", FY2019),
        ("H31/R1", FY2019),
        ("H31/R1年度", FY2019),
        ("平成31年度", FY2019),
        ("H29", fiscal_year(2017)),
        ("平成29年度", fiscal_year(2017)),
        ("H1", fiscal_year(1989)),
        ("平成元年度", fiscal_year(1989)),
        ("S63", fiscal_year(1988)),
        ("Ｒ３", FY2021),
        ("ＦＹ２０２１", FY2021),
        ("令和３年度", FY2021),
        ("  R3 ", FY2021),
        ("R　3年度", FY2021),
        ("㋿3年度", FY2021),
        ("㍻29年度", fiscal_year(2017)),
    ],
)
def test_parse_fiscal_years(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2021H1", half(2021, 1)),
        ("FY2021H2", half(2021, 2)),
        ("fy2021h2", half(2021, 2)),
        ("FY2021 H1", half(2021, 1)),
        ("R3上期", half(2021, 1)),
        ("R3下期", half(2021, 2)),
        ("R3年度上期", half(2021, 1)),
        ("令和3年度下期", half(2021, 2)),
        ("2021年度上期", half(2021, 1)),
        ("2021年度下期", half(2021, 2)),
        ("R3上半期", half(2021, 1)),
        ("H31/R1上期", half(2019, 1)),
        ("令和元年度下期", half(2019, 2)),
        ("Ｒ３上期", half(2021, 1)),
    ],
)
def test_parse_halves(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04", month(2021, 4)),
        ("2021/4", month(2021, 4)),
        ("2021/04", month(2021, 4)),
        ("2022-03", month(2022, 3)),
        ("2021年4月", month(2021, 4)),
        ("R3年4月", month(2021, 4)),
        ("令和3年4月", month(2021, 4)),
        ("R4年1月", month(2022, 1)),
        ("H31年4月", month(2019, 4)),
        ("R1年5月", month(2019, 5)),
        ("令和元年5月", month(2019, 5)),
        ("S64年1月", month(1989, 1)),  # Showa ended 1989-01-07
        ("H1年1月", month(1989, 1)),  # Heisei began 1989-01-08
        ("２０２１－０４", month(2021, 4)),
        ("Apr 2021", month(2021, 4)),
        ("april 2021", month(2021, 4)),
    ],
)
def test_parse_months(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-04-01", date(2022, 4, 1)),
        ("2022/4/1", date(2022, 4, 1)),
        ("2022.4.1", date(2022, 4, 1)),
        ("2022年4月1日", date(2022, 4, 1)),
        ("R4.4.1", date(2022, 4, 1)),
        ("R4/4/1", date(2022, 4, 1)),
        ("H30.3.1", date(2018, 3, 1)),
        ("令和4年4月1日", date(2022, 4, 1)),
        ("R4年4月1日", date(2022, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("R1.5.1", date(2019, 5, 1)),
        ("Ｒ４．４．１", date(2022, 4, 1)),
        ("２０２２－０４－０１", date(2022, 4, 1)),
    ],
)
def test_parse_dates(text: str, expected: date) -> None:
    p = parse_period(text)
    assert p.grain is Grain.DATE
    assert p.start == expected


# --- parsing: rejections -----------------------------------------------------------------------


def _reject(text: str) -> PeriodParseError:
    with pytest.raises(PeriodParseError) as info:
        parse_period(text)
    err = info.value
    assert err.text == text
    assert str(err) == err.message_en
    assert repr(text) in err.message_en
    assert f"「{text}」" in err.message_ja
    assert "Accepted forms" in err.message_en
    assert "使える書き方" in err.message_ja
    return err


@pytest.mark.parametrize("text", ["2021", "２０２１", "2021年"])
def test_bare_year_rejected_with_hint(text: str) -> None:
    err = _reject(text)
    assert "ambiguous" in err.message_en
    assert "FY2021" in err.message_en
    assert "2021年度" in err.message_ja


def test_bare_era_calendar_year_rejected() -> None:
    err = _reject("R3年")
    assert "R3年度" in err.message_en
    assert "R3年4月" in err.message_en


@pytest.mark.parametrize("text", ["R0", "令和0年度", "R00", "R0.5.1", "R0年5月"])
def test_era_year_zero_rejected(text: str) -> None:
    err = _reject(text)
    assert "start at 1" in err.message_en


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("H32", "use R2"),
        ("H35", "use R5"),
        ("平成32年度", "use 令和2年度"),
        ("S64", "use H1"),
        ("R0", "start at 1"),
    ],
)
def test_era_fiscal_year_outside_era_rejected(text: str, hint: str) -> None:
    err = _reject(text)
    assert hint in err.message_en


def test_h32_half_rejected() -> None:
    assert "use R2" in _reject("H32上期").message_en


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("H31.5.1", "use R1.5.1"),
        ("R1.4.30", "use H31.4.30"),
        ("平成31年5月1日", "use 令和元年5月1日"),
        ("H32.1.1", "use R2.1.1"),
        ("S64.1.8", "use H1.1.8"),
    ],
)
def test_era_date_outside_era_rejected(text: str, hint: str) -> None:
    assert hint in _reject(text).message_en


@pytest.mark.parametrize(("text", "hint"), [("H31年5月", "use R1年5月"), ("R1年4月", "use H31年4月")])
def test_era_month_outside_era_rejected(text: str, hint: str) -> None:
    assert hint in _reject(text).message_en


def test_era_boundary() -> None:
    assert parse_period("H31.4.30") == as_of(date(2019, 4, 30))
    assert parse_period("R1.5.1") == as_of(date(2019, 5, 1))
    assert as_of(date(2019, 4, 30)).label() == "H31.4.30"
    assert as_of(date(2019, 5, 1)).label() == "R1.5.1"
    assert as_of(date(2019, 4, 30)) < as_of(date(2019, 5, 1))


@pytest.mark.parametrize("text", ["H30/R1", "R1/R1", "H31/R2"])
def test_slash_pair_must_name_one_year(text: str) -> None:
    assert "not two names of one fiscal year" in _reject(text).message_en


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xyz",
        "R3 1H",
        "FY21",
        "FY2021H3",
        "FY2021H0",
        "2021-13",
        "2021-00",
        "2022-02-30",
        "2021-04-31",
        "R3年13月",
        "R3.2.30",
        "FY9999",
        "FY10000",
        "Foo 2021",
        "2021年度第3四半期",
        "X3",
    ],
)
def test_nonsense_rejected(text: str) -> None:
    _reject(text)


def test_out_of_range_message_names_the_problem() -> None:
    assert "out of range" in _reject("2022-02-30").message_en
    assert "month must be 1..12" in _reject("2021-13").message_en
    assert "9999" in _reject("FY9999").message_en


def test_parse_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_period("nonsense")


# --- property tests ---------------------------------------------------------------------------


@st.composite
def periods(draw: st.DrawFn, min_year: int = 1990, max_year: int = 2040) -> Period:
    grain = draw(st.sampled_from(list(Grain)))
    fy = draw(st.integers(min_year, max_year))
    if grain is Grain.YEAR:
        return fiscal_year(fy)
    if grain is Grain.HALF:
        return half(fy, draw(st.integers(1, 2)))
    if grain is Grain.MONTH:
        return Period(Grain.MONTH, fy, draw(st.integers(1, 12)))
    days = (date(fy + 1, 4, 1) - date(fy, 4, 1)).days
    return Period(Grain.DATE, fy, draw(st.integers(0, days - 1)))


@given(periods(min_year=1, max_year=9998))
def test_key_round_trip(p: Period) -> None:
    assert parse_period(p.key) == p


@given(periods(), st.sampled_from(ALL_STYLES))
def test_label_round_trip(p: Period, style: WarekiStyle) -> None:
    assert parse_period(p.label(style)) == p


@given(periods())
def test_english_label_round_trip(p: Period) -> None:
    assert parse_period(p.label(lang="en")) == p


@given(periods())
def test_full_width_round_trip(p: Period) -> None:
    wide = p.label(WarekiStyle.SLASH).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert parse_period(wide) == p


@given(periods(), periods())
def test_order_matches_start_then_grain(a: Period, b: Period) -> None:
    rank = {Grain.YEAR: 0, Grain.HALF: 1, Grain.MONTH: 2, Grain.DATE: 3}
    assert (a < b) == ((a.start, rank[a.grain]) < (b.start, rank[b.grain]))
    assert (a == b) == ((a.start, rank[a.grain]) == (b.start, rank[b.grain]))


@given(periods())
def test_year_contains_period_and_parts_have_consistent_bounds(p: Period) -> None:
    assert p.year().contains(p)
    assert p.start <= p.end
    assert fiscal_year_of(p.start) == p.fiscal_year == fiscal_year_of(p.end)
    assert p.contains(as_of(p.start))
    assert p.contains(as_of(p.end))
    assert not p.contains(as_of(p.end + timedelta(days=1)))


@given(periods(), st.integers(-50, 50))
def test_shift_years_moves_the_fiscal_year(p: Period, n: int) -> None:
    q = p.shift_years(n)
    assert q.grain is p.grain
    assert q.fiscal_year == p.fiscal_year + n
    assert q.shift_years(-n).start == p.start or (p.start.month, p.start.day) == (2, 29)
    if p.grain is not Grain.DATE:
        assert q.index == p.index
    else:
        assert q.start.month == p.start.month
        assert q.start.day == p.start.day or (p.start.month, p.start.day, q.start.day) == (2, 29, 28)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_as_of_and_month_agree_with_the_calendar(d: date) -> None:
    p = as_of(d)
    assert p.start == d
    assert month(d.year, d.month).contains(p)
    assert half(p.fiscal_year, 1 if d.month in range(4, 10) else 2).contains(p)
    assert parse_period(d.isoformat()) == p
