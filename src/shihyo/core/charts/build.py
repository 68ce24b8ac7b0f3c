"""Chart models built from the engine's result, one builder per chart kind.

The kinds follow the report: a trend (bars for counts, a line for rates, targets as points), bars
with a ratio line on a second axis, stacked parts, one line per org unit against the national and
designated-city benchmarks, and an index (base = 100) against its target path. Every value is the
engine's exact Decimal; nothing here knows how a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from shihyo.core.charts.model import (
    SERIES_COLOURS,
    Axis,
    Category,
    Chart,
    Colour,
    Mark,
    Names,
    ReferenceLine,
    Role,
    Series,
    Value,
    ValueAxis,
)
from shihyo.core.charts.official import with_official
from shihyo.core.charts.projected import with_projection
from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import ChartKind, Indicator
from shihyo.core.model import Series as ProgrammeSeries
from shihyo.core.numbers import to_decimal
from shihyo.core.official import Resolutions
from shihyo.core.overview import yearly_points
from shihyo.core.periods import Grain, fiscal_year, parse_period
from shihyo.core.targets import target_levels

TARGET = Names("目標", "Target")
ACTUAL = Names("実績", "Actual")
INDEX_BASE = Decimal(100)

ByYear = Mapping[int, Value]


def _names(name: str, name_en: str | None) -> Names:
    return Names(str(name), str(name_en or ""))


@dataclass(frozen=True)
class _Source:
    """What a drawn series shows: a series or indicator, its names, unit and published precision."""

    code: str
    name: Names
    unit: str
    decimals: int


def _source(item: Indicator | ProgrammeSeries) -> _Source:
    return _Source(item.code, _names(item.name, item.name_en), item.unit, item.decimals)


def _named(result: EvaluationResult, code: str) -> _Source:
    """A series or indicator by its code; the code itself if unknown."""
    item = result.programme.series_by_code().get(code) or result.programme.indicator_by_code().get(code)
    return _source(item) if item is not None else _Source(code, Names(code), "", 0)


def _draw(
    source: _Source,
    org_unit: str,
    values: tuple[Value | None, ...],
    mark: Mark,
    colour: Colour,
    *,
    role: Role = Role.ACTUAL,
    axis: Axis = Axis.PRIMARY,
    name: Names | None = None,
) -> Series:
    return Series(
        code=source.code,
        org_unit=org_unit,
        name=source.name if name is None else name,
        role=role,
        mark=mark,
        axis=axis,
        unit=source.unit,
        decimals=source.decimals,
        colour=colour,
        values=values,
    )


def _values(result: EvaluationResult, code: str, org_unit: str) -> dict[int, Value]:
    """Yearly values, and the published plans of the years after the last actual that shihyo cannot recompute."""
    found = {p.period.fiscal_year: Value(p.value, p.kind) for p in yearly_points(result, code, org_unit)}
    done = [year for year, v in found.items() if v.kind != "plan"]
    return _published_plans(result, code, org_unit, max(done, default=None)) | found


def _published_plans(result: EvaluationResult, code: str, org_unit: str, last_done: int | None) -> dict[int, Value]:
    """A published figure of a year after the last actual is a plan (R4 45.0% in a report of R3 actuals)."""
    if last_done is None:
        return {}
    rows = (
        result.reported.filter(
            (pl.col("code") == code) & (pl.col("org_unit") == org_unit) & (pl.col("period").str.starts_with("FY"))
        )
        .sort("period", "source")
        .select("period", "value")
        .iter_rows()
    )
    plans: dict[int, Value] = {}
    for key, value in rows:
        period = parse_period(key)
        if period.grain is Grain.YEAR and period.fiscal_year > last_done:
            plans.setdefault(period.fiscal_year, Value(to_decimal(value), "plan"))
    return plans


def _targets(result: EvaluationResult, indicator: Indicator, org_unit: str) -> dict[int, Value]:
    """The indicator's target path as levels; where two targets name one year, the first is kept."""
    found: dict[int, Value] = {}
    for target in result.programme.targets_of(indicator.code):
        for point in target_levels(target, result, org_unit) or ():
            found.setdefault(point.period.fiscal_year, Value(point.value, "target"))
    return found


def _categories(result: EvaluationResult, *values: ByYear) -> tuple[Category, ...]:
    """Every fiscal year from the first to the last that has a value (a gap keeps its place)."""
    years = {year for found in values for year in found}
    if not years:
        return ()
    style = result.programme.wareki_style
    periods = [fiscal_year(year) for year in range(min(years), max(years) + 1)]
    return tuple(Category(p, Names(p.label(style, "ja"), p.label(style, "en"))) for p in periods)


def _aligned(categories: tuple[Category, ...], found: ByYear) -> tuple[Value | None, ...]:
    return tuple(found.get(c.period.fiscal_year) for c in categories)


def _target_series(
    indicator: Indicator, org_unit: str, categories: tuple[Category, ...], found: ByYear, mark: Mark
) -> tuple[Series, ...]:
    if not found:
        return ()
    return (
        _draw(
            _source(indicator),
            org_unit,
            _aligned(categories, found),
            mark,
            Colour.ORANGE,
            role=Role.TARGET,
            name=TARGET,
        ),
    )


def _unit_axis(indicator: Indicator, decimals: int | None = None, zero: bool = True) -> ValueAxis:
    unit = indicator.unit or ""
    shown = indicator.decimals if decimals is None else decimals
    return ValueAxis(Axis.PRIMARY, Names(unit, unit), unit, shown, zero)


def _chart(
    indicator: Indicator,
    kind: ChartKind,
    categories: tuple[Category, ...],
    series: tuple[Series, ...],
    axes: tuple[ValueAxis, ...],
    *,
    stacked: bool = False,
    total: Series | None = None,
    references: tuple[ReferenceLine, ...] = (),
) -> Chart:
    return Chart(
        code=indicator.code,
        kind=kind,
        title=_names(indicator.name, indicator.name_en),
        categories=categories,
        series=series,
        axes=axes,
        stacked=stacked,
        total=total,
        references=references,
        notes=indicator.footnotes,
    )


def trend_chart(result: EvaluationResult, indicator: Indicator, org_unit: str) -> Chart:
    """Bars (counts) or a line (rates, points, hours) of yearly values; targets as points."""
    values = _values(result, indicator.code, org_unit)
    targets = _targets(result, indicator, org_unit)
    categories = _categories(result, values, targets)
    line = indicator.is_rate or indicator.unit in ("Pt", "時間")
    main = _draw(
        _source(indicator), org_unit, _aligned(categories, values), Mark.LINE if line else Mark.BAR, Colour.BLUE
    )
    series = (main, *_target_series(indicator, org_unit, categories, targets, Mark.POINT))
    return _chart(indicator, ChartKind.TREND, categories, series, (_unit_axis(indicator),))


def _axis_title(name: Names, unit: str) -> Names:
    if not unit:
        return name
    return Names(f"{name.ja}（{unit}）", f"{name.en or name.ja}（{unit}）")


def bar_line_chart(result: EvaluationResult, indicator: Indicator, org_unit: str, bars: str) -> Chart:
    """Counts as bars on the left axis, the indicator (a ratio) as a line on the right axis."""
    bar = _named(result, bars)
    line = _source(indicator)
    bar_values = _values(result, bars, org_unit)
    line_values = _values(result, indicator.code, org_unit)
    categories = _categories(result, bar_values, line_values)
    series = (
        _draw(bar, org_unit, _aligned(categories, bar_values), Mark.BAR, Colour.BLUE),
        _draw(line, org_unit, _aligned(categories, line_values), Mark.LINE, Colour.ORANGE, axis=Axis.SECONDARY),
    )
    axes = (
        ValueAxis(Axis.PRIMARY, _axis_title(bar.name, bar.unit), bar.unit, bar.decimals),
        ValueAxis(Axis.SECONDARY, _axis_title(line.name, line.unit), line.unit, line.decimals),
    )
    return _chart(indicator, ChartKind.BAR_LINE, categories, series, axes)


def stacked_chart(result: EvaluationResult, indicator: Indicator, org_unit: str, parts: tuple[str, ...]) -> Chart:
    """Parts stacked to their whole (e.g. certificates by channel), in the order the programme lists them."""
    found = [(_named(result, code), _values(result, code, org_unit)) for code in parts]
    whole = _values(result, indicator.code, org_unit)
    categories = _categories(result, whole, *(values for _, values in found))
    series = tuple(
        _draw(part, org_unit, _aligned(categories, values), Mark.BAR, SERIES_COLOURS[i % len(SERIES_COLOURS)])
        for i, (part, values) in enumerate(found)
    )
    total = _draw(_source(indicator), org_unit, _aligned(categories, whole), Mark.BAR, Colour.GREY)
    decimals = max((s.decimals for s in series), default=0)
    axes = (_unit_axis(indicator, max(decimals, 0)),)
    return _chart(indicator, ChartKind.STACKED, categories, series, axes, stacked=True, total=total)


def comparison_chart(result: EvaluationResult, indicator: Indicator, org_units: tuple[str, ...]) -> Chart:
    """One line per org unit: the first is the city, the others its benchmarks; the city's targets as points."""
    units = result.programme.org_unit_by_code()
    found = {code: _values(result, indicator.code, code) for code in org_units}
    targets = _targets(result, indicator, org_units[0]) if org_units else {}
    categories = _categories(result, *found.values(), targets)
    lines = []
    for i, code in enumerate(org_units):
        unit = units.get(code)
        name = _names(unit.name, unit.name_en) if unit is not None else Names(code)
        role = Role.ACTUAL if i == 0 else Role.BENCHMARK
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        lines.append(
            _draw(_source(indicator), code, _aligned(categories, found[code]), Mark.LINE, colour, role=role, name=name)
        )
    main = org_units[0] if org_units else ""
    series = (*lines, *_target_series(indicator, main, categories, targets, Mark.POINT))
    return _chart(indicator, ChartKind.COMPARISON, categories, series, (_unit_axis(indicator),))


def index_target_chart(result: EvaluationResult, indicator: Indicator, org_unit: str) -> Chart:
    """An index (base = 100) as a line, its target path as a dashed line, and the base drawn at 100."""
    values = _values(result, indicator.code, org_unit)
    targets = _targets(result, indicator, org_unit)
    categories = _categories(result, values, targets)
    actual = _draw(_source(indicator), org_unit, _aligned(categories, values), Mark.LINE, Colour.BLUE, name=ACTUAL)
    series = (actual, *_target_series(indicator, org_unit, categories, targets, Mark.LINE))
    base = ReferenceLine(INDEX_BASE, Names("基準（100）", "Base (100)"))
    axes = (_unit_axis(indicator, zero=False),)
    return _chart(indicator, ChartKind.INDEX_TARGET, categories, series, axes, references=(base,))


def build_chart(
    result: EvaluationResult, indicator: Indicator, org_unit: str, resolutions: Resolutions | None = None
) -> Chart:
    """The chart of the kind the programme asks for (indicator `chart:`), or a trend; with its projection.
    Where `resolutions` has a case, the official value is drawn and the other kept beside it (without
    resolutions, as in a chart of bare engine values, the recomputation is drawn)."""
    chart = with_projection(_build_chart(result, indicator, org_unit), result, indicator, org_unit)
    return with_official(chart, resolutions)


def _build_chart(result: EvaluationResult, indicator: Indicator, org_unit: str) -> Chart:
    chart = indicator.chart
    if chart is None or chart.kind is ChartKind.TREND:
        return trend_chart(result, indicator, org_unit)
    if chart.kind is ChartKind.BAR_LINE and chart.bars:
        return bar_line_chart(result, indicator, org_unit, chart.bars)
    if chart.kind is ChartKind.STACKED and chart.parts:
        return stacked_chart(result, indicator, org_unit, chart.parts)
    if chart.kind is ChartKind.COMPARISON:
        return comparison_chart(result, indicator, (org_unit, *chart.compare))
    if chart.kind is ChartKind.INDEX_TARGET:
        return index_target_chart(result, indicator, org_unit)
    return trend_chart(result, indicator, org_unit)
