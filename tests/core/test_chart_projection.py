"""Projections in the chart model: a dashed segment from the latest actual to the target year, not a plan."""

from __future__ import annotations

import json

import pytest

from shihyo.core.charts import build_chart, vega_lite
from shihyo.core.charts.model import Role
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.periods import fiscal_year
from shihyo.core.projection import project_targets
from shihyo.io.directory import read_programme_dir
from tests.conftest import KOBE


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    ds = read_programme_dir(KOBE)
    return evaluate(EvaluationRequest(ds.programme, revisions_frame(ds.observations)))


def test_the_chart_draws_the_engines_projection(result: EvaluationResult) -> None:
    indicator = result.programme.indicator_by_code()["mnc_rate"]
    chart = build_chart(result, indicator, "kobe")
    (segment,) = chart.projections
    (projection,) = [p for p in project_targets(result) if p.indicator == "mnc_rate"]
    assert projection.projected is not None and projection.latest is not None
    assert chart.categories[segment.start].period == projection.latest[0] == fiscal_year(2021)
    assert chart.categories[segment.end].period == projection.target_period == fiscal_year(2022)
    assert (segment.start_value, segment.end_value) == (projection.latest[1], projection.projected)
    assert segment.label.ja == "予測（直線トレンド）"
    spec = vega_lite(chart, "ja")
    rows = [r for r in spec["data"]["values"] if r["role"] == Role.PROJECTION.value]
    assert [r["period"] for r in rows] == ["R3", "R4"] and rows[1]["kind"] == "予測（直線トレンド）"
    dashed = [layer for layer in spec["layer"] if json.dumps(layer).count('"strokeDash": [6, 4]')]
    assert dashed, "the projection is drawn as a dashed segment"
    # the plan (R4 75.0%) stays a plan of the actual series; the projection is not mixed into it
    plans = [r for r in spec["data"]["values"] if r["kind_key"] == "plan"]
    assert plans and all(r["role"] == "actual" for r in plans)


def test_no_projection_without_enough_actuals(result: EvaluationResult) -> None:
    smart = result.programme.indicator_by_code()["smart_coverage"]  # two actuals; the trend needs three
    assert build_chart(result, smart, "kobe").projections == ()


def test_the_text_alternative_names_the_projection(result: EvaluationResult) -> None:
    indicator = result.programme.indicator_by_code()["mnc_rate"]
    spec = vega_lite(build_chart(result, indicator, "kobe"), "ja")
    assert spec["description"].endswith("。目標 2 点。予測（直線トレンド） R4 65.4")
