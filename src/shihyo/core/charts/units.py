"""The chart of an indicator's figures by org unit: one bar per unit (wards side by side), ranked.

Built from the engine's values of the units below a parent (the same rows as the page's units table, which
is its text alternative) and drawn as Vega-Lite. Names reach Vega-Lite as data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shihyo.core.charts.model import Names
from shihyo.core.charts.palette import BLUE, FONT, TEXT
from shihyo.core.formatting import format_value

Spec = dict[str, Any]


@dataclass(frozen=True)
class UnitBar:
    code: str
    name: Names
    value: Decimal
    share: Decimal | None = None  # % of the parent's total, where the figure adds up


@dataclass(frozen=True)
class UnitsChart:
    title: Names
    unit: str
    decimals: int
    bars: tuple[UnitBar, ...]  # ranked, largest first
    subtitle: Names  # the parent the units belong to


def units_chart(title: Names, unit: str, decimals: int, bars: list[UnitBar], subtitle: Names) -> UnitsChart:
    ranked = sorted(bars, key=lambda bar: bar.value, reverse=True)
    return UnitsChart(title, unit, decimals, tuple(ranked), subtitle)


def units_vega(chart: UnitsChart, lang: str = "ja") -> Spec:
    """Horizontal bars, one per unit, largest first; the tooltip gives the value and the share."""
    rows = [
        {
            "unit": bar.name.get(lang),
            "order": rank,
            "value": float(bar.value),
            "shown": format_value(bar.value, chart.unit, chart.decimals, lang),
            "share": "" if bar.share is None else format_value(bar.share, "%", 1, lang),
        }
        for rank, bar in enumerate(chart.bars, start=1)
    ]
    unit_word = "所属" if lang == "ja" else "Org unit"
    described = (
        "、".join(f"{r['unit']} {r['shown']}" for r in rows)
        if lang == "ja"
        else ", ".join(f"{r['unit']} {r['shown']}" for r in rows)
    )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"{chart.title.get(lang)}: {described}",
        "title": {
            "text": chart.title.get(lang),
            "subtitle": chart.subtitle.get(lang),
            "anchor": "start",
            "fontSize": 16,
        },
        "width": "container",
        "height": max(120, 26 * len(rows)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": BLUE},
        "encoding": {
            "y": {"field": "unit", "type": "nominal", "sort": {"field": "order", "op": "min"}, "title": unit_word},
            "x": {"field": "value", "type": "quantitative", "title": chart.unit},
            "tooltip": [
                {"field": "unit", "title": unit_word},
                {"field": "shown", "title": "値" if lang == "ja" else "Value"},
                {"field": "share", "title": "割合" if lang == "ja" else "Share"},
            ],
        },
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT, "titleColor": TEXT},
            "view": {"stroke": None},
        },
        "usermeta": {"lang": lang, "kind": "units"},
    }
