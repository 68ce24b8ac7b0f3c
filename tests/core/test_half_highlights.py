"""Trend highlights of a half-year view: the half against the same half of the years before, worded as a half
(「R5年度上期に…前年同期比で4年連続の増加」), never as a year; a change on the year before has no trend of its own."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from shihyo import examples
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.highlights import highlights_for, largest_change
from shihyo.core.model import Dataset
from shihyo.core.overview import card, overview
from shihyo.core.periods import fiscal_year, half
from shihyo.core.targets import Trend, streak
from shihyo.io.directory import read_programme_dir


@pytest.fixture(scope="module")
def minato() -> Dataset:
    return read_programme_dir(examples.path("minato"))


@pytest.fixture(scope="module")
def result(minato: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(minato.programme, revisions_frame(minato.observations)))


def _run(values: list[Decimal]) -> int:
    """Rises (or falls) in a row at the end of `values`, counted by hand."""
    signs = [(b > a) - (b < a) for a, b in pairwise(values)]
    run = 0
    while run < len(signs) and signs[-1 - run] == signs[-1] != 0:
        run += 1
    return run


@pytest.mark.parametrize("index", [1, 2])
def test_a_half_is_compared_with_the_same_half_each_year(result: EvaluationResult, index: int) -> None:
    year = 2023 if index == 1 else 2022
    for code in ("online_share", "online_per_1000", "web_pageviews"):
        found = streak(result, code, "minato", half(year, index))
        values = [result.value(code, "minato", half(y, index)) for y in range(2019, year + 1)]
        halves = [v for v in values if v is not None]
        assert found is not None and found.period == half(year, index), code
        assert found.years == _run(halves), (code, halves)
        assert found.trend is (Trend.INCREASE if halves[-1] > halves[-2] else Trend.DECREASE)


def test_a_half_streak_is_not_the_years_streak(result: EvaluationResult, minato: Dataset) -> None:
    """The year's run is judged on years: the half's run on halves (they may differ; each follows its own)."""
    yearly = streak(result, "online_share", "minato", fiscal_year(2022))
    halfly = streak(result, "online_share", "minato", half(2022, 2))
    assert yearly is not None and halfly is not None
    assert yearly.period == fiscal_year(2022) and halfly.period == half(2022, 2)
    years = [result.value("online_share", "minato", fiscal_year(y)) for y in range(2019, 2023)]
    assert yearly.years == _run([v for v in years if v is not None])


def test_the_highlight_words_a_half_as_a_half(result: EvaluationResult, minato: Dataset) -> None:
    indicator = minato.programme.indicator_by_code()["online_share"]
    c = card(result, indicator, "minato", half(2023, 1), (), ())
    (trend,) = [h for h in highlights_for(c, result) if h.rule in ("streak", "rebound")]
    assert trend.text_ja.startswith("オンライン申請の割合はR5年度上期に") and "前年同期比で" in trend.text_ja
    assert "年連続の増加となりました" in trend.text_ja and "年連続で増加しました" not in trend.text_ja
    assert "FY2023 H1" in trend.text_en or "first half" in trend.text_en
    assert "on the first half of the year before" in trend.text_en and "years in a row" in trend.text_en
    # the year's own wording is unchanged: a year against the year before
    year = card(result, indicator, "minato", fiscal_year(2022), (), ())
    (yearly,) = [h for h in highlights_for(year, result) if h.rule in ("streak", "rebound")]
    assert "前年同期" not in yearly.text_ja and "年度に" in yearly.text_ja


def test_a_change_on_the_year_before_has_no_trend_highlight(result: EvaluationResult, minato: Dataset) -> None:
    for code in ("online_share_pt", "pageviews_yoy"):
        indicator = minato.programme.indicator_by_code()[code]
        for period in (half(2023, 1), fiscal_year(2022)):
            c = card(result, indicator, "minato", period, (), ())
            assert not [h for h in highlights_for(c, result) if h.rule in ("streak", "rebound")], (code, period)


def test_the_largest_change_of_a_half_is_on_the_same_half(result: EvaluationResult) -> None:
    cards = [c for group in overview(result, (), (), half(2023, 1)) for c in group.cards]
    (found,) = largest_change(cards, result)
    assert "R5年度上期に前年同期から" in found.text_ja
    assert found.text_en.endswith("on the same period a year before.")
