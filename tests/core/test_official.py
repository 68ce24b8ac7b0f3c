"""The rule of official figures: policy until the office decides, the latest decision after, both values shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.clock import TOKYO
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import ShowPolicy
from shihyo.core.official import Decision, Resolutions, Rule, official_figure, resolve, shown_value
from shihyo.core.official_rows import marked, resolution_columns
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Basis, Reconciliation, Verdict, reconcile
from shihyo.io.directory import read_programme_dir

KOBE = Path(__file__).parents[2] / "src" / "shihyo" / "examples" / "kobe"
H29 = fiscal_year(2017)
CODE = "overtime_monthly_avg"


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    kobe = read_programme_dir(KOBE)
    assert kobe.programme.show_when_differs is ShowPolicy.PUBLISHED  # written in Kobe's programme.yaml
    return evaluate(EvaluationRequest(kobe.programme, revisions_frame(kobe.observations)))


@pytest.fixture(scope="module")
def found(result: EvaluationResult) -> tuple[Reconciliation, ...]:
    return reconcile(result)


class State:
    """What a surface holds: the evaluation and its resolutions."""

    def __init__(self, result: EvaluationResult, resolutions: Resolutions) -> None:
        self.result = result
        self.resolutions = resolutions


def decision(keep: ShowPolicy, reason: str, day: int) -> Decision:
    return Decision(CODE, "kobe", H29, Basis.ACTUAL, keep, reason, "office", datetime(2026, 12, day, 10, tzinfo=TOKYO))


def test_h29_overtime_is_one_case_of_three_prints_shown_as_published_by_default(
    result: EvaluationResult, found: tuple[Reconciliation, ...]
) -> None:
    resolutions = resolve(found, (), result.programme.show_when_differs)
    case = resolutions.case((CODE, "kobe", H29.key, Basis.ACTUAL))
    assert case is not None and case.verdict is Verdict.DIFFERS and len(case.reconciliations) == 3
    figure = official_figure(State(result, resolutions), CODE, "kobe", H29)
    assert figure is not None and figure.rule is Rule.POLICY and figure.published_is_official
    assert figure.official == Decimal("16.2") and figure.other == result.value(CODE, "kobe", H29)
    assert figure.beside() == "公表値16.2 / 再計算16.1"
    assert figure.beside("en") == "published 16.2 / recomputed 16.1"
    assert "方針により公表値を表示" in figure.note() and "1,971,477 ÷ 10,227 ÷ 12" in figure.note()
    assert marked("16.2", figure) == "16.2※（公表値16.2 / 再計算16.1）"
    columns = resolution_columns(resolutions, case.published)
    assert columns == {"basis": "実績", "official": "公表値16.2", "decided": "方針（公表値）"}


def test_the_policy_recomputed_shows_the_recomputation_first(
    result: EvaluationResult, found: tuple[Reconciliation, ...]
) -> None:
    state = State(result, resolve(found, (), ShowPolicy.RECOMPUTED))
    figure = official_figure(state, CODE, "kobe", H29)
    assert figure is not None and not figure.published_is_official
    assert figure.beside() == "再計算16.1 / 公表値16.2"
    assert shown_value(state, CODE, "kobe", H29, Decimal(0)) == result.value(CODE, "kobe", H29)
    assert "方針により再計算値を表示" in figure.note()


def test_the_latest_decision_rules_and_the_earlier_ones_stay_in_the_history(
    result: EvaluationResult, found: tuple[Reconciliation, ...]
) -> None:
    kept = decision(ShowPolicy.PUBLISHED, "対象人数の定義が変わったため", 2)
    corrected = decision(ShowPolicy.RECOMPUTED, "総時間÷人数÷12で訂正", 3)
    resolutions = resolve(found, (corrected, kept), ShowPolicy.PUBLISHED)  # in any order: by time
    case = resolutions.case((CODE, "kobe", H29.key, Basis.ACTUAL))
    assert case is not None and case.history == (kept, corrected) and case.decision == corrected
    figure = official_figure(State(result, resolutions), CODE, "kobe", H29)
    assert figure is not None and figure.rule is Rule.DECISION and not figure.published_is_official
    assert figure.official == result.value(CODE, "kobe", H29) and figure.other == Decimal("16.2")
    assert figure.note() == (
        "※公表値16.2を再計算値16.1（1,971,477 ÷ 10,227 ÷ 12 = 16.0643）に訂正しました。"
        "office、2026-12-03決定。理由: 総時間÷人数÷12で訂正"
    )
    earlier = resolve(found, (kept,), ShowPolicy.RECOMPUTED)  # as of before the correction
    figure = official_figure(State(result, earlier), CODE, "kobe", H29)
    assert figure is not None and figure.published_is_official and figure.reason == "対象人数の定義が変わったため"
    assert "正式な値としています" in figure.note() and "kept as official" in figure.note("en")


def test_figures_that_agree_or_cannot_be_recomputed_have_no_official_figure(
    result: EvaluationResult, found: tuple[Reconciliation, ...]
) -> None:
    state = State(result, resolve(found))
    assert official_figure(state, "mnc_rate", "kobe", fiscal_year(2021)) is None  # 51.1 agrees
    assert official_figure(state, "overtime_monthly_avg_yoy", "kobe", H29) is None  # needs H28
    assert official_figure(state, CODE, "kobe", fiscal_year(2018)) is None
    value = result.value(CODE, "kobe", fiscal_year(2018))
    assert value is not None and shown_value(state, CODE, "kobe", fiscal_year(2018), value) == value


def test_a_decision_on_a_plan_does_not_touch_the_actual_of_the_same_cell(
    result: EvaluationResult, found: tuple[Reconciliation, ...]
) -> None:
    plan_decision = replace(decision(ShowPolicy.RECOMPUTED, "計画の訂正", 2), basis=Basis.PLAN)
    state = State(result, resolve(found, (plan_decision,), ShowPolicy.PUBLISHED))
    figure = official_figure(state, CODE, "kobe", H29)
    assert figure is not None and figure.rule is Rule.POLICY  # H29 is an actual: the plan decision is elsewhere
