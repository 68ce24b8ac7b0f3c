"""Progress against targets: status, margin, years ahead of schedule, streaks and rebounds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.model import Direction, OrgUnitKind, Target, TargetKind, TargetPoint
from shihyo.core.numbers import to_decimal
from shihyo.core.periods import Grain, Period, fiscal_year, parse_period


class Status(StrEnum):
    ACHIEVED = "achieved"  # meets this period's target, or already the final one
    ON_TRACK = "on_track"  # meets the target path interpolated to this period
    BEHIND = "behind"
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class TargetEvaluation:
    """One actual (or plan) value judged against its target."""

    indicator: str
    org_unit: str
    period: Period
    kind: str
    value: Decimal
    status: Status
    compared_with: Decimal  # the target level this value was judged against
    compared_period: Period  # the period of that target (a path point, or this period when interpolated)
    margin: Decimal  # how far better (+) or worse (−) than that target, in the indicator's unit
    final: TargetPoint
    met_final: bool
    years_ahead: int  # the latest later target point this value already meets, in years ahead; 0 if none


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


def judge(
    target: Target,
    points: tuple[TargetPoint, ...],
    org_unit: str,
    period: Period,
    kind: str,
    value: Decimal,
    start: TargetPoint | None = None,
) -> TargetEvaluation:
    """Judge one value against a target path given as levels.

    `start` is the value at the base period: the path runs from it to the first target point,
    so that a year before the first point is judged against the straight line towards it.
    """
    ordered = tuple(sorted(points, key=lambda p: p.period))
    final = next((p for p in ordered if p.final), ordered[-1])
    direction = target.direction
    met_final = _better_or_equal(value, final.value, direction)
    same = next((p for p in ordered if p.period.fiscal_year == period.fiscal_year), None)
    path = ordered if start is None or start.period.fiscal_year >= ordered[0].period.fiscal_year else (start, *ordered)
    interpolated = None if same is not None else _interpolate(path, period)
    if same is not None:
        compared, compared_period = same.value, same.period
    elif interpolated is not None:
        compared, compared_period = interpolated
    else:
        later = [p for p in ordered if p.period.fiscal_year > period.fiscal_year]
        nearest = later[0] if later else final
        compared, compared_period = nearest.value, nearest.period
    meets = _better_or_equal(value, compared, direction)
    if met_final or (meets and same is not None):
        status = Status.ACHIEVED
    elif meets and compared_period.fiscal_year >= period.fiscal_year:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    ahead = [
        p.period.fiscal_year - period.fiscal_year
        for p in ordered
        if p.period.fiscal_year > period.fiscal_year and _better_or_equal(value, p.value, direction)
    ]
    return TargetEvaluation(
        indicator=target.indicator,
        org_unit=org_unit,
        period=period,
        kind=kind,
        value=value,
        status=status,
        compared_with=compared,
        compared_period=compared_period,
        margin=_margin(value, compared, direction),
        final=final,
        met_final=met_final,
        years_ahead=max(ahead, default=0),
    )


def evaluate_targets(result: EvaluationResult) -> tuple[TargetEvaluation, ...]:
    """Judge every yearly value of every targeted indicator, for every org unit that has values."""
    evaluations: list[TargetEvaluation] = []
    yearly = result.values.filter(pl.col("grain") == Grain.YEAR.value)
    benchmarks = [u.code for u in result.programme.org_units if u.kind is OrgUnitKind.BENCHMARK]
    for target in result.programme.targets:
        base_period = target.base_period or result.programme.base_period
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
            evaluations.append(judge(target, points, org_unit, period, kind, to_decimal(value), start))
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
    """The run of same-direction yearly changes ending at `period`."""

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
    """Run of increases or decreases up to `period` (yearly actuals and estimates only).

    Changes come from the values of `code`; where a year's change cannot be computed because the
    previous year is not in the data, the published figure of `change_code` (a year-over-year
    indicator) fills in, and `uses_reported` says so.
    """
    values = {
        parse_period(key).fiscal_year: value
        for key, kind, value in result.series_of(code, org_unit)
        if kind != "plan" and parse_period(key).grain is Grain.YEAR
    }
    changes: dict[int, Trend] = {}
    reported_years: set[int] = set()
    for year, value in values.items():
        if year - 1 in values:
            changes[year] = _sign(value - values[year - 1])
    if change_code is not None:
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
    return Streak(code, org_unit, fiscal_year(year), trend, run, reversal, used)
