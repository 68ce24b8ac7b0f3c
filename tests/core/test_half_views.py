"""Half-year views: a half's own figures against the same half a year before; a year with only 上期 in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shihyo import examples
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.core.overview import card, overview
from shihyo.core.periods import fiscal_year, half
from shihyo.io.directory import read_programme_dir


@pytest.fixture(scope="module")
def minato() -> Dataset:
    return read_programme_dir(examples.path("minato"))


def evaluated(dataset: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(dataset.programme, revisions_frame(dataset.observations)))


def test_a_half_card_shows_the_half_against_the_same_half_before(minato: Dataset) -> None:
    result = evaluated(minato)
    indicator = minato.programme.indicator_by_code()["online_share"]
    c = card(result, indicator, "minato", half(2023, 1), (), ())
    assert c.latest is not None and c.latest.period == half(2023, 1)
    assert c.latest.value == result.value("online_share", "minato", half(2023, 1))
    before = result.value("online_share", "minato", half(2022, 1))
    assert c.previous_year is not None and before is not None
    assert c.previous_year.against == half(2022, 1) and c.previous_year.absolute == c.latest.value - before
    assert c.previous_year.in_points and c.target is None


def test_a_year_with_only_its_first_half_is_shown_as_that_half(minato: Dataset) -> None:
    kept = tuple(o for o in minato.observations if o.period != half(2023, 2))
    result = evaluated(replace(minato, observations=kept))
    cards = [c for group in overview(result, (), (), fiscal_year(2023)) for c in group.cards]
    shown = [c.latest.period for c in cards if c.latest is not None]
    assert shown and half(2023, 1) in shown and fiscal_year(2023) not in shown
    full = evaluated(minato)
    cards = [c for group in overview(full, (), (), fiscal_year(2023)) for c in group.cards]
    assert all(c.latest is None or c.latest.period == fiscal_year(2023) for c in cards if c.latest)


def test_a_change_of_points_is_in_points(minato: Dataset) -> None:
    result = evaluated(minato)
    indicator = minato.programme.indicator_by_code()["online_share_pt"]
    c = card(result, indicator, "minato", half(2023, 1), (), ())
    assert c.previous_year is not None and c.previous_year.in_points and c.previous_year.relative is None
