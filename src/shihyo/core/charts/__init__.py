"""Charts of indicators: a typed model built once in core (`model`, `build`), drawn by plain renderers.

`build_chart` decides what a chart shows; `vega_lite` draws it for the web and the SVG/PNG downloads,
`svg.chart_svg` for the PDF report,
`chart_table` lists its data. The PowerPoint and Excel renderers live in their report folders
(`shihyo.reports.pptx.charts`, `shihyo.reports.xlsx.charts`) and read the same model.
"""

from __future__ import annotations

from typing import Any

from shihyo.core.charts.build import build_chart
from shihyo.core.charts.model import Chart
from shihyo.core.charts.palette import BLUE, GREY, KIND_LABELS, LIGHT_BLUE, ORANGE, PALETTE
from shihyo.core.charts.table import ChartTable, chart_table
from shihyo.core.charts.vega import vega_lite
from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import Indicator
from shihyo.core.official import Resolutions

__all__ = [
    "BLUE",
    "GREY",
    "KIND_LABELS",
    "LIGHT_BLUE",
    "ORANGE",
    "PALETTE",
    "Chart",
    "ChartTable",
    "build_chart",
    "chart_spec",
    "chart_table",
    "vega_lite",
]


def chart_spec(
    result: EvaluationResult,
    indicator: Indicator,
    org_unit: str,
    lang: str = "ja",
    resolutions: Resolutions | None = None,
) -> dict[str, Any]:
    """The Vega-Lite specification of the indicator's chart (the model built and drawn in one call)."""
    return vega_lite(build_chart(result, indicator, org_unit, resolutions), lang)
