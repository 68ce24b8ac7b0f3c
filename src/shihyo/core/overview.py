"""The roadmap at a glance: for each key indicator its latest value, changes, target status and trend.

Framework-free: the dashboard and the reports render these cards; every number comes from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from shihyo.core import indicators as ind
from shihyo.core.completeness import Completeness, completeness
from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import POINTS
from shihyo.core.indicators import Indicator
from shihyo.core.model import OrgUnitKind, Programme
from shihyo.core.official import OfficialFigure, Resolutions
from shihyo.core.periods import Grain, Period, half, parse_period
from shihyo.core.projection import Projection, project_target
from shihyo.core.reconcile import Basis, Reconciliation, Verdict
from shihyo.core.targets import Status, TargetEvaluation, latest_evaluation


@dataclass(frozen=True)
class Point:
    period: Period
    kind: str  # actual | estimate | plan
    value: Decimal


@dataclass(frozen=True)
class Change:
    """A change between two values: in points for rates, in % otherwise."""

    against: Period
    absolute: Decimal
    relative: Decimal | None  # % change; None for rates (use points) or a zero base
    in_points: bool


@dataclass(frozen=True)
class IndicatorCard:
    indicator: Indicator
    org_unit: str
    latest: Point | None  # the latest actual/estimate at or before the selected period
    plan: Point | None  # the first plan after it, if any
    previous_year: Change | None
    vs_base: Change | None
    target: TargetEvaluation | None
    trend: tuple[Point, ...]  # yearly values in order, plans included
    differs: tuple[Reconciliation, ...]  # published figures of this indicator that disagree
    completeness: Completeness | None = None  # for a roll-up: which reporting units are in for `latest`
    projections: tuple[Projection, ...] = ()  # the set target points ahead of `latest`, projected

    @property
    def projection(self) -> Projection | None:
        """The projection to the final target if its year lies ahead, else to the next set point ahead."""
        return next((p for p in self.projections if p.final), self.projections[0] if self.projections else None)
    official: OfficialFigure | None = None  # `latest` is a published figure that differs: what is official

    @property
    def shown_value(self) -> Decimal | None:
        """The latest value as shown: the official one where the published and recomputed values differ."""
        if self.official is not None:
            return self.official.official
        return self.latest.value if self.latest else None

    @property
    def status(self) -> Status:
        return self.target.status if self.target else Status.NO_TARGET

    @property
    def provisional(self) -> bool:
        """The latest value is a roll-up that misses some of its reporting units."""
        return self.completeness is not None and not self.completeness.complete

    @property
    def is_estimate(self) -> bool:
        return self.latest is not None and self.latest.kind == "estimate"


@dataclass(frozen=True)
class AreaCards:
    pillar_code: str
    pillar_name: str
    area_code: str
    area_name: str
    cards: tuple[IndicatorCard, ...]


def main_org_unit(programme: Programme) -> str:
    """The unit the roadmap is about: the first city (or top) unit that is not a benchmark."""
    tops = [u for u in programme.org_units if u.parent is None and u.kind is not OrgUnitKind.BENCHMARK]
    cities = [u for u in tops if u.kind is OrgUnitKind.CITY]
    chosen = cities or tops or list(programme.org_units)
    return chosen[0].code if chosen else ""


def yearly_points(result: EvaluationResult, code: str, org_unit: str) -> tuple[Point, ...]:
    return tuple(
        Point(period, kind, value)
        for key, kind, value in result.series_of(code, org_unit)
        if (period := parse_period(key)).grain is Grain.YEAR
    )


def _change(current: Point, earlier: Point | None, in_points: bool) -> Change | None:
    if earlier is None:
        return None
    absolute = current.value - earlier.value
    relative = None if in_points or earlier.value == 0 else absolute / earlier.value * 100
    return Change(earlier.period, absolute, relative, in_points)


def card(
    result: EvaluationResult,
    indicator: Indicator,
    org_unit: str,
    period: Period | None,
    evaluations: tuple[TargetEvaluation, ...],
    reconciliations: tuple[Reconciliation, ...],
    resolutions: Resolutions | None = None,
) -> IndicatorCard:
    trend = yearly_points(result, indicator.code, org_unit)
    if period is not None and period.grain is Grain.HALF:
        found = _half_card(result, indicator, org_unit, period, trend)
    elif (
        period is not None
        and period.grain is Grain.YEAR
        and (only := only_first_half(result, indicator.code, org_unit, period)) is not None
    ):
        found = _half_card(result, indicator, org_unit, only, trend)  # a year with only 上期 in is shown as 上期
    else:
        found = _year_card(result, indicator, org_unit, period, evaluations, reconciliations, trend)
    if resolutions is None or found.latest is None:
        return found
    basis = Basis.PLAN if found.latest.kind == "plan" else Basis.ACTUAL
    found = replace(found, official=resolutions.figure(indicator.code, org_unit, found.latest.period, basis))
    return _changes_on_official(found, resolutions)


def _changes_on_official(found: IndicatorCard, resolutions: Resolutions) -> IndicatorCard:
    """The card's changes between the figures it shows: where the latest value or the one it is compared with
    is disputed, the change is taken between their official values (H29 monthly overtime kept at the
    published 16.2 gives H29比 ▲0.4, as the published table, not ▲0.2 from the recomputed 16.06)."""

    def official(point: Point | None) -> Point | None:
        if point is None:
            return None
        basis = Basis.PLAN if point.kind == "plan" else Basis.ACTUAL
        figure = resolutions.figure(found.indicator.code, found.org_unit, point.period, basis)
        return point if figure is None else replace(point, value=figure.official)

    latest = official(found.latest)
    if latest is None:
        return found

    def on_official(change: Change | None) -> Change | None:
        if change is None:
            return None
        earlier = next((p for p in found.trend if p.period == change.against and p.kind != "plan"), None)
        if earlier is None:  # compared with a point the trend does not hold (a half): left as computed
            return change
        return _change(latest, official(earlier), change.in_points)

    return replace(found, previous_year=on_official(found.previous_year), vs_base=on_official(found.vs_base))


def _year_card(
    result: EvaluationResult,
    indicator: Indicator,
    org_unit: str,
    period: Period | None,
    evaluations: tuple[TargetEvaluation, ...],
    reconciliations: tuple[Reconciliation, ...],
    trend: tuple[Point, ...],
) -> IndicatorCard:
    limit = period.year().fiscal_year if period else None
    done = [p for p in trend if p.kind != "plan" and (limit is None or p.period.fiscal_year <= limit)]
    latest = done[-1] if done else None
    plan = None
    if latest is not None:
        plan = next((p for p in trend if p.kind == "plan" and p.period.fiscal_year > latest.period.fiscal_year), None)
    previous = next((p for p in done if latest and p.period.fiscal_year == latest.period.fiscal_year - 1), None)
    base_period = result.programme.base_period
    # a change vs the base or an index is itself the comparison with the base (0 or 100 there)
    against_base = isinstance(indicator.formula, (ind.ChangeVsBase, ind.IndexToBase))
    base = next((p for p in trend if base_period and p.period == base_period and not against_base), None)
    in_points = indicator.is_rate or indicator.unit in POINTS  # a change of a rate or of points is in points
    return IndicatorCard(
        indicator=indicator,
        org_unit=org_unit,
        latest=latest,
        plan=plan,
        previous_year=_change(latest, previous, in_points) if latest else None,
        vs_base=_change(latest, base, in_points) if latest and base and base is not latest else None,
        target=latest_evaluation(evaluations, indicator.code, org_unit, latest.period) if latest else None,
        trend=trend,
        differs=tuple(
            r
            for r in reconciliations
            if r.code == indicator.code and r.org_unit == org_unit and r.verdict is Verdict.DIFFERS
        ),
        completeness=completeness(result, indicator.code, org_unit, latest.period) if latest else None,
        projections=_projections(result, indicator.code, org_unit, latest.period) if latest else (),
    )


def only_first_half(result: EvaluationResult, code: str, org_unit: str, year: Period) -> Period | None:
    """上期 of `year` when it is the only half in (下期 not yet), and the year has no figure of its own
    beyond it; None otherwise (a full year, or a programme that reports years)."""
    first, second = half(year.fiscal_year, 1), half(year.fiscal_year, 2)
    value = result.value(code, org_unit, first)
    if value is None or result.kind(code, org_unit, first) == "plan":
        return None
    if result.value(code, org_unit, second) is not None:
        return None
    whole = result.value(code, org_unit, year.year())
    return first if whole is None or whole == value else None


def _projections(result: EvaluationResult, code: str, org_unit: str, period: Period) -> tuple[Projection, ...]:
    """Projections of the targets of `code` that are set for `org_unit`, from the actuals up to `period`."""
    out: list[Projection] = []
    benchmarks = {u.code for u in result.programme.org_units if u.kind is OrgUnitKind.BENCHMARK}
    for target in result.programme.targets_of(code):
        if org_unit in target.org_units or (not target.org_units and org_unit not in benchmarks):
            out.extend(project_target(result, target, org_unit, period))
    return tuple(out)


def _point(result: EvaluationResult, code: str, org_unit: str, period: Period) -> Point | None:
    value = result.value(code, org_unit, period)
    kind = result.kind(code, org_unit, period)
    return None if value is None or kind is None else Point(period, kind, value)


def _half_card(
    result: EvaluationResult,
    indicator: Indicator,
    org_unit: str,
    half: Period,
    trend: tuple[Point, ...],
) -> IndicatorCard:
    """A half year's card: that half's value against the same half a year before (targets judge years)."""
    latest = _point(result, indicator.code, org_unit, half)
    if latest is not None and latest.kind == "plan":
        latest = None
    before = _point(result, indicator.code, org_unit, half.shift_years(-1))
    return IndicatorCard(
        indicator=indicator,
        org_unit=org_unit,
        latest=latest,
        plan=None,
        previous_year=_change(
            latest, before if before and before.kind != "plan" else None, indicator.is_rate or indicator.unit in POINTS
        )
        if latest
        else None,
        vs_base=None,
        target=None,
        trend=trend,
        differs=(),
        completeness=completeness(result, indicator.code, org_unit, half),
    )


def overview(
    result: EvaluationResult,
    evaluations: tuple[TargetEvaluation, ...],
    reconciliations: tuple[Reconciliation, ...],
    period: Period | None = None,
    org_unit: str | None = None,
    resolutions: Resolutions | None = None,
) -> tuple[AreaCards, ...]:
    """Key indicator cards grouped by pillar and area, in roadmap order."""
    programme = result.programme
    unit = org_unit or main_org_unit(programme)
    indicators = programme.indicator_by_code()
    groups = []
    for pillar in programme.pillars:
        for area in pillar.areas:
            cards = tuple(
                card(result, indicators[code], unit, period, evaluations, reconciliations, resolutions)
                for code in area.indicators
                if code in indicators
            )
            groups.append(AreaCards(pillar.code, pillar.name, area.code, area.name, cards))
    return tuple(groups)
