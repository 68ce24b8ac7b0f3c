"""What a PowerPoint chart draws: the chart model (`shihyo.core.charts`) as a `ChartPlan`.

The plan decides the deck's own choices (a trend's bars split by kind so plans and estimates get
their shade, which series carry value labels, Excel number formats) from the model alone;
`shihyo.reports.pptx.chart_drawing` turns the plan into a native chart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from shihyo.core.charts.legend import legend_entry, target_mark
from shihyo.core.charts.model import Axis, Chart, Mark, Role, Series, Value
from shihyo.core.charts.palette import GREY, KIND_COLOURS, KIND_LABELS, hex_colour
from shihyo.core.indicators import ChartKind

Number = float | None
TREND_BAR_KINDS = ("actual", "estimate", "plan")


@dataclass(frozen=True)
class SeriesPlan:
    name: str
    values: tuple[Number, ...]  # one per category; None where the series has no value
    kinds: tuple[str, ...]  # kind per category (actual | estimate | plan | target), "" where no value
    role: str  # bar | stacked | line | target | secondary
    colour: str
    number_format: str
    labels: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class ChartPlan:
    kind: str  # trend_bar | trend_line | bar_line | stacked | comparison | index_target
    title: str
    categories: tuple[str, ...]
    series: tuple[SeriesPlan, ...]
    axis_title: str
    axis_format: str
    axis2_title: str = ""
    axis2_format: str = ""

    @property
    def has_secondary(self) -> bool:
        return any(s.role == "secondary" for s in self.series)


def number_format(decimals: int, lang: str, millions: bool = False) -> str:
    """Excel number format at the indicator's precision; Japanese negatives as ▲ (`#,##0.0;"▲"#,##0.0`)."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if millions:
        body += ',,"百万"' if lang == "ja" else ',,"M"'
    return f'{body};"▲"{body}' if lang == "ja" else body


def _plan(
    series: Series,
    lang: str,
    role: str,
    fmt: str,
    *,
    values: tuple[Value | None, ...] | None = None,
    labels: bool = False,
    dashed: bool = False,
) -> SeriesPlan:
    shown = series.values if values is None else values
    return SeriesPlan(
        name=series.name.get(lang),
        values=tuple(float(v.value) if v is not None else None for v in shown),
        kinds=tuple(v.kind if v is not None else "" for v in shown),
        role=role,
        colour=hex_colour(series.colour),
        number_format=fmt,
        labels=labels,
        dashed=dashed,
    )


def _named(plan: SeriesPlan, name: str) -> SeriesPlan:
    return replace(plan, name=name)


def _axis(chart: Chart, which: Axis, lang: str) -> tuple[str, str, int]:
    """(title, number format, decimals) of a value axis; a title that is only the unit is put in brackets."""
    axis = chart.axis(which)
    if axis is None:
        return "", number_format(0, lang), 0
    title = axis.title.get(lang)
    if title and title == axis.unit:
        title = f"（{title}）" if lang == "ja" else f"({title})"
    decimals = max(axis.decimals, 0)
    return title, number_format(decimals, lang, millions=axis.decimals <= -6), decimals


def _trend(chart: Chart, lang: str, title: str, axis_title: str, fmt: str) -> ChartPlan:
    labels = KIND_LABELS[lang]
    main, *rest = chart.drawn
    targets = [_named(_plan(s, lang, "target", fmt), target_mark(lang)) for s in rest if s.role is Role.TARGET]
    categories = tuple(c.label.get(lang) for c in chart.categories)
    if main.mark is Mark.BAR:
        bars = []
        for kind in TREND_BAR_KINDS:
            only = tuple(v if v is not None and v.kind == kind else None for v in main.values)
            if any(only):
                plan = _plan(main, lang, "bar", fmt, values=only, labels=True)
                bars.append(SeriesPlan(labels[kind], plan.values, plan.kinds, "bar", KIND_COLOURS[kind], fmt, True))
        return ChartPlan("trend_bar", title, categories, (*bars, *targets), axis_title, fmt)
    kinds = list(dict.fromkeys(labels.get(v.kind, v.kind) for _, v in main.points))
    name = ("・" if lang == "ja" else " / ").join(kinds) if kinds else labels["actual"]
    line = _named(_plan(main, lang, "line", fmt, labels=True), name)
    return ChartPlan("trend_line", title, categories, (line, *targets), axis_title, fmt)


def plan_chart(chart: Chart, lang: str) -> ChartPlan | None:
    """What to draw for the chart in `lang`; None when there is nothing to draw. Projections are drawn on
    every kind but the stack (where the model has none): a grey dashed line, on the axis of what they project."""
    plan = _plan_chart(chart, lang)
    if plan is None or plan.kind == "stacked":
        return plan
    return replace(plan, series=(*plan.series, *_projections(chart, lang, plan)))


def _projections(chart: Chart, lang: str, plan: ChartPlan) -> tuple[SeriesPlan, ...]:
    """Each projection as a grey dashed line from the latest actual to the target year (blanks spanned)."""
    out = []
    for segment in chart.projections:
        values: list[Number] = [None] * len(chart.categories)
        kinds = [""] * len(chart.categories)
        values[segment.start], kinds[segment.start] = float(segment.start_value), "actual"
        values[segment.end], kinds[segment.end] = float(segment.end_value), "projection"
        secondary = plan.kind == "bar_line" and segment.axis is Axis.SECONDARY
        fmt = plan.axis2_format if secondary else plan.axis_format
        role = "secondary" if secondary else "line"
        out.append(SeriesPlan(segment.label.get(lang), tuple(values), tuple(kinds), role, GREY, fmt, dashed=True))
    return tuple(out)


def _plan_chart(chart: Chart, lang: str) -> ChartPlan | None:
    if chart.is_empty:
        return None
    title = chart.title.get(lang)
    categories = tuple(c.label.get(lang) for c in chart.categories)
    axis_title, axis_format, _ = _axis(chart, Axis.PRIMARY, lang)
    drawn = chart.drawn
    if chart.kind is ChartKind.BAR_LINE and len(drawn) >= 2:
        axis2_title, axis2_format, _ = _axis(chart, Axis.SECONDARY, lang)
        # the legend says which series is the bar and which the line, and on which axis (as on the dashboard)
        pair = tuple(
            _named(_plan(s, lang, "bar", axis_format, labels=True), legend_entry(lang, s.name.get(lang), "bar", s.axis))
            if s.axis is Axis.PRIMARY
            else _named(
                _plan(s, lang, "secondary", axis2_format, labels=True),
                legend_entry(lang, s.name.get(lang), "line", s.axis),
            )
            for s in drawn
        )
        return ChartPlan("bar_line", title, categories, pair, axis_title, axis_format, axis2_title, axis2_format)
    if chart.kind is ChartKind.STACKED:
        parts = tuple(_plan(s, lang, "stacked", axis_format) for s in drawn)
        return ChartPlan("stacked", title, categories, parts, axis_title, axis_format)
    if chart.kind is ChartKind.COMPARISON:
        lines = [s for s in drawn if s.role is not Role.TARGET]
        plans = [_plan(s, lang, "line", axis_format, labels=i == 0) for i, s in enumerate(lines)]
        plans += [
            _named(_plan(s, lang, "target", axis_format), target_mark(lang)) for s in drawn if s.role is Role.TARGET
        ]
        return ChartPlan("comparison", title, categories, tuple(plans), axis_title, axis_format)
    if chart.kind is ChartKind.INDEX_TARGET:
        plans = [
            _plan(s, lang, "line", axis_format, dashed=True)
            if s.role is Role.TARGET
            else _plan(s, lang, "line", axis_format, labels=True)
            for s in drawn
        ]
        return ChartPlan("index_target", title, categories, tuple(plans), axis_title, axis_format)
    return _trend(chart, lang, title, axis_title, axis_format)
