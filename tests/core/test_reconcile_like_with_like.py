"""A published plan is compared with plan values only, a published actual with actuals only."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset, Observation, ObservationKind
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Basis, Reconciliation, Verdict, plan_result, reconcile
from shihyo.io.directory import read_programme_dir

KOBE = Path(__file__).parents[2] / "src" / "shihyo" / "examples" / "kobe"
R4 = fiscal_year(2022)


@pytest.fixture(scope="module")
def kobe() -> Dataset:
    return read_programme_dir(KOBE)


def _with_r4_actual(kobe: Dataset) -> Dataset:
    """R4 actuals approved: the My Number card rate came in at 67.0 %, below the published plan of 75.0."""
    actual = Observation(
        code="mnc_rate_published",
        org_unit="kobe",
        period=R4,
        kind=ObservationKind.ACTUAL,
        value=Decimal("67.0"),
        text="67.0",
        precision=Decimal("0.1"),
    )
    return replace(kobe, observations=(*kobe.observations, actual))


def _r4_card_rate(found: tuple[Reconciliation, ...]) -> Reconciliation:
    (row,) = [r for r in found if r.code == "mnc_rate" and r.period == R4]
    return row


def test_the_r4_plan_is_a_published_plan_and_agrees_with_the_plan(kobe: Dataset) -> None:
    request = EvaluationRequest(kobe.programme, revisions_frame(kobe.observations))
    result = evaluate(request)
    assert plan_result(request, result) is None  # every published plan is still a plan: nothing more to evaluate
    row = _r4_card_rate(reconcile(result))
    assert row.basis is Basis.PLAN and row.verdict is Verdict.AGREES and row.computed_rounded == Decimal("75.0")


def test_after_r4_actuals_come_in_the_plan_is_still_compared_with_the_plan(kobe: Dataset) -> None:
    data = _with_r4_actual(kobe)
    request = EvaluationRequest(data.programme, revisions_frame(data.observations))
    result = evaluate(request)
    assert result.value("mnc_rate", "kobe", R4) == Decimal("67.0") and result.kind("mnc_rate", "kobe", R4) == "actual"
    plans = plan_result(request, result)
    assert plans is not None
    row = _r4_card_rate(reconcile(result, plans))
    assert row.verdict is Verdict.AGREES  # 75.0 planned = 75.0 published: no 不一致 against the actual 67
    assert row.computed == Decimal("75.0") and "75" in row.working
    # without the plan view there is no plan left to compare with: not computable, never "differs" vs 67
    assert _r4_card_rate(reconcile(result)).verdict is Verdict.NOT_COMPUTABLE


def test_a_published_actual_is_never_compared_with_a_plan(kobe: Dataset) -> None:
    published = Observation(
        code="cert_total",
        org_unit="kobe",
        period=R4,
        kind=ObservationKind.REPORTED,  # marked as an actual although R4 has only plans so far
        value=Decimal("1998500"),
        text="1998500",
        precision=Decimal("1"),
        source="a published actual",
    )
    data = replace(kobe, observations=(*kobe.observations, published))
    result = evaluate(EvaluationRequest(data.programme, revisions_frame(data.observations)))
    rows = [r for r in reconcile(result) if r.code == "cert_total" and r.period == R4]
    by_basis = {r.basis: r.verdict for r in rows}
    assert by_basis[Basis.ACTUAL] is Verdict.NOT_COMPUTABLE  # the R4 value is a plan, not an actual
    assert by_basis[Basis.PLAN] is Verdict.AGREES
