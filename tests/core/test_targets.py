"""Target judgements and streaks, on hand-made paths and on the mini programme."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset, Direction, Target, TargetKind, TargetPoint
from shihyo.core.periods import fiscal_year
from shihyo.core.targets import Status, Trend, evaluate_targets, judge, streak

D = Decimal


def print_like_target() -> Target:
    """Reduction targets in % vs base, lower is better (the shape of Kobe's print volume targets)."""
    points = tuple(TargetPoint(fiscal_year(y), D(v)) for y, v in ((2019, "-15.8"), (2020, "-23.0"), (2021, "-29.4")))
    return Target(
        "reduction", TargetKind.LEVEL, Direction.LOWER, (*points, TargetPoint(fiscal_year(2023), D("-42.8"), True))
    )


def test_a_value_beyond_a_later_target_is_years_ahead() -> None:
    target = print_like_target()
    e = judge(target, target.points, "city", fiscal_year(2021), "actual", D("-44.1"))
    assert e.status is Status.ACHIEVED
    assert e.compared_period == fiscal_year(2021)
    assert e.margin == D("14.7")  # better than this year's target by 14.7 points
    assert e.met_final and e.years_ahead == 2


def test_behind_this_years_target() -> None:
    target = print_like_target()
    e = judge(target, target.points, "city", fiscal_year(2020), "actual", D("-20.0"))
    assert e.status is Status.BEHIND and e.margin == D("-3.0") and e.years_ahead == 0


def test_between_points_the_path_is_a_guide_by_default() -> None:
    target = print_like_target()
    # FY2022 lies halfway between -29.4 (FY2021) and -42.8 (FY2023): the guide is -36.1, the judged target FY2023's
    e = judge(target, target.points, "city", fiscal_year(2022), "plan", D("-37"))
    assert e.status is Status.NOT_DUE and e.guide == D("-36.1")
    assert e.judged_set and e.compared_period == fiscal_year(2023) and e.compared_with == D("-42.8")


def test_between_points_a_binding_path_is_judged() -> None:
    target = print_like_target()
    on_track = judge(target, target.points, "city", fiscal_year(2022), "plan", D("-37"), binding=True)
    assert on_track.status is Status.ON_TRACK and on_track.compared_with == D("-36.1")
    assert on_track.interpolated and on_track.compared_period == fiscal_year(2022)
    behind = judge(target, target.points, "city", fiscal_year(2022), "plan", D("-35"), binding=True)
    assert behind.status is Status.BEHIND and behind.interpolated


def test_higher_is_better_with_only_a_final_target() -> None:
    target = Target("rate", TargetKind.LEVEL, Direction.HIGHER, (TargetPoint(fiscal_year(2024), D(30), True),))
    e = judge(target, target.points, "city", fiscal_year(2021), "actual", D("36.8"))
    assert e.status is Status.ACHIEVED and e.margin == D("6.8") and e.years_ahead == 3


def test_mini_programme_targets(mini: Dataset) -> None:
    result = evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations)))
    found = {(e.indicator, e.period.fiscal_year): e for e in evaluate_targets(result)}
    # the base year itself is never judged against its own target
    assert ("online_share", 2017) not in found
    # change-vs-base target: 50 % below the FY2017 value by FY2022, a straight path from the base
    counter_r3 = found[("counter", 2021)]
    base = result.value("counter", "city", fiscal_year(2017))
    assert base is not None
    assert counter_r3.final.value == base / 2
    # no point is set for FY2021: the path from the base is a guide, and the final target is not due yet
    assert counter_r3.status is Status.NOT_DUE and counter_r3.compared_period == fiscal_year(2022)
    assert counter_r3.guide is not None and counter_r3.value <= counter_r3.guide


def test_streak_and_rebound(mini: Dataset) -> None:
    result = evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations)))
    # counter falls every year H29 → R3
    s = streak(result, "counter", "city", fiscal_year(2021))
    assert s is not None and s.trend is Trend.DECREASE and s.years == 4 and s.reversal_after == 0
    # total: H30 down, then up three years; the published H29 change (▲4.1 %) extends the decrease
    plain = streak(result, "total", "city", fiscal_year(2019))
    assert plain is not None and plain.trend is Trend.INCREASE and plain.reversal_after == 1
    assert not plain.uses_reported
    with_reported = streak(result, "total", "city", fiscal_year(2019), change_code="total_yoy")
    assert with_reported is not None and with_reported.reversal_after == 2 and with_reported.uses_reported
