"""Projection to the target year: at the pace seen so far, will a target whose year lies ahead be met?

Two methods, chosen per programme (`projection:` in programme.yaml):

- `linear`: a least-squares straight line through the last N yearly actuals (estimates count as actuals,
  plans never do), N ≥ 2 (`points`, default 3). The projected value is the line at the target year (a
  share stays within 0–100 %); the observed pace is its slope per year; the required pace is
  (target − latest actual) ÷ years left. ratio = (projected − latest) ÷ (target − latest): the part of the
  remaining gap the trend closes by the target year.
- `compound_rate`: the ratio used for SDG progress. Observed compound annual rate from the base
  period to the latest actual, CR_a = (x_t ÷ x_0)^(1 ÷ (t − t_0)) − 1; required rate from the base to the
  target, CR_r = (x* ÷ x_0)^(1 ÷ (T − t_0)) − 1; ratio = CR_a ÷ CR_r. Needs the base value and one later
  actual, all values (and the target) above zero. The projected value is x_t × (1 + CR_a)^(T − t).

Outlook from the ratio: on track at 95 % or more (linear: 100 %, i.e. the projection meets the target),
acceleration needed from 50 %, limited progress from 0 % to 50 %, deterioration below 0 % (moving away
from the target). A latest actual that already meets the target needs no pace: it is on track while the
projection still meets the target, else deterioration.
A projection is never made from fewer points than its method needs: `reason_ja` / `reason_en` say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import IndicatorKind
from shihyo.core.model import Direction, OrgUnitKind, ProjectionMethod, ProjectionSettings, Target, TargetPoint
from shihyo.core.periods import Grain, Period, parse_period
from shihyo.core.targets import target_levels

ON_TRACK_RATIO = Decimal("0.95")
ACCELERATION_RATIO = Decimal("0.5")
MIN_LINEAR_POINTS = 2
CHANGE_KINDS = {IndicatorKind.YOY_CHANGE, IndicatorKind.CHANGE_VS_BASE, IndicatorKind.POINT_DIFFERENCE}


class Outlook(StrEnum):
    ON_TRACK = "on_track"  # ratio ≥ 95 %
    ACCELERATION_NEEDED = "acceleration_needed"  # 50 % ≤ ratio < 95 %
    LIMITED_PROGRESS = "limited_progress"  # 0 % ≤ ratio < 50 %
    DETERIORATION = "deterioration"  # ratio < 0: moving away from the target
    NOT_PROJECTED = "not_projected"  # too few points for the method (the reason says why)


OUTLOOK_LABELS: dict[Outlook, tuple[str, str]] = {
    Outlook.ON_TRACK: ("順調", "on track"),
    Outlook.ACCELERATION_NEEDED: ("加速が必要", "acceleration needed"),
    Outlook.LIMITED_PROGRESS: ("進捗が限定的", "limited progress"),
    Outlook.DETERIORATION: ("後退", "deterioration"),
    Outlook.NOT_PROJECTED: ("予測なし", "not projected"),
}
METHOD_LABELS: dict[ProjectionMethod, tuple[str, str]] = {
    ProjectionMethod.LINEAR: ("直線トレンド", "linear trend"),
    ProjectionMethod.COMPOUND_RATE: ("年平均成長率の比（SDG方式）", "compound-rate ratio (SDG method)"),
}


def outlook_label(outlook: Outlook, lang: str = "ja") -> str:
    ja, en = OUTLOOK_LABELS[outlook]
    return ja if lang == "ja" else en


def method_label(method: ProjectionMethod, lang: str = "ja") -> str:
    ja, en = METHOD_LABELS[method]
    return ja if lang == "ja" else en


@dataclass(frozen=True)
class Projection:
    """One target point ahead of the latest actual, projected at the pace seen so far."""

    indicator: str
    org_unit: str
    direction: Direction
    target_period: Period
    target_value: Decimal
    final: bool  # the target point is the programme's final target
    method: ProjectionMethod
    inputs: tuple[tuple[Period, Decimal], ...]  # the values the projection is made from, oldest first
    needed: int  # how many points the method needs
    projected: Decimal | None  # the value expected at the target year
    observed_pace: Decimal | None  # linear: change per year; compound: annual rate in %
    required_pace: Decimal | None  # the same measure needed to reach the target
    ratio: Decimal | None  # observed ÷ required pace
    outlook: Outlook
    reason_ja: str = ""  # why there is no projection
    reason_en: str = ""

    @property
    def will_meet(self) -> bool | None:
        if self.projected is None:
            return None
        if self.direction is Direction.HIGHER:
            return self.projected >= self.target_value
        return self.projected <= self.target_value

    @property
    def already_met(self) -> bool:
        """The latest actual already meets the target (no pace is required)."""
        latest = self.latest
        return latest is not None and self.projected is not None and self.required_pace is None

    @property
    def latest(self) -> tuple[Period, Decimal] | None:
        return self.inputs[-1] if self.inputs else None

    @property
    def pace_in_percent(self) -> bool:
        """The paces are annual rates in % (compound), not changes in the indicator's unit (linear)."""
        return self.method is ProjectionMethod.COMPOUND_RATE

    def reason(self, lang: str = "ja") -> str:
        return self.reason_ja if lang == "ja" else self.reason_en


def _outlook(ratio: Decimal) -> Outlook:
    if ratio >= ON_TRACK_RATIO:
        return Outlook.ON_TRACK
    if ratio >= ACCELERATION_RATIO:
        return Outlook.ACCELERATION_NEEDED
    if ratio >= 0:
        return Outlook.LIMITED_PROGRESS
    return Outlook.DETERIORATION


def _meets(value: Decimal, target: Decimal, direction: Direction) -> bool:
    return value >= target if direction is Direction.HIGHER else value <= target


def _slope(points: tuple[tuple[Period, Decimal], ...]) -> tuple[Decimal, Decimal]:
    """Least-squares (slope per year, mean value) over the points' fiscal years, in exact Decimal."""
    n = Decimal(len(points))
    xs = [Decimal(p.fiscal_year) for p, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs, Decimal(0)) / n, sum(ys, Decimal(0)) / n
    sxx = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    return sxy / sxx, mean_y - sxy / sxx * mean_x


def _not_projected(base: Projection, ja: str, en: str) -> Projection:
    from dataclasses import replace

    return replace(base, outlook=Outlook.NOT_PROJECTED, reason_ja=ja, reason_en=en)


def project_linear(
    target: Target,
    point: TargetPoint,
    final: bool,
    org_unit: str,
    actuals: tuple[tuple[Period, Decimal], ...],
    settings: ProjectionSettings,
    bounds: tuple[Decimal, Decimal] | None = None,
) -> Projection:
    """The least-squares line through the last N actuals, read at the target year (kept within `bounds`)."""
    needed = max(settings.points, MIN_LINEAR_POINTS)
    inputs = actuals[-needed:]
    blank = Projection(
        target.indicator, org_unit, target.direction, point.period, point.value, final,
        ProjectionMethod.LINEAR, inputs, needed, None, None, None, None, Outlook.NOT_PROJECTED,
    )  # fmt: skip
    if len(inputs) < needed:
        return _not_projected(
            blank,
            f"直線トレンドには直近{needed}年度分の実績が必要ですが、{len(inputs)}年度分しかありません",
            f"a linear trend needs the last {needed} yearly actuals; there {'is' if len(inputs) == 1 else 'are'} "
            f"only {len(inputs)}",
        )
    slope, intercept = _slope(inputs)
    latest_period, latest = inputs[-1]
    years_left = Decimal(point.period.fiscal_year - latest_period.fiscal_year)
    projected = slope * point.period.fiscal_year + intercept
    if bounds is not None:
        projected = min(max(projected, bounds[0]), bounds[1])
    if _meets(latest, point.value, target.direction):  # already at the target: no pace is required
        outlook = Outlook.ON_TRACK if _meets(projected, point.value, target.direction) else Outlook.DETERIORATION
        required, ratio = None, None
    else:
        required = (point.value - latest) / years_left
        ratio = (projected - latest) / (point.value - latest)  # the share of the remaining gap the trend closes
        outlook = Outlook.ON_TRACK if ratio >= 1 else _outlook(ratio)
        if outlook is Outlook.ON_TRACK and ratio < 1:
            outlook = Outlook.ACCELERATION_NEEDED
    return Projection(
        target.indicator, org_unit, target.direction, point.period, point.value, final,
        ProjectionMethod.LINEAR, inputs, needed, projected, slope, required, ratio, outlook,
    )  # fmt: skip


def _rate(ratio: Decimal, years: int) -> Decimal:
    """The compound annual rate (as a fraction) that multiplies by `ratio` over `years` years."""
    with localcontext() as ctx:
        ctx.prec = 28
        return ratio ** (Decimal(1) / Decimal(years)) - 1


def project_compound(
    target: Target,
    point: TargetPoint,
    final: bool,
    org_unit: str,
    actuals: tuple[tuple[Period, Decimal], ...],
    base: tuple[Period, Decimal] | None,
    bounds: tuple[Decimal, Decimal] | None = None,
) -> Projection:
    latest = actuals[-1:] if actuals else ()
    inputs = ((base,) if base else ()) + tuple(
        a for a in latest if base is None or a[0].fiscal_year > base[0].fiscal_year
    )
    blank = Projection(
        target.indicator, org_unit, target.direction, point.period, point.value, final,
        ProjectionMethod.COMPOUND_RATE, inputs, 2, None, None, None, None, Outlook.NOT_PROJECTED,
    )  # fmt: skip
    if base is None:
        return _not_projected(
            blank,
            "年平均成長率の比には基準年度の値が必要ですが、ありません",
            "the compound-rate ratio needs the value in the base period; there is none",
        )
    if len(inputs) < 2:
        return _not_projected(
            blank,
            "年平均成長率の比には基準年度より後の実績が1年度分以上必要ですが、ありません",
            "the compound-rate ratio needs an actual after the base period; there is none",
        )
    (t0, x0), (t, xt) = inputs[0], inputs[-1]
    if x0 <= 0 or xt <= 0 or point.value <= 0:
        return _not_projected(
            blank,
            "年平均成長率の比は正の値にしか使えません（基準・実績・目標のいずれかが0以下です）",
            "the compound-rate ratio needs values above zero (the base, the actual or the target is not)",
        )
    observed = _rate(xt / x0, t.fiscal_year - t0.fiscal_year)
    required = _rate(point.value / x0, point.period.fiscal_year - t0.fiscal_year)
    if required == 0:
        return _not_projected(
            blank,
            "目標が基準年度の値と同じため、必要な成長率が0です",
            "the target equals the base value: no rate is needed",
        )
    with localcontext() as ctx:
        ctx.prec = 28
        projected = xt * (1 + observed) ** (point.period.fiscal_year - t.fiscal_year)
    if bounds is not None:
        projected = min(max(projected, bounds[0]), bounds[1])
    ratio: Decimal | None = observed / required
    assert ratio is not None
    outlook = _outlook(ratio)
    required_pace: Decimal | None = required * 100
    if _meets(xt, point.value, target.direction):  # already at the target
        outlook = Outlook.ON_TRACK if _meets(projected, point.value, target.direction) else Outlook.DETERIORATION
        ratio, required_pace = None, None
    return Projection(
        target.indicator, org_unit, target.direction, point.period, point.value, final,
        ProjectionMethod.COMPOUND_RATE, inputs, 2, projected, observed * 100, required_pace, ratio, outlook,
    )  # fmt: skip


def yearly_actuals(
    result: EvaluationResult, code: str, org_unit: str, until: Period | None
) -> tuple[tuple[Period, Decimal], ...]:
    """The yearly actuals and estimates of `code` (never plans), up to the year of `until`, oldest first."""
    limit = until.year().fiscal_year if until is not None else None
    found = []
    for key, kind, value in result.series_of(code, org_unit):
        period = parse_period(key)
        if period.grain is Grain.YEAR and kind != "plan" and (limit is None or period.fiscal_year <= limit):
            found.append((period, value))
    return tuple(sorted(found, key=lambda pv: pv[0]))


def share_bounds(
    result: EvaluationResult, code: str, actuals: tuple[tuple[Period, Decimal], ...]
) -> tuple[Decimal, Decimal] | None:
    """0–100 for a percentage that is a share or a rate of a whole (not a change), as its values so far are."""
    indicator = result.programme.indicator_by_code().get(code)
    if indicator is None or not indicator.is_rate or indicator.kind in CHANGE_KINDS:
        return None
    if all(Decimal(0) <= v <= Decimal(100) for _, v in actuals):
        return Decimal(0), Decimal(100)
    return None


def project_target(
    result: EvaluationResult, target: Target, org_unit: str, until: Period | None = None
) -> tuple[Projection, ...]:
    """Every set point of `target` whose year lies after the latest actual, projected."""
    programme = result.programme
    points = target_levels(target, result, org_unit)
    actuals = yearly_actuals(result, target.indicator, org_unit, until)
    if not points or not actuals:
        return ()
    ordered = sorted(points, key=lambda p: p.period)
    final = next((p for p in ordered if p.final), ordered[-1])
    latest_year = actuals[-1][0].fiscal_year
    base_period = target.base_period or programme.base_period
    base_value = result.value(target.indicator, org_unit, base_period) if base_period else None
    base = (base_period, base_value) if base_period is not None and base_value is not None else None
    settings = programme.projection
    bounds = share_bounds(result, target.indicator, actuals)
    out = []
    for point in ordered:
        if point.period.fiscal_year <= latest_year:
            continue
        if settings.method is ProjectionMethod.COMPOUND_RATE:
            out.append(project_compound(target, point, point is final, org_unit, actuals, base, bounds))
        else:
            out.append(project_linear(target, point, point is final, org_unit, actuals, settings, bounds))
    return tuple(out)


def project_targets(result: EvaluationResult, until: Period | None = None) -> tuple[Projection, ...]:
    """Projections of every target for every org unit it is set for that has actuals."""
    programme = result.programme
    benchmarks = {u.code for u in programme.org_units if u.kind is OrgUnitKind.BENCHMARK}
    yearly = result.values.filter(pl.col("grain") == Grain.YEAR.value)
    out: list[Projection] = []
    for target in programme.targets:
        with_values = yearly.filter(pl.col("code") == target.indicator)["org_unit"].unique().sort().to_list()
        units = [u for u in with_values if (u in target.org_units if target.org_units else u not in benchmarks)]
        for unit in units:
            out.extend(project_target(result, target, unit, until))
    return tuple(out)
