"""進捗率 and grades: the formula, the bands, and monotonicity in the target's direction (property tests)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from shihyo.core.grades import band_problems, grade_for, progress_rate
from shihyo.core.model import Direction, GradeBand, Target, TargetKind, TargetPoint
from shihyo.core.periods import fiscal_year
from shihyo.core.targets import Status, judge

D = Decimal
BANDS = (
    GradeBand("S", D(100)),
    GradeBand("A", D(80)),
    GradeBand("B", D(60)),
    GradeBand("C", D(40)),
    GradeBand("D", None),
)
RANK = {b.grade: i for i, b in enumerate(BANDS)}  # 0 is best

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
gaps = st.decimals(min_value=D("0.01"), max_value=10_000, places=2, allow_nan=False, allow_infinity=False)


def test_progress_rate_reads_the_same_for_both_directions() -> None:
    # higher is better: base 20, target 70, actual 45 → half way
    assert progress_rate(D(45), D(20), D(70), Direction.HIGHER) == D(50)
    # lower is better: base 2,000,000, target 1,000,000, actual 1,300,000 → 70 %
    assert progress_rate(D(1_300_000), D(2_000_000), D(1_000_000), Direction.LOWER) == D(70)
    # worse than the base is negative, beyond the target above 100
    assert progress_rate(D(10), D(20), D(70), Direction.HIGHER) == D(-20)
    assert progress_rate(D(900_000), D(2_000_000), D(1_000_000), Direction.LOWER) == D(110)


def test_no_progress_rate_for_a_target_no_better_than_the_base() -> None:
    assert progress_rate(D(50), D(50), D(50), Direction.HIGHER) is None
    assert progress_rate(D(50), D(60), D(50), Direction.HIGHER) is None  # "higher" target below the base
    assert progress_rate(D(50), D(40), D(50), Direction.LOWER) is None


def test_grade_bands() -> None:
    assert grade_for(D(100), BANDS) == BANDS[0]
    assert grade_for(D("99.9"), BANDS) == BANDS[1]
    assert grade_for(D(40), BANDS) == BANDS[3]
    assert grade_for(D(-5), BANDS) == BANDS[4]
    assert grade_for(None, BANDS) is None
    # without an open lowest band a value below every minimum has no grade
    assert grade_for(D(10), BANDS[:2]) is None


def test_band_problems_name_what_is_wrong() -> None:
    assert band_problems(BANDS) == []
    unordered = (GradeBand("A", D(80)), GradeBand("S", D(100)), GradeBand("D", None))
    assert [en for _, en in band_problems(unordered)] == ["list the grades best first, each min below the one before"]
    open_first = (GradeBand("D", None), GradeBand("S", D(100)))
    assert "only the last grade may have no min (D)" in [en for _, en in band_problems(open_first)]


@given(base=values, gap=gaps, a=values, b=values, higher=st.booleans())
def test_progress_rate_is_monotone_in_the_actual_in_the_targets_direction(
    base: Decimal, gap: Decimal, a: Decimal, b: Decimal, higher: bool
) -> None:
    direction = Direction.HIGHER if higher else Direction.LOWER
    target = base + gap if higher else base - gap
    worse, better = (min(a, b), max(a, b)) if higher else (max(a, b), min(a, b))
    p_worse, p_better = progress_rate(worse, base, target, direction), progress_rate(better, base, target, direction)
    assert p_worse is not None and p_better is not None
    assert p_better >= p_worse
    assert progress_rate(target, base, target, direction) == 100
    assert progress_rate(base, base, target, direction) == 0


@given(base=values, gap=gaps, a=values, b=values, higher=st.booleans())
def test_judged_grade_is_monotone_in_the_actual(
    base: Decimal, gap: Decimal, a: Decimal, b: Decimal, higher: bool
) -> None:
    """Through `judge`: a better actual never gets a worse grade, nor a worse status at the same target year."""
    from dataclasses import replace

    direction = Direction.HIGHER if higher else Direction.LOWER
    goal = base + gap if higher else base - gap
    target = Target("x", TargetKind.LEVEL, direction, (TargetPoint(fiscal_year(2025), goal, True),))
    start = TargetPoint(fiscal_year(2017), base)
    worse, better = (min(a, b), max(a, b)) if higher else (max(a, b), min(a, b))
    judged = []
    for value in (worse, better):
        e = judge(target, target.points, "city", fiscal_year(2025), "actual", value, start)
        assert e.progress is not None
        judged.append(replace(e, grade=grade_for(e.progress, BANDS)))
    w, bt = judged
    assert w.grade is not None and bt.grade is not None
    assert RANK[bt.grade.grade] <= RANK[w.grade.grade]
    order = {Status.BEHIND: 0, Status.ACHIEVED: 1}
    assert order[bt.status] >= order[w.status]
