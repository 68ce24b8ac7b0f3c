"""Progress against targets: status, margin, years ahead of schedule, streaks and rebounds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.grades import grade_for, progress_rate
from shihyo.core.model import Direction, GradeBand, OrgUnitKind, Target, TargetKind, TargetPath, TargetPoint
from shihyo.core.numbers import to_decimal
from shihyo.core.periods import Grain, Period, fiscal_year, parse_period


class Status(StrEnum):
    ACHIEVED = "achieved"  # meets a target point the programme set (this year's, a later one, or the final)
    ON_TRACK = "on_track"  # meets the interpolated path where the programme makes that path binding
    BEHIND = "behind"  # misses this year's set target, the binding path, or the final target once due
    NOT_DUE = "not_due"  # no target is set for this year and the path is a guide: judged at the next set point
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class TargetEvaluation:
    """One actual (or plan) value judged against its target.

    `compared_with` / `compared_period` is the target the status judges: a point the programme set
    (`judged_set`), or — only where the path is binding — the path interpolated to this period. Every
    surface prints that target beside the status, and the final target beside both.
    """

    indicator: str
    org_unit: str
    period: Period
    kind: str
    value: Decimal
    status: Status
    compared_with: Decimal  # the target level this value was judged against
    compared_period: Period  # the period of that target (a set point, or this period on a binding path)
    margin: Decimal  # how far better (+) or worse (−) than that target, in the indicator's unit
    final: TargetPoint
    met_final: bool
    years_ahead: int  # the latest later target point this value already meets, in years ahead; 0 if none
    judged_set: bool = True  # the judged target is a point the programme set (False: the interpolated path)
    guide: Decimal | None = None  # 目安（直線補間）: the path interpolated to this period, where no point is set
    binding: bool = False  # whether the interpolated path is binding for this target
    base: Decimal | None = None  # the value in the base period (for 進捗率)
    progress: Decimal | None = None  # 進捗率 towards the judged target, in %
    grade: GradeBand | None = None  # the programme's grade for that 進捗率
    direction: Direction = Direction.HIGHER  # the target's direction (which way is better)

    @property
    def interpolated(self) -> bool:
        """The judged target is an interpolated value, not a point the programme set."""
        return not self.judged_set


def _better_or_equal(value: Decimal, target: Decimal, direction: Direction) -> bool:
    return value >= target if direction is Direction.HIGHER else value <= target


def _margin(value: Decimal, target: Decimal, direction: Direction) -> Decimal:
    return value - target if direction is Direction.HIGHER else target - value


def target_levels(target: Target, result: EvaluationResult, org_unit: str) -> tuple[TargetPoint, ...] | None:
    """The target path as levels of the indicator; a change-vs-base path is applied to the base value."""
    if target.kind is TargetKind.LEVEL:
        return target.points
    assert target.base_period is not None
    base = result.value(target.indicator, org_unit, target.base_period)
    if base is None:
        return None
    return tuple(TargetPoint(p.period, base * (1 + p.value / Decimal(100)), p.final) for p in target.points)


def _interpolate(points: tuple[TargetPoint, ...], period: Period) -> tuple[Decimal, Period] | None:
    before = [p for p in points if p.period.fiscal_year < period.fiscal_year]
    after = [p for p in points if p.period.fiscal_year > period.fiscal_year]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    span = Decimal(b.period.fiscal_year - a.period.fiscal_year)
    step = Decimal(period.fiscal_year - a.period.fiscal_year)
    return a.value + (b.value - a.value) * step / span, period


def guide_value(points: tuple[TargetPoint, ...], period: Period, start: TargetPoint | None = None) -> Decimal | None:
    """目安（直線補間）: the straight path between the set points (from the base value, if given) at `period`.

    None where a point is set for that year (it is the target itself) or the year lies outside the path.
    """
    ordered = tuple(sorted(points, key=lambda p: p.period))
    if any(p.period.fiscal_year == period.fiscal_year for p in ordered):
        return None
    path = ordered if start is None or start.period.fiscal_year >= ordered[0].period.fiscal_year else (start, *ordered)
    found = _interpolate(path, period)
    return found[0] if found else None


def judge(
    target: Target,
    points: tuple[TargetPoint, ...],
    org_unit: str,
    period: Period,
    kind: str,
    value: Decimal,
    start: TargetPoint | None = None,
    *,
    binding: bool | None = None,
) -> TargetEvaluation:
    """Judge one value against a target path given as levels.

    Status judges the points the programme set: this year's point if there is one; else a later point the
    value already meets (ahead of schedule), the final target once the value meets it or once its year has
    passed. Between set points the straight path (from `start`, the value at the base period, to the first
    point, then point to point) is a guide (`NOT_DUE`, judged at the next set point), unless the path is
    binding (`binding`, default: the target's own `path`), when the year is judged against it (`ON_TRACK`).
    """
    if binding is None:
        binding = target.path is TargetPath.BINDING
    ordered = tuple(sorted(points, key=lambda p: p.period))
    final = next((p for p in ordered if p.final), ordered[-1])
    direction = target.direction
    met_final = _better_or_equal(value, final.value, direction)
    same = next((p for p in ordered if p.period.fiscal_year == period.fiscal_year), None)
    later = [p for p in ordered if p.period.fiscal_year > period.fiscal_year]
    guide = guide_value(ordered, period, start)
    judged_set = True
    if same is not None:
        compared_point = same
        status = Status.ACHIEVED if met_final or _better_or_equal(value, same.value, direction) else Status.BEHIND
    elif not later:  # every set point is due: judged against the latest one (normally the final)
        compared_point = [p for p in ordered if p.period.fiscal_year < period.fiscal_year][-1]
        met = met_final or _better_or_equal(value, compared_point.value, direction)
        status = Status.ACHIEVED if met else Status.BEHIND
    elif met_final and final.period.fiscal_year > period.fiscal_year:
        compared_point, status = final, Status.ACHIEVED
    elif _better_or_equal(value, later[0].value, direction):
        met_later = [p for p in later if _better_or_equal(value, p.value, direction)]
        compared_point, status = met_later[-1], Status.ACHIEVED
    elif binding and guide is not None:
        compared_point = TargetPoint(period, guide)
        judged_set = False
        status = Status.ON_TRACK if _better_or_equal(value, guide, direction) else Status.BEHIND
    else:
        compared_point, status = later[0], Status.NOT_DUE
    compared = compared_point.value
    ahead = [
        p.period.fiscal_year - period.fiscal_year
        for p in ordered
        if p.period.fiscal_year > period.fiscal_year and _better_or_equal(value, p.value, direction)
    ]
    base = start.value if start is not None else None
    return TargetEvaluation(
        indicator=target.indicator,
        org_unit=org_unit,
        period=period,
        kind=kind,
        value=value,
        status=status,
        compared_with=compared,
        compared_period=compared_point.period,
        margin=_margin(value, compared, direction),
        final=final,
        met_final=met_final,
        years_ahead=max(ahead, default=0),
        judged_set=judged_set,
        guide=guide,
        binding=binding,
        base=base,
        progress=None if base is None else progress_rate(value, base, compared, direction),
        direction=direction,
    )


def evaluate_targets(result: EvaluationResult) -> tuple[TargetEvaluation, ...]:
    """Judge every yearly value of every targeted indicator, for every org unit that has values."""
    evaluations: list[TargetEvaluation] = []
    programme = result.programme
    yearly = result.values.filter(pl.col("grain") == Grain.YEAR.value)
    benchmarks = [u.code for u in programme.org_units if u.kind is OrgUnitKind.BENCHMARK]
    for target in programme.targets:
        base_period = target.base_period or programme.base_period
        binding = programme.path_of(target) is TargetPath.BINDING
        rows = yearly.filter(pl.col("code") == target.indicator).sort("org_unit", "fiscal_year")
        if target.org_units:
            rows = rows.filter(pl.col("org_unit").is_in(list(target.org_units)))
        else:
            rows = rows.filter(~pl.col("org_unit").is_in(benchmarks))
        for org_unit, period_key, kind, value in rows.select("org_unit", "period", "kind", "value").iter_rows():
            points = target_levels(target, result, org_unit)
            period = parse_period(period_key)
            if not points or (base_period is not None and period.fiscal_year <= base_period.fiscal_year):
                continue
            start = None
            if base_period is not None and (base := result.value(target.indicator, org_unit, base_period)) is not None:
                start = TargetPoint(base_period, base)
            judged = judge(target, points, org_unit, period, kind, to_decimal(value), start, binding=binding)
            if programme.grades and judged.progress is not None:
                judged = replace(judged, grade=grade_for(judged.progress, programme.grades))
            evaluations.append(judged)
    return tuple(evaluations)


def latest_evaluation(
    evaluations: tuple[TargetEvaluation, ...],
    indicator: str,
    org_unit: str,
    period: Period | None = None,
    include_plans: bool = False,
) -> TargetEvaluation | None:
    """The evaluation of the latest actual (or estimate) at or before `period`."""
    rows = [
        e
        for e in evaluations
        if e.indicator == indicator
        and e.org_unit == org_unit
        and (include_plans or e.kind != "plan")
        and (period is None or e.period.fiscal_year <= period.fiscal_year)
    ]
    return max(rows, key=lambda e: e.period, default=None)


class Trend(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    FLAT = "flat"


@dataclass(frozen=True)
class Streak:
    """The run of same-direction changes a year apart ending at `period` (a year, or the same half each year)."""

    code: str
    org_unit: str
    period: Period
    trend: Trend
    years: int  # length of the run, this year included
    reversal_after: int  # the length of the opposite run this one ended (4: "4年ぶりに増加"); 0 if none
    uses_reported: bool  # some early changes come from published change rates, not from values


def _sign(change: Decimal) -> Trend:
    if change > 0:
        return Trend.INCREASE
    if change < 0:
        return Trend.DECREASE
    return Trend.FLAT


def streak(
    result: EvaluationResult, code: str, org_unit: str, period: Period, change_code: str | None = None
) -> Streak | None:
    """Run of increases or decreases up to `period` (actuals and estimates only).

    For a year, each year is compared with the year before; for a half (上期 / 下期), each year's same
    half with that half a year before (never a half with a year). Changes come from the values of
    `code`; where a year's change cannot be computed because the previous year is not in the data, the
    published figure of `change_code` (a year-over-year indicator, yearly) fills in, and `uses_reported`
    says so.
    """
    half = period.grain is Grain.HALF
    values = {
        found.fiscal_year: value
        for key, kind, value in result.series_of(code, org_unit)
        if kind != "plan"
        and (found := parse_period(key)).grain is period.grain
        and (not half or found.index == period.index)
    }
    if period.grain not in (Grain.YEAR, Grain.HALF):
        return None
    changes: dict[int, Trend] = {}
    reported_years: set[int] = set()
    for year, value in values.items():
        if year - 1 in values:
            changes[year] = _sign(value - values[year - 1])
    if change_code is not None and not half:
        published = result.reported.filter((pl.col("code") == change_code) & (pl.col("org_unit") == org_unit))
        for key, value in published.select("period", "value").unique().iter_rows():
            year = parse_period(key).fiscal_year
            if year not in changes and year <= period.fiscal_year:
                changes[year] = _sign(to_decimal(value))
                reported_years.add(year)
    year = period.fiscal_year
    if year not in changes:
        return None
    trend = changes[year]
    run = 0
    while changes.get(year - run) is trend:
        run += 1
    before = year - run
    opposite = changes.get(before)
    reversal = 0
    if opposite is not None and opposite is not Trend.FLAT and trend is not Trend.FLAT:
        while changes.get(before - reversal) is opposite:
            reversal += 1
    used = any(y in reported_years for y in range(before - reversal + 1, year + 1))
    return Streak(code, org_unit, period if half else fiscal_year(year), trend, run, reversal, used)
