"""The one period-label formatter: 年度 once, months and halves in the programme's wareki style."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shihyo.core.period_labels import PeriodLabels, heading, previous_words, short, year_stem
from shihyo.core.periods import WarekiStyle, fiscal_year, half, month, parse_period

STYLES = list(WarekiStyle)


@pytest.mark.parametrize(
    ("key", "style", "expected"),
    [
        ("FY2022", WarekiStyle.SLASH, "R4年度"),
        ("FY2022", WarekiStyle.KANJI, "令和4年度"),
        ("FY2019", WarekiStyle.SLASH, "H31/R1年度"),
        ("FY2019", WarekiStyle.REIWA, "R1年度"),
        ("FY2019", WarekiStyle.KANJI, "令和元年度"),
        ("FY2022H1", WarekiStyle.SLASH, "R4年度上期"),
        ("FY2022H1", WarekiStyle.KANJI, "令和4年度上期"),
        ("FY2022H2", WarekiStyle.REIWA, "R4年度下期"),
        ("2018-04", WarekiStyle.SLASH, "H30年4月"),
        ("2018-04", WarekiStyle.KANJI, "平成30年4月"),
        ("2019-05", WarekiStyle.KANJI, "令和元年5月"),
    ],
)
def test_heading(key: str, style: WarekiStyle, expected: str) -> None:
    assert heading(parse_period(key), style) == expected


def test_short_labels_keep_the_style() -> None:
    assert short(fiscal_year(2017)) == "H29"
    assert short(fiscal_year(2017), WarekiStyle.KANJI) == "平成29年度"
    assert short(half(2022, 1), WarekiStyle.KANJI) == "令和4年度上期"
    assert short(month(2018, 4), WarekiStyle.KANJI) == "平成30年4月"
    assert short(half(2022, 2), lang="en") == "FY2022 H2"


@given(st.integers(1990, 2090), st.sampled_from(STYLES), st.sampled_from([0, 1, 2]))
def test_nenndo_is_never_doubled(year: int, style: WarekiStyle, h: int) -> None:
    p = fiscal_year(year) if h == 0 else half(year, h)
    text = heading(p, style)
    assert "年度年度" not in text and "期年度" not in text
    assert text.count("年度") == 1
    assert f"{year_stem(p, style)}年度" == heading(p.year(), style)


def test_the_comparison_a_year_before() -> None:
    assert previous_words(fiscal_year(2021)) == "前年度比"
    assert previous_words(half(2021, 1)) == "前年同期比"
    labels = PeriodLabels(WarekiStyle.KANJI, "ja")
    assert labels.heading(half(2022, 1)) == "令和4年度上期"
    assert labels.short(fiscal_year(2019)) == "令和元年度"
