"""Vega-Lite chart specifications built from the engine's result (plain dicts, no charting library).

One specification serves the browser (vega-embed) and the server (SVG/PNG for downloads and reports).
Chart kinds follow the report: a trend (bars for counts, a line for rates), bars with a ratio line on
a second axis, stacked parts, an index against its target path, and a comparison of org units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import ChartKind, Indicator
from shihyo.core.overview import Point, yearly_points
from shihyo.core.targets import target_levels

# Digital Agency design system inspired palette (our own choice of tones; contrast ≥ 3:1 on white)
BLUE = "#0031d8"
LIGHT_BLUE = "#9db7f9"
ORANGE = "#c74700"
GREEN = "#197a4b"
GREY = "#626264"
PALETTE = [BLUE, ORANGE, GREEN, "#6f23d0", "#a5007d", GREY]
FONT = "BIZ UDGothic, IPAexGothic, Hiragino Sans, Meiryo, sans-serif"

KIND_LABELS = {
    "ja": {"actual": "実績", "estimate": "推計値", "plan": "計画", "target": "目標"},
    "en": {"actual": "Actual", "estimate": "Estimate", "plan": "Plan", "target": "Target"},
}


def _float(value: Decimal) -> float:
    return float(value)


def _rows(points: tuple[Point, ...], style: Any, lang: str, series: str = "") -> list[dict[str, Any]]:
    labels = KIND_LABELS[lang]
    return [
        {
            "period": p.period.label(style, lang),
            "order": p.period.fiscal_year,
            "value": _float(p.value),
            "kind": labels[p.kind],
            "series": series,
        }
        for p in points
    ]


def _label(item: Any, lang: str) -> str:
    """The English name where the programme gives one."""
    return str(item.name_en or item.name) if lang == "en" else str(item.name)


def _named(result: EvaluationResult, code: str, lang: str) -> tuple[str, str]:
    """(name in the page's language, unit) of a series or indicator; the code itself if unknown."""
    item: Any = result.programme.series_by_code().get(code) or result.programme.indicator_by_code().get(code)
    return (_label(item, lang), str(item.unit)) if item is not None else (code, "")


def _series_color(order: list[str]) -> dict[str, Any]:
    """One colour per named series, in the given order."""
    return {
        "field": "series",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"domain": order, "range": PALETTE[: len(order)]},
    }


def _axis_format(indicator_unit: str, decimals: int) -> str:
    return f",.{max(decimals, 0)}f"


def _base(title: str, lang: str, rows: list[dict[str, Any]], description: str) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1a1a1c", "titleColor": "#1a1a1c"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 360},
            "view": {"stroke": None},
        },
        "usermeta": {"lang": lang},
    }


def _x(lang: str) -> dict[str, Any]:
    return {
        "field": "period",
        "type": "ordinal",
        "sort": {"field": "order", "op": "min"},
        "title": "年度" if lang == "ja" else "Fiscal year",
        "axis": {"labelAngle": 0},
    }


def _kind_color(lang: str) -> dict[str, Any]:
    labels = KIND_LABELS[lang]
    return {
        "field": "kind",
        "type": "nominal",
        "title": None,
        "scale": {
            "domain": [labels["actual"], labels["estimate"], labels["plan"]],
            "range": [BLUE, "#4f6fe0", LIGHT_BLUE],
        },
    }


def _y(title: str, decimals: int, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "field": "value",
        "type": "quantitative",
        "title": title,
        "axis": {"format": _axis_format(unit, decimals)},
        **extra,
    }


def _unit_title(indicator: Indicator) -> str:
    return indicator.unit or ""


def _tooltip(lang: str, decimals: int) -> list[dict[str, Any]]:
    return [
        {"field": "period", "title": "年度" if lang == "ja" else "Year"},
        {"field": "kind", "title": "区分" if lang == "ja" else "Kind"},
        {"field": "value", "title": "値" if lang == "ja" else "Value", "format": f",.{max(decimals, 0)}f"},
    ]


def _target_rows(result: EvaluationResult, indicator: Indicator, org_unit: str, lang: str) -> list[dict[str, Any]]:
    style = result.programme.wareki_style
    rows = []
    for target in result.programme.targets_of(indicator.code):
        levels = target_levels(target, result, org_unit) or ()
        for point in levels:
            rows.append(
                {
                    "period": point.period.label(style, lang),
                    "order": point.period.fiscal_year,
                    "value": _float(point.value),
                    "kind": KIND_LABELS[lang]["target"],
                    "series": KIND_LABELS[lang]["target"],
                }
            )
    return rows


def trend_spec(result: EvaluationResult, indicator: Indicator, org_unit: str, lang: str = "ja") -> dict[str, Any]:
    """Bars (counts) or a line (rates) of yearly values; plans lighter, targets as dashed points."""
    style = result.programme.wareki_style
    points = yearly_points(result, indicator.code, org_unit)
    rows = _rows(points, style, lang)
    targets = _target_rows(result, indicator, org_unit, lang)
    title = _label(indicator, lang)
    spec = _base(title, lang, rows + targets, _describe(title, rows, targets, lang))
    y = _y(_unit_title(indicator), indicator.decimals, indicator.unit)
    values = {"filter": f"datum.kind != '{KIND_LABELS[lang]['target']}'"}
    if indicator.is_rate or indicator.unit in ("Pt", "時間"):
        main: dict[str, Any] = {
            "transform": [values],
            "layer": [
                {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2}, "encoding": {"x": _x(lang), "y": y}},
                {
                    "mark": {"type": "point", "filled": True, "size": 70},
                    "encoding": {
                        "x": _x(lang),
                        "y": y,
                        "color": _kind_color(lang),
                        "tooltip": _tooltip(lang, indicator.decimals),
                    },
                },
            ],
        }
    else:
        main = {
            "transform": [values],
            "mark": {"type": "bar", "width": {"band": 0.6}},
            "encoding": {
                "x": _x(lang),
                "y": y,
                "color": _kind_color(lang),
                "tooltip": _tooltip(lang, indicator.decimals),
            },
        }
    layers = [main]
    if targets:
        layers.append(_target_layer(lang, indicator))
    spec["layer"] = layers
    return spec


def _target_layer(lang: str, indicator: Indicator) -> dict[str, Any]:
    label = KIND_LABELS[lang]["target"]
    return {
        "transform": [{"filter": f"datum.kind == '{label}'"}],
        "mark": {"type": "point", "shape": "diamond", "size": 110, "color": ORANGE, "filled": False, "strokeWidth": 2},
        "encoding": {
            "x": _x(lang),
            "y": {"field": "value", "type": "quantitative"},
            "tooltip": _tooltip(lang, indicator.decimals),
        },
    }


def bar_line_spec(
    result: EvaluationResult, indicator: Indicator, org_unit: str, bars: str, lang: str = "ja"
) -> dict[str, Any]:
    """Counts as bars on the left axis, the indicator (a ratio) as a line on the right axis."""
    style = result.programme.wareki_style
    bar_name, bar_unit = _named(result, bars, lang)
    bar_rows = _rows(yearly_points(result, bars, org_unit), style, lang, bar_name)
    line_name = _label(indicator, lang)
    line_rows = _rows(yearly_points(result, indicator.code, org_unit), style, lang, line_name)
    title = _label(indicator, lang)
    spec = _base(title, lang, bar_rows + line_rows, _describe(title, bar_rows + line_rows, [], lang))
    spec["resolve"] = {"scale": {"y": "independent"}}
    spec["layer"] = [
        {
            "transform": [{"filter": {"field": "series", "equal": bar_name}}],
            "mark": {"type": "bar", "width": {"band": 0.6}},
            "encoding": {
                "x": _x(lang),
                "y": _y(f"{bar_name}（{bar_unit}）" if bar_unit else bar_name, 0, bar_unit),
                "color": _kind_color(lang),
                "tooltip": _tooltip(lang, 0),
            },
        },
        {
            "transform": [{"filter": {"field": "series", "equal": line_name}}],
            "mark": {"type": "line", "color": ORANGE, "strokeWidth": 2, "point": {"color": ORANGE}},
            "encoding": {
                "x": _x(lang),
                "y": _y(
                    f"{line_name}（{indicator.unit}）",
                    indicator.decimals,
                    indicator.unit,
                    axis={"orient": "right", "format": _axis_format(indicator.unit, indicator.decimals)},
                ),
                "tooltip": _tooltip(lang, indicator.decimals),
            },
        },
    ]
    return spec


def stacked_spec(
    result: EvaluationResult, indicator: Indicator, org_unit: str, parts: tuple[str, ...], lang: str = "ja"
) -> dict[str, Any]:
    """Parts stacked to their whole (e.g. certificates by channel)."""
    style = result.programme.wareki_style
    rows: list[dict[str, Any]] = []
    order = []
    for code in parts:
        name, _unit = _named(result, code, lang)
        order.append(name)
        rows += _rows(yearly_points(result, code, org_unit), style, lang, name)
    title = _label(indicator, lang)
    spec = _base(title, lang, rows, _describe(title, rows, [], lang))
    spec["mark"] = {"type": "bar", "width": {"band": 0.6}}
    spec["encoding"] = {
        "x": _x(lang),
        "y": _y(indicator.unit, 0, indicator.unit, stack="zero"),
        "color": _series_color(order),
        "order": {"field": "series_order", "type": "quantitative"},
        "opacity": {"condition": {"test": f"datum.kind == '{KIND_LABELS[lang]['plan']}'", "value": 0.5}, "value": 1},
        "tooltip": [*_tooltip(lang, 0), {"field": "series", "title": "内訳" if lang == "ja" else "Part"}],
    }
    spec["transform"] = [{"calculate": f"indexof({order!r}, datum.series)".replace("'", '"'), "as": "series_order"}]
    return spec


def comparison_spec(
    result: EvaluationResult, indicator: Indicator, org_units: tuple[str, ...], lang: str = "ja"
) -> dict[str, Any]:
    """One line per org unit (e.g. Kobe against the national and designated-city rates)."""
    style = result.programme.wareki_style
    units = result.programme.org_unit_by_code()
    rows: list[dict[str, Any]] = []
    order = []
    for code in org_units:
        name = _label(units[code], lang) if code in units else code
        order.append(name)
        rows += _rows(yearly_points(result, indicator.code, code), style, lang, name)
    title = _label(indicator, lang)
    targets = _target_rows(result, indicator, org_units[0], lang) if org_units else []
    spec = _base(title, lang, rows + targets, _describe(title, rows, targets, lang))
    y = _y(_unit_title(indicator), indicator.decimals, indicator.unit)
    target_label = KIND_LABELS[lang]["target"]
    layers: list[dict[str, Any]] = [
        {
            "transform": [{"filter": f"datum.kind != '{target_label}'"}],
            "mark": {"type": "line", "point": True, "strokeWidth": 2},
            "encoding": {
                "x": _x(lang),
                "y": y,
                "color": _series_color(order),
                "strokeDash": {
                    "condition": {"test": f"datum.kind == '{KIND_LABELS[lang]['plan']}'", "value": [4, 3]},
                    "value": [1, 0],
                },
                "tooltip": [*_tooltip(lang, indicator.decimals), {"field": "series", "title": ""}],
            },
        }
    ]
    if targets:
        layers.append(_target_layer(lang, indicator))
    spec["layer"] = layers
    return spec


def index_target_spec(
    result: EvaluationResult, indicator: Indicator, org_unit: str, lang: str = "ja"
) -> dict[str, Any]:
    """An index (base = 100) with its target path drawn as a dashed line."""
    style = result.programme.wareki_style
    rows = _rows(yearly_points(result, indicator.code, org_unit), style, lang, KIND_LABELS[lang]["actual"])
    targets = _target_rows(result, indicator, org_unit, lang)
    title = _label(indicator, lang)
    spec = _base(title, lang, rows + targets, _describe(title, rows, targets, lang))
    y = _y(indicator.unit or "", indicator.decimals, indicator.unit, scale={"zero": False})
    spec["layer"] = [
        {
            "mark": {"type": "rule", "color": GREY, "strokeDash": [2, 2], "aria": False},
            "encoding": {"y": {"datum": 100}},
        },
        {
            "mark": {"type": "line", "point": True, "strokeWidth": 2},
            "encoding": {
                "x": _x(lang),
                "y": y,
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": [KIND_LABELS[lang]["actual"], KIND_LABELS[lang]["target"]],
                        "range": [BLUE, ORANGE],
                    },
                },
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "legend": None,
                    "scale": {
                        "domain": [KIND_LABELS[lang]["actual"], KIND_LABELS[lang]["target"]],
                        "range": [[1, 0], [6, 4]],
                    },
                },
                "tooltip": _tooltip(lang, indicator.decimals),
            },
        },
    ]
    return spec


def chart_spec(result: EvaluationResult, indicator: Indicator, org_unit: str, lang: str = "ja") -> dict[str, Any]:
    """The chart of the kind the programme asks for (indicator `chart:`), or a trend."""
    chart = indicator.chart
    if chart is None or chart.kind is ChartKind.TREND:
        return trend_spec(result, indicator, org_unit, lang)
    if chart.kind is ChartKind.BAR_LINE and chart.bars:
        return bar_line_spec(result, indicator, org_unit, chart.bars, lang)
    if chart.kind is ChartKind.STACKED and chart.parts:
        return stacked_spec(result, indicator, org_unit, chart.parts, lang)
    if chart.kind is ChartKind.COMPARISON:
        return comparison_spec(result, indicator, (org_unit, *chart.compare), lang)
    if chart.kind is ChartKind.INDEX_TARGET:
        return index_target_spec(result, indicator, org_unit, lang)
    return trend_spec(result, indicator, org_unit, lang)


def _describe(title: str, rows: list[dict[str, Any]], targets: list[dict[str, Any]], lang: str) -> str:
    """A one-line text alternative of the chart (the full data table is on the page beside it)."""
    values = "、".join(f"{r['series']} {r['period']} {r['value']:,.{r.get('decimals', 1)}f}".strip() for r in rows[:24])
    if lang == "ja":
        tail = f"。目標 {len(targets)} 点" if targets else ""
        return f"{title}の推移: {values}{tail}"
    tail = f"; {len(targets)} target points" if targets else ""
    return f"{title} by year: {values.replace('、', ', ')}{tail}"
