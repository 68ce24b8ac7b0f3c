"""The Vega-Lite renderer of the chart model (plain JSON data; no charting library).

One specification serves the browser (vega-embed) and the server (SVG/PNG downloads, report images).
Names and labels reach Vega only as data values and scale domains: every filter, condition and sort
is a field predicate on keys we make (`series_key`, `role`, `kind_key`), never an expression string, so
no name can break a specification or inject a Vega expression.
"""

from __future__ import annotations

from typing import Any

from shihyo.core.charts.legend import legend_entry, target_mark
from shihyo.core.charts.model import Axis, Chart, Mark, Role, Series
from shihyo.core.charts.palette import BLUE, FONT, GREY, KIND_COLOURS, KIND_LABELS, ORANGE, TEXT, hex_colour
from shihyo.core.indicators import ChartKind

Spec = dict[str, Any]  # JSON
DESCRIBED_VALUES = 24  # values listed in the one-line text alternative


def _key(index: int) -> str:
    return f"s{index}"


def rows(chart: Chart, lang: str) -> list[dict[str, object]]:
    """The chart's values as Vega data, one row per series and category that has a value."""
    labels = KIND_LABELS[lang]
    out: list[dict[str, object]] = []
    for n, series in enumerate(chart.series):
        for i, value in series.points:
            kind = labels.get(value.kind, value.kind)
            out.append(
                {
                    "period": chart.categories[i].label.get(lang),
                    "value": float(value.value),
                    "kind": kind,
                    # the tooltip's kind: with both values where a published figure and its recomputation differ
                    "detail": _detail(kind, value.other.get(lang), lang) if value.other is not None else kind,
                    "kind_key": value.kind,
                    "series": series.name.get(lang),
                    "series_key": _key(n),
                    "series_order": n,
                    "role": series.role.value,
                }
            )
    for n, segment in enumerate(chart.projections):
        for i, number in ((segment.start, segment.start_value), (segment.end, segment.end_value)):
            out.append(
                {
                    "period": chart.categories[i].label.get(lang),
                    "value": float(number),
                    "kind": labels.get("actual", "actual") if i == segment.start else segment.label.get(lang),
                    "detail": labels.get("actual", "actual") if i == segment.start else segment.label.get(lang),
                    "kind_key": "projection",
                    "series": segment.label.get(lang),
                    "series_key": f"p{n}",
                    "series_order": len(chart.series) + n,
                    "role": Role.PROJECTION.value,
                }
            )
    return out


def _detail(kind: str, both: str, lang: str) -> str:
    """「実績※（公表値16.2 / 再計算16.1）」: the value drawn is the official one, the other beside it."""
    return f"{kind}※（{both}）" if lang == "ja" else f"{kind}※ ({both})"


def _is(field: str, value: str) -> Spec:
    return {"field": field, "equal": value}


def _only(series: int) -> Spec:
    return {"filter": _is("series_key", _key(series))}


TARGETS = {"filter": _is("role", Role.TARGET.value)}
PROJECTIONS = {"filter": _is("role", Role.PROJECTION.value)}
NOT_PROJECTIONS = {"filter": {"not": _is("role", Role.PROJECTION.value)}}
NOT_TARGETS = {"filter": {"and": [{"not": _is("role", Role.TARGET.value)}, NOT_PROJECTIONS["filter"]]}}


def _format(decimals: int) -> str:
    return f",.{max(decimals, 0)}f"


def _x(chart: Chart, lang: str) -> Spec:
    return {
        "field": "period",
        "type": "ordinal",
        "title": chart.x_title.get(lang),
        "scale": {"domain": [c.label.get(lang) for c in chart.categories]},  # every year keeps its place
        "axis": {"labelAngle": 0},
    }


def _y(chart: Chart, which: Axis, lang: str, **extra: Any) -> Spec:
    axis = chart.axis(which)
    y: Spec = {"field": "value", "type": "quantitative", "title": axis.title.get(lang) if axis else ""}
    y["axis"] = {"format": _format(axis.decimals if axis else 0)}
    if which is Axis.SECONDARY:
        y["axis"]["orient"] = "right"
    if axis is not None and not axis.zero:
        y["scale"] = {"zero": False}
    return {**y, **extra}


def _tooltip(lang: str, decimals: int, series: str | None = None) -> list[Spec]:
    tips: list[Spec] = [
        {"field": "period", "title": "年度" if lang == "ja" else "Year"},
        {"field": "detail", "title": "区分" if lang == "ja" else "Kind"},
        {"field": "value", "title": "値" if lang == "ja" else "Value", "format": _format(decimals)},
    ]
    if series is not None:
        tips.append({"field": "series", "title": series})
    return tips


def _kind_colour(lang: str, title: str | None = None) -> Spec:
    labels = KIND_LABELS[lang]
    keys = ("actual", "estimate", "plan")
    return {
        "field": "kind",
        "type": "nominal",
        "title": title,
        "scale": {"domain": [labels[k] for k in keys], "range": [KIND_COLOURS[k] for k in keys]},
    }


def _form(lang: str, name: str, form: str, axis: Axis | None = None) -> str:
    """A legend entry: "導入比率（折れ線・右軸）", "Share (line, right axis)"."""
    return legend_entry(lang, name, form, axis)


def _target_legend(lang: str) -> Spec:
    """The target mark's own legend entry, so that a reader knows what the diamond is."""
    label = target_mark(lang)
    return {"datum": label, "type": "nominal", "scale": {"domain": [label], "range": ["diamond"]}, "title": None}


def _series_colour(lang: str, series: tuple[Series, ...]) -> Spec:
    names = [s.name.get(lang) for s in series]
    return {
        "field": "series",
        "type": "nominal",
        "title": None,
        "sort": names,
        "scale": {"domain": names, "range": [hex_colour(s.colour) for s in series]},
    }


def _target_layer(chart: Chart, lang: str, decimals: int) -> Spec:
    return {
        "transform": [TARGETS],
        "mark": {"type": "point", "shape": "diamond", "size": 110, "color": ORANGE, "filled": False, "strokeWidth": 2},
        "encoding": {
            "x": _x(chart, lang),
            "y": {"field": "value", "type": "quantitative"},
            "shape": _target_legend(lang),
            "tooltip": _tooltip(lang, decimals),
        },
    }


def _projection_layer(chart: Chart, lang: str) -> list[Spec]:
    """Projections: a grey dashed segment from the latest actual to an open circle at the target year."""
    if not chart.projections:
        return []
    decimals = chart.projections[0].decimals
    y: Spec = {"field": "value", "type": "quantitative"}
    return [
        {
            "transform": [PROJECTIONS],
            "layer": [
                {"mark": {"type": "line", "color": GREY, "strokeDash": [6, 4], "strokeWidth": 2}},
                {
                    "transform": [{"filter": {"not": _is("kind", KIND_LABELS[lang].get("actual", "actual"))}}],
                    "mark": {"type": "point", "shape": "circle", "size": 80, "filled": False, "color": GREY},
                    "encoding": {"tooltip": _tooltip(lang, decimals)},
                },
            ],
            "encoding": {"x": _x(chart, lang), "y": y, "detail": {"field": "series_key", "type": "nominal"}},
        }
    ]


def _has_targets(chart: Chart) -> bool:
    return any(s.role is Role.TARGET and s.points for s in chart.series)


def _trend(chart: Chart, lang: str) -> list[Spec]:
    main = chart.series[0]
    y = _y(chart, Axis.PRIMARY, lang)
    tooltip = _tooltip(lang, main.decimals)
    layer: Spec
    if main.mark is Mark.BAR:
        layer = {
            "transform": [NOT_TARGETS],
            "mark": {"type": "bar", "width": {"band": 0.6}},
            "encoding": {"x": _x(chart, lang), "y": y, "color": _kind_colour(lang), "tooltip": tooltip},
        }
    else:
        layer = {
            "transform": [NOT_TARGETS],
            "layer": [
                {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2}, "encoding": {"x": _x(chart, lang), "y": y}},
                {
                    "mark": {"type": "point", "filled": True, "size": 70},
                    "encoding": {"x": _x(chart, lang), "y": y, "color": _kind_colour(lang), "tooltip": tooltip},
                },
            ],
        }
    return [layer, *([_target_layer(chart, lang, main.decimals)] if _has_targets(chart) else [])]


def _bar_line(chart: Chart, lang: str) -> list[Spec]:
    layers: list[Spec] = []
    for n, series in enumerate(chart.series):
        encoding: Spec = {"x": _x(chart, lang), "y": _y(chart, series.axis, lang)}
        name = series.name.get(lang)
        if series.mark is Mark.BAR:
            mark: Spec = {"type": "bar", "width": {"band": 0.6}}
            encoding["color"] = _kind_colour(lang, _form(lang, name, "bar", series.axis))
        else:
            colour = hex_colour(series.colour)
            mark = {"type": "line", "strokeWidth": 2, "point": {"color": colour}}
            label = _form(lang, name, "line", series.axis)
            encoding["stroke"] = {"datum": label, "type": "nominal", "scale": {"domain": [label], "range": [colour]}}
            encoding["stroke"]["title"] = None
            encoding["stroke"]["legend"] = {"symbolType": "stroke", "symbolStrokeWidth": 2, "orient": "top"}
        encoding["tooltip"] = _tooltip(lang, series.decimals)
        projected = [p for p in chart.projections if p.code == series.code and p.axis is series.axis]
        if series.mark is Mark.LINE and projected:  # the projection shares the line's axis and scale
            shown = {"filter": {"or": [_is("series_key", _key(n)), _is("role", Role.PROJECTION.value)]}}
            dashed = {"type": "line", "color": GREY, "strokeDash": [6, 4], "strokeWidth": 2, "point": {"color": GREY}}
            layers.append(
                {
                    "transform": [shown],
                    "encoding": {"x": encoding["x"], "y": encoding["y"]},
                    "layer": [
                        {"transform": [NOT_PROJECTIONS], "mark": mark, "encoding": {"tooltip": encoding["tooltip"]}},
                        {"transform": [PROJECTIONS], "mark": dashed, "encoding": {"tooltip": encoding["tooltip"]}},
                    ],
                }
            )
            continue
        layers.append({"transform": [_only(n)], "mark": mark, "encoding": encoding})
    return layers


def _stacked(chart: Chart, lang: str, spec: Spec) -> None:
    spec["mark"] = {"type": "bar", "width": {"band": 0.6}}
    spec["encoding"] = {
        "x": _x(chart, lang),
        "y": _y(chart, Axis.PRIMARY, lang, stack="zero"),
        "color": _series_colour(lang, chart.series),
        "order": {"field": "series_order", "type": "quantitative"},
        "opacity": {"condition": {"test": _is("kind_key", "plan"), "value": 0.5}, "value": 1},
        "tooltip": _tooltip(lang, 0, "内訳" if lang == "ja" else "Part"),
    }


def _comparison(chart: Chart, lang: str) -> list[Spec]:
    lines = tuple(s for s in chart.series if s.role is not Role.TARGET)
    decimals = lines[0].decimals if lines else 0
    layer: Spec = {
        "transform": [NOT_TARGETS],
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": _x(chart, lang),
            "y": _y(chart, Axis.PRIMARY, lang),
            "color": _series_colour(lang, lines),
            "strokeDash": {"condition": {"test": _is("kind_key", "plan"), "value": [4, 3]}, "value": [1, 0]},
            "tooltip": _tooltip(lang, decimals, ""),
        },
    }
    return [layer, *([_target_layer(chart, lang, decimals)] if _has_targets(chart) else [])]


def _index_target(chart: Chart, lang: str) -> list[Spec]:
    drawn = tuple(s for s in chart.series if s.points)
    names = [s.name.get(lang) for s in drawn]
    rules: list[Spec] = [
        {
            "mark": {"type": "rule", "color": GREY, "strokeDash": [2, 2], "aria": False},
            "encoding": {"y": {"datum": float(line.value)}},
        }
        for line in chart.references
    ]
    line: Spec = {
        "transform": [NOT_PROJECTIONS],
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": _x(chart, lang),
            "y": _y(chart, Axis.PRIMARY, lang),
            "color": _series_colour(lang, drawn),
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": names, "range": [[6, 4] if s.role is Role.TARGET else [1, 0] for s in drawn]},
            },
            "tooltip": _tooltip(lang, chart.series[0].decimals if chart.series else 0),
        },
    }
    return [*rules, line]


def describe(chart: Chart, lang: str) -> str:
    """A one-line text alternative of the chart (the full data table is on the page beside it)."""
    named = chart.kind is not ChartKind.TREND
    shown = [
        f"{s.name.get(lang) if named else ''} {chart.categories[i].label.get(lang)} {float(v.value):,.1f}".strip()
        for s in chart.series
        if s.role is not Role.TARGET
        for i, v in s.points
    ]
    targets = sum(len(s.points) for s in chart.series if s.role is Role.TARGET)
    title = chart.title.get(lang)
    projected = [
        f"{p.label.get(lang)} {chart.categories[p.end].label.get(lang)} {float(p.end_value):,.1f}"
        for p in chart.projections
    ]
    if lang == "ja":
        tail = f"。目標 {targets} 点" if targets else ""
        tail += "".join(f"。{text}" for text in projected)
        return f"{title}の推移: {'、'.join(shown[:DESCRIBED_VALUES])}{tail}"
    tail = f"; {targets} target points" if targets else ""
    tail += "".join(f"; {text}" for text in projected)
    return f"{title} by year: {', '.join(shown[:DESCRIBED_VALUES])}{tail}"


def vega_lite(chart: Chart, lang: str = "ja") -> Spec:
    """The Vega-Lite specification of `chart` in `lang`."""
    spec: Spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": describe(chart, lang),
        "title": {"text": chart.title.get(lang), "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "padding": {"left": 5, "top": 5, "right": 16, "bottom": 5},  # room for the last year's label
        "data": {"values": rows(chart, lang)},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT, "titleColor": TEXT},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelLimit": 240,  # a phone-wide chart keeps its legend inside
                "titleLimit": 240,
            },
            "view": {"stroke": None},
        },
        "usermeta": {"lang": lang, "kind": chart.kind.value},
    }
    if chart.kind is ChartKind.STACKED:
        _stacked(chart, lang, spec)
    elif chart.kind is ChartKind.BAR_LINE:
        spec["resolve"] = {"scale": {"y": "independent"}}
        spec["layer"] = _bar_line(chart, lang)
    elif chart.kind is ChartKind.COMPARISON:
        spec["layer"] = _comparison(chart, lang) + _projection_layer(chart, lang)
    elif chart.kind is ChartKind.INDEX_TARGET:
        spec["layer"] = _index_target(chart, lang) + _projection_layer(chart, lang)
    else:
        spec["layer"] = _trend(chart, lang) + _projection_layer(chart, lang)
    return spec
