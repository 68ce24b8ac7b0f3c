"""Projection segments added to a chart: from the latest actual to the value projected at the target year."""

from __future__ import annotations

from dataclasses import replace

from shihyo.core.charts.model import Axis, Chart, Names, ProjectionSegment
from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import Indicator
from shihyo.core.periods import Period
from shihyo.core.projection import Projection, method_label, project_target


def chart_projection(
    result: EvaluationResult, indicator: Indicator, org_unit: str, until: Period | None = None
) -> Projection | None:
    """The projection a chart draws: to the final target if its year lies ahead, else to the next set point."""
    found = [
        p
        for target in result.programme.targets_of(indicator.code)
        if not target.org_units or org_unit in target.org_units
        for p in project_target(result, target, org_unit, until)
        if p.projected is not None
    ]
    return next((p for p in found if p.final), found[0] if found else None)


def with_projection(chart: Chart, result: EvaluationResult, indicator: Indicator, org_unit: str) -> Chart:
    """`chart` with the indicator's projection as a dashed segment, where both years are on its axis."""
    if chart.stacked:
        return chart
    projection = chart_projection(result, indicator, org_unit)
    if projection is None or projection.projected is None or projection.latest is None:
        return chart
    years = [c.period.fiscal_year for c in chart.categories]
    latest_period, latest_value = projection.latest
    if latest_period.fiscal_year not in years or projection.target_period.fiscal_year not in years:
        return chart
    own = next((s for s in chart.series if s.code == indicator.code and s.org_unit == org_unit), None)
    method_ja, method_en = method_label(projection.method, "ja"), method_label(projection.method, "en")
    segment = ProjectionSegment(
        code=indicator.code,
        start=years.index(latest_period.fiscal_year),
        start_value=latest_value,
        end=years.index(projection.target_period.fiscal_year),
        end_value=projection.projected,
        axis=own.axis if own is not None else Axis.PRIMARY,
        label=Names(f"予測（{method_ja}）", f"Projection ({method_en})"),
        decimals=indicator.decimals,
    )
    return replace(chart, projections=(segment,))
