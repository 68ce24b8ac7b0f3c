"""Reconciliation: each published figure against shihyo's own computation, at the published precision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import polars as pl

from shihyo.core import indicators as ind
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate
from shihyo.core.indicators import ChangeMode, describe
from shihyo.core.model import ObservationKind
from shihyo.core.numbers import SCALES, format_japanese_number, parse_japanese_number, round_half_up
from shihyo.core.periods import Period, parse_period


class Verdict(StrEnum):
    AGREES = "agrees"
    DIFFERS = "differs"
    NOT_COMPUTABLE = "not_computable"  # an input is not in the data


class Basis(StrEnum):
    """What a published figure is: an actual (kind `reported`) or a plan (kind `reported_plan`)."""

    ACTUAL = "actual"
    PLAN = "plan"


@dataclass(frozen=True)
class Reconciliation:
    code: str
    name: str
    org_unit: str
    period: Period
    source: str
    reported_text: str
    reported: Decimal
    precision: Decimal
    computed: Decimal | None
    computed_rounded: Decimal | None
    verdict: Verdict
    formula: str  # in words
    working: str  # the formula with this figure's numbers: "1,971,477 ÷ 10,227 ÷ 12 = 16.06"
    basis: Basis = Basis.ACTUAL  # compared with actuals (and estimates) only, or with plans only

    @property
    def key(self) -> tuple[str, str, str, Basis]:
        """The figure this published value is of: code, org unit, period key and basis."""
        return (self.code, self.org_unit, self.period.key, self.basis)


def round_to_precision(value: Decimal, precision: Decimal) -> Decimal:
    """Round half up to a place value such as 0.1, 1 or 10000 (万)."""
    exponent = precision.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    step = Decimal(1).scaleb(exponent)
    multiple = precision / step
    if multiple == 1:
        return round_half_up(value, -exponent)
    return round_half_up(value / precision, 0) * precision  # pragma: no cover - precision is a power of ten


def show(value: Decimal | None) -> str:
    """A number for a person reading a working: grouped digits, at most four decimals."""
    if value is None:
        return "―"
    rounded = round_half_up(value, 4).normalize()
    exponent = rounded.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_japanese_number(rounded, decimals=decimals, negative="-")


SCALE_NAMES = {value: name for name, value in SCALES.items()}


def show_like(reported_text: str, value: Decimal | None) -> str:
    """A recomputed value written the way the published figure was (same scale, decimals and %)."""
    if value is None:
        return "―"
    parsed = parse_japanese_number(reported_text)
    exponent = (parsed.precision / parsed.multiplier).normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    unit = "%" if parsed.unit == "%" else ""
    return format_japanese_number(value, decimals=decimals, scale=SCALE_NAMES.get(parsed.multiplier, ""), unit=unit)


def _names(result: EvaluationResult) -> dict[str, str]:
    programme = result.programme
    names = {s.code: s.name for s in programme.series}
    names.update({i.code: i.name for i in programme.indicators})
    return names


def working(result: EvaluationResult, code: str, org_unit: str, period: Period) -> str:
    """The computation of one figure written out with its inputs."""
    indicator = result.programme.indicator_by_code().get(code)
    computed = result.value(code, org_unit, period)
    if indicator is None:
        return f"{code} = {show(computed)}"

    def v(operand: str, at: Period = period) -> str:
        return show(result.value(operand, org_unit, at))

    def base_text(of: str, base: ind.BasePeriod | ind.BaseSeries | None) -> str:
        if base is None:
            return v(of, period.previous_year())
        if isinstance(base, ind.BasePeriod):
            return v(of, base.period)
        return v(base.code)

    f = indicator.formula
    match f:
        case ind.SeriesValue(of):
            text = v(of)
        case ind.Ratio(numerator, denominator, factor):
            text = f"{v(numerator)} ÷ {v(denominator)}" + ("" if factor == 1 else f" × {factor}")
        case ind.Share(part, total):
            text = f"{v(part)} ÷ {v(total)} × 100"
        case ind.SumOf(parts):
            text = " + ".join(v(p) for p in parts)
        case ind.YearOverYearChange(of):
            prev = base_text(of, None)
            text = f"({v(of)} − {prev}) ÷ {prev} × 100"
        case ind.ChangeVsBase(of, base, mode):
            b = base_text(of, base)
            text = f"{v(of)} − {b}" if mode is ChangeMode.ABSOLUTE else f"({v(of)} − {b}) ÷ {b} × 100"
        case ind.PointDifference(of, against):
            text = f"{v(of)} − {base_text(of, against)}"
        case ind.PerCapitaPerMonth(total, headcount):
            text = f"{v(total)} ÷ {v(headcount)} ÷ {period.months}"
        case ind.Cumulative(of):
            text = f"Σ {of} ≤ {period.label()}"
        case ind.IndexToBase(of, base):
            text = f"{v(of)} ÷ {base_text(of, base)} × 100"
        case ind.Coverage(of, _, universe_text):
            text = f"{v(of)} ÷ {universe_text} × 100"
        case ind.Effect(of, factor, divisor):
            text = f"{v(of)} × {factor}" + ("" if divisor == 1 else f" ÷ {divisor}")
        case ind.Expression(expr_text, _):
            text = expr_text
    return f"{text} = {show(computed)}"


PLAN_KIND = ObservationKind.PLAN.value


def _like(
    result: EvaluationResult, plans: EvaluationResult | None, basis: Basis, code: str, org_unit: str, period: Period
) -> EvaluationResult | None:
    """The result whose value of this figure is of the published figure's own kind, if any.

    A published actual is compared with an actual (or an estimate), never with a plan; a published plan
    only with a plan, which after the actuals came in is found in the plan view (`plan_result`)."""
    kind = result.kind(code, org_unit, period)
    if basis is Basis.ACTUAL:
        return result if kind is not None and kind != PLAN_KIND else None
    if kind == PLAN_KIND:
        return result
    if plans is not None and plans.kind(code, org_unit, period) == PLAN_KIND:
        return plans
    return None


def plan_view(revisions: pl.DataFrame) -> pl.DataFrame:
    """The revisions as planned: actual and estimate rows of every code, unit and period that has a plan
    are left out, so that the engine computes what the plans gave (other inputs keep their actuals)."""
    planned = revisions.filter(pl.col("kind") == PLAN_KIND).select("code", "org_unit", "period").unique()
    superseding = pl.col("kind").is_in([ObservationKind.ACTUAL.value, ObservationKind.ESTIMATE.value])
    dropped = revisions.filter(superseding).join(planned, on=["code", "org_unit", "period"], how="semi")
    if dropped.height == 0:
        return revisions
    return revisions.filter(~superseding).vstack(
        revisions.filter(superseding).join(planned, on=["code", "org_unit", "period"], how="anti")
    )


def plan_result(request: EvaluationRequest, result: EvaluationResult) -> EvaluationResult | None:
    """The programme evaluated as planned, only when some published plan's figure is no longer a plan."""
    published_plans = result.reported.filter(pl.col("kind") == ObservationKind.REPORTED_PLAN.value)
    superseded = any(
        (kind := result.kind(code, org_unit, period)) is not None and kind != PLAN_KIND
        for code, org_unit, period in published_plans.select("code", "org_unit", "period").unique().iter_rows()
    )
    if not superseded:
        return None
    revisions = plan_view(request.revisions)
    if revisions is request.revisions:
        return None
    return evaluate(EvaluationRequest(request.programme, revisions, request.as_of))


def reconcile(result: EvaluationResult, plans: EvaluationResult | None = None) -> tuple[Reconciliation, ...]:
    """Compare every reported figure with its recomputation of the same kind (`plans`: the plan view);
    sorted by code, org unit, period, source."""
    names = _names(result)
    indicators = result.programme.indicator_by_code()
    rows: list[Reconciliation] = []
    reported = result.reported.sort("code", "org_unit", "period", "source")
    for code, org_unit, period_key, source, text, kind in reported.select(
        "code", "org_unit", "period", "source", "text", "kind"
    ).iter_rows():
        parsed = parse_japanese_number(text)
        period = parse_period(period_key)
        basis = Basis.PLAN if kind == ObservationKind.REPORTED_PLAN.value else Basis.ACTUAL
        like = _like(result, plans, basis, code, org_unit, period)
        computed = None if like is None else like.value(code, org_unit, period)
        rounded = None if computed is None else round_to_precision(computed, parsed.precision)
        if rounded is None:
            verdict = Verdict.NOT_COMPUTABLE
        elif rounded == parsed.value:
            verdict = Verdict.AGREES
        else:
            verdict = Verdict.DIFFERS
        indicator = indicators.get(code)
        rows.append(
            Reconciliation(
                code=code,
                name=names.get(code, code),
                org_unit=org_unit,
                period=period,
                source=source,
                reported_text=text,
                reported=parsed.value,
                precision=parsed.precision,
                computed=computed,
                computed_rounded=rounded,
                verdict=verdict,
                formula=describe(indicator.formula, names) if indicator else names.get(code, code),
                working=working(like, code, org_unit, period) if like is not None and computed is not None else "",
                basis=basis,
            )
        )
    return tuple(rows)
