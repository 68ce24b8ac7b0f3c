"""The engine on the mini programme: every indicator kind against the same arithmetic done by hand in Decimal
from the fixture's raw observations."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import Dataset, Observation, ObservationKind, Revision
from shihyo.core.periods import fiscal_year, half, parse_period

TOLERANCE = Decimal("1e-9")


def raw(dataset: Dataset, code: str, org: str, period: str) -> Decimal:
    key = parse_period(period).key
    (found,) = [
        o.value
        for o in dataset.observations
        if o.code == code and o.org_unit == org and o.period.key == key and o.kind is not ObservationKind.REPORTED
    ]
    return found


@pytest.fixture(scope="module")
def result(mini: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations)))


def close(actual: Decimal | None, expected: Decimal) -> bool:
    return actual is not None and abs(actual - expected) <= TOLERANCE * max(Decimal(1), abs(expected))


def test_sum_share_and_ratio(mini: Dataset, result: EvaluationResult) -> None:
    online, counter = raw(mini, "online", "city", "H30"), raw(mini, "counter", "city", "H30")
    assert result.value("total", "city", "FY2018") == online + counter
    assert close(result.value("online_share", "city", "FY2018"), online / (online + counter) * 100)
    assert close(result.value("online_per_counter", "city", "FY2018"), online / counter)


def test_year_over_year_change_needs_the_previous_year(mini: Dataset, result: EvaluationResult) -> None:
    def total(p: str) -> Decimal:
        return raw(mini, "online", "city", p) + raw(mini, "counter", "city", p)

    assert close(result.value("total_yoy", "city", "FY2019"), (total("R1") - total("H30")) / total("H30") * 100)
    assert result.value("total_yoy", "city", "FY2017") is None  # FY2016 is not in the data


def test_change_vs_base_from_the_base_period_on(mini: Dataset, result: EvaluationResult) -> None:
    base, r2 = raw(mini, "counter", "city", "H29"), raw(mini, "counter", "city", "R2")
    assert result.value("counter_vs_base", "city", "FY2020") == r2 - base
    assert close(result.value("counter_vs_base_pct", "city", "FY2020"), (r2 - base) / base * 100)
    assert close(result.value("counter_index", "city", "FY2020"), r2 / base * 100)


def test_the_base_period_itself_is_0_and_100(result: EvaluationResult) -> None:
    # at the base period a change against it is nothing and an index is 100 (the report prints 100 for H29)
    assert result.value("counter_vs_base", "city", "FY2017") == 0
    assert result.value("counter_vs_base_pct", "city", "FY2017") == 0
    assert result.value("counter_index", "city", "FY2017") == 100
    assert result.kind("counter_index", "city", "FY2017") == result.kind("counter", "city", "FY2017")
    assert result.value("counter_vs_base", "city", "FY2016") is None  # nothing before the base


def test_restated_base_compares_each_year_with_its_own_base(mini: Dataset, result: EvaluationResult) -> None:
    for year in ("R1", "R2"):
        value, base = raw(mini, "counter", "city", year), raw(mini, "base_restated", "city", year)
        assert close(result.value("counter_vs_restated", "city", parse_period(year)), (value - base) / base * 100)
    assert raw(mini, "base_restated", "city", "R1") != raw(mini, "base_restated", "city", "R2")
    # the base period the series restates is compared with itself; a year it restates nothing for has no value
    assert result.value("counter_vs_restated", "city", "FY2017") == 0
    assert result.value("counter_vs_restated", "city", "FY2018") is None


def test_point_difference_of_rates(result: EvaluationResult) -> None:
    share_r1 = result.value("online_share", "city", "FY2019")
    share_h30 = result.value("online_share", "city", "FY2018")
    assert share_r1 is not None and share_h30 is not None
    assert close(result.value("share_points", "city", "FY2019"), share_r1 - share_h30)


def test_per_capita_per_month(mini: Dataset, result: EvaluationResult) -> None:
    expected = raw(mini, "hours", "city", "H29") / raw(mini, "staff", "city", "H29") / 12
    assert close(result.value("overtime_avg", "city", "FY2017"), expected)


def test_cumulative_coverage_and_effect(mini: Dataset, result: EvaluationResult) -> None:
    running = sum(raw(mini, "online", "city", p) for p in ("H29", "H30", "R1"))
    assert result.value("online_cumulative", "city", "FY2019") == running
    assert close(result.value("online_coverage", "city", "FY2019"), running / Decimal(10000) * 100)
    change = raw(mini, "counter", "city", "R2") - raw(mini, "counter", "city", "H29")
    assert close(result.value("saved_hours", "city", "FY2020"), change * -5 / 60)


def test_expression(mini: Dataset, result: EvaluationResult) -> None:
    online, counter = raw(mini, "online", "city", "R2"), raw(mini, "counter", "city", "R2")
    assert result.value("balance", "city", "FY2020") == max(online - counter, Decimal(0)) + 2


def test_halves_roll_up_to_the_year_and_wards_to_the_city(mini: Dataset, result: EvaluationResult) -> None:
    ward_a = raw(mini, "counter", "ward_a", "R3上期") + raw(mini, "counter", "ward_a", "R3下期")
    assert result.value("counter", "ward_a", "FY2021") == ward_a
    assert result.value("counter", "city", "FY2021") == ward_a + raw(mini, "counter", "ward_b", "R3")


def test_kind_of_a_derived_figure_is_its_weakest_input(result: EvaluationResult) -> None:
    assert result.kind("counter", "city", "FY2021") == "estimate"  # ward B is an estimate
    assert result.kind("total", "city", "FY2021") == "estimate"
    assert result.kind("total", "city", "FY2022") == "plan"
    assert result.kind("total", "city", "FY2020") == "actual"


def test_reported_figures_are_kept_apart(mini: Dataset, result: EvaluationResult) -> None:
    reported = [o for o in mini.observations if o.kind is ObservationKind.REPORTED]
    assert result.reported.height == len(reported)
    assert result.values.filter(pl.col("kind") == "reported").height == 0


def test_narrowing_by_period_keeps_what_the_period_contains(mini: Dataset) -> None:
    narrowed = evaluate(
        EvaluationRequest(mini.programme, revisions_frame(mini.observations), periods=(fiscal_year(2021),))
    )
    periods = set(narrowed.values.get_column("period").to_list())
    assert periods == {"FY2021", half(2021, 1).key, half(2021, 2).key}


def test_as_of_picks_the_revision_in_force(mini: Dataset) -> None:
    first = datetime(2022, 4, 1)
    original = next(o for o in mini.observations if o.code == "online" and o.period.key == "FY2020")
    corrected = Observation(
        original.code,
        original.org_unit,
        original.period,
        original.kind,
        original.value + 100,
        str(original.value + 100),
        Decimal(1),
    )
    revisions = [Revision(o.key, o, first) for o in mini.observations]
    revisions.append(Revision(original.key, corrected, first + timedelta(days=30)))
    revisions.append(Revision(original.key, None, first + timedelta(days=60)))  # withdrawn
    frame = revisions_frame(revisions)

    def online_at(moment: datetime) -> Decimal | None:
        return evaluate(EvaluationRequest(mini.programme, frame, as_of=moment)).value("online", "city", "FY2020")

    assert online_at(first) == original.value
    assert online_at(first + timedelta(days=31)) == original.value + 100
    assert online_at(first + timedelta(days=61)) is None
    assert online_at(first - timedelta(days=1)) is None
