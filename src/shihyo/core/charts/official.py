"""Official figures drawn in a chart: where a published figure and its recomputation differ, the chart draws
the official value (as the card and the tables show it) and its point carries the other value, for the
tooltip and the data beside the chart."""

from __future__ import annotations

from dataclasses import replace

from shihyo.core.charts.model import Chart, Names, ProjectionSegment, Role, Series, Value
from shihyo.core.official import OfficialFigure, Resolutions
from shihyo.core.reconcile import Basis

DRAWN_FIGURES = (Role.ACTUAL, Role.PLAN, Role.ESTIMATE, Role.BENCHMARK)  # the roles that draw a series' figures


def beside(figure: OfficialFigure) -> Names:
    """Both values, the official one first: 「公表値16.2 / 再計算16.1」 / "published 16.2 / recomputed 16.1"."""
    return Names(figure.beside("ja"), figure.beside("en"))


def _official_series(chart: Chart, series: Series, resolutions: Resolutions) -> Series:
    if series.role not in DRAWN_FIGURES:
        return series
    values: list[Value | None] = []
    for category, value in zip(chart.categories, series.values, strict=True):
        if value is None:
            values.append(None)
            continue
        basis = Basis.PLAN if value.kind == "plan" else Basis.ACTUAL
        figure = resolutions.figure(series.code, series.org_unit, category.period, basis)
        values.append(value if figure is None else replace(value, value=figure.official, other=beside(figure)))
    return replace(series, values=tuple(values))


def with_official(chart: Chart, resolutions: Resolutions | None) -> Chart:
    """`chart` drawing the official value of every disputed figure, the other value kept on its point."""
    if resolutions is None or not resolutions.figures:
        return chart
    series = tuple(_official_series(chart, s, resolutions) for s in chart.series)
    total = _official_series(chart, chart.total, resolutions) if chart.total is not None else None
    projections = tuple(_from_official(p, series) for p in chart.projections)
    return replace(chart, series=series, total=total, projections=projections)


def _from_official(segment: ProjectionSegment, series: tuple[Series, ...]) -> ProjectionSegment:
    """A projection starts where its latest actual is drawn: at the official value where that one is disputed."""
    own = next((s for s in series if s.code == segment.code and s.axis is segment.axis), None)
    start = own.values[segment.start] if own is not None else None
    if start is None or start.other is None:
        return segment
    return replace(segment, start_value=start.value)
