"""Charts draw the official figure where a published figure and its recomputation differ (the card's value),
and the point keeps the other value for the tooltip and the data beside the chart."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from shihyo.core.charts import build_chart, vega_lite
from shihyo.core.charts.model import Chart
from shihyo.core.clock import TOKYO
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import ShowPolicy
from shihyo.core.official import Decision, OfficialFigure, Resolutions, Rule, resolve
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Basis, reconcile
from shihyo.io.directory import read_programme_dir
from shihyo.reports.xlsx.charts import page_table
from tests.conftest import KOBE

H29 = 2017


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    kobe = read_programme_dir(KOBE)
    return evaluate(EvaluationRequest(kobe.programme, revisions_frame(kobe.observations)))


def _overtime(result: EvaluationResult, resolutions: Resolutions | None) -> Chart:
    indicator = result.programme.indicator_by_code()["overtime_monthly_avg"]
    return build_chart(result, indicator, "kobe", resolutions)


def _h29(chart: Chart) -> tuple[Decimal, str]:
    (series,) = [s for s in chart.series if s.code == "overtime_monthly_avg"]
    (value,) = [v for c, v in zip(chart.categories, series.values, strict=True) if c.period.fiscal_year == H29]
    assert value is not None
    return value.value, value.other.get("ja") if value.other else ""


def test_the_chart_draws_the_published_h29_overtime_by_kobes_policy(result: EvaluationResult) -> None:
    policy = resolve(reconcile(result), (), result.programme.show_when_differs)
    assert _h29(_overtime(result, policy)) == (Decimal("16.2"), "公表値16.2 / 再計算16.1")
    bare, other = _h29(_overtime(result, None))  # without resolutions: the engine's value, nothing beside it
    assert round(bare, 2) == Decimal("16.06") and other == ""


def test_a_correction_draws_the_recomputation_with_the_published_beside_it(result: EvaluationResult) -> None:
    found = reconcile(result)
    decision = Decision(
        "overtime_monthly_avg",
        "kobe",
        fiscal_year(H29),
        Basis.ACTUAL,
        ShowPolicy.RECOMPUTED,
        "総時間÷人数÷12で訂正",
        "office",
        datetime(2026, 12, 2, 10, tzinfo=TOKYO),
    )
    value, other = _h29(_overtime(result, resolve(found, (decision,), result.programme.show_when_differs)))
    assert round(value, 2) == Decimal("16.06") and other == "再計算16.1 / 公表値16.2"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_tooltip_and_the_workbook_table_say_the_other_value(result: EvaluationResult, lang: str) -> None:
    chart = _overtime(result, resolve(reconcile(result), (), result.programme.show_when_differs))
    rows = vega_lite(chart, lang)["data"]["values"]
    label = "H29" if lang == "ja" else "FY2017"
    key = f"s{[s.code for s in chart.series].index('overtime_monthly_avg')}"
    (h29,) = [r for r in rows if r["period"] == label and r["series_key"] == key]
    assert h29["value"] == 16.2
    both = "※（公表値16.2 / 再計算16.1）" if lang == "ja" else "※ (published 16.2 / recomputed 16.1)"
    assert h29["detail"].endswith(both)
    others = [r for r in rows if r["role"] == "actual" and r is not h29]
    assert others and all(r["detail"] == r["kind"] for r in others)
    (column,) = [c for c in page_table(chart, lang).columns if c.code == "overtime_monthly_avg"]
    assert column.disputed == {H29} and column.cells[H29][0] == 16.2


def test_a_projection_starts_at_the_official_latest_value(result: EvaluationResult) -> None:
    """Where the latest actual a projection starts from is disputed, the dashed segment starts at the drawn point."""
    indicator = result.programme.indicator_by_code()["pc_small_rate"]
    bare = build_chart(result, indicator, "kobe")
    (segment,) = bare.projections
    latest = bare.categories[segment.start].period
    # a published 90.0% of the latest year, kept official by the policy (Kobe's own R3 figure agrees)
    figure = OfficialFigure(
        indicator.code, "kobe", latest, Basis.ACTUAL, ShowPolicy.PUBLISHED, Decimal("90.0"),
        segment.start_value, "90.0%", "91.0%", "", Rule.POLICY,
    )  # fmt: skip
    resolutions = Resolutions(figures={(indicator.code, "kobe", latest.key, Basis.ACTUAL): figure})
    chart = build_chart(result, indicator, "kobe", resolutions)
    (moved,) = chart.projections
    assert moved.start_value == Decimal("90.0") and moved.end_value == segment.end_value
    (line,) = [s for s in chart.series if s.code == indicator.code]
    drawn = line.values[moved.start]
    assert drawn is not None and drawn.value == moved.start_value and drawn.other is not None
