"""Deciding a case: a published figure that differs from its recomputation is kept or corrected.

The CLI (`shihyo resolve`) and the dashboard's reconciliation page both call `decide`, which checks the case
against the current evaluation and records the decision through the repository.
"""

from __future__ import annotations

from datetime import datetime

from shihyo.core.model import ShowPolicy
from shihyo.core.official import Case, Decision
from shihyo.core.periods import Period
from shihyo.core.problems import UserError
from shihyo.core.reconcile import Basis, Verdict, show_like
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.catalogue.repository import record_decision


def differing_case(code: str, figure: str, org_unit: str, period: Period, basis: Basis) -> Case:
    """The case of one figure as it stands now; a clear error when that figure has no disagreement."""
    state = evaluate_programme(code)
    case = state.resolutions.case((figure, org_unit, period.key, basis))
    style = state.programme.wareki_style
    what_ja = f"{figure}（{org_unit}、{period.label(style)}、{'計画' if basis is Basis.PLAN else '実績'}）"
    what_en = f"{figure} ({org_unit}, {period.label(style, 'en')}, {basis.value})"
    if case is None:
        raise UserError(
            ja=f"{what_ja}の公表値はありません。`shihyo reconcile --all` で公表値の一覧を確かめてください",
            en=f"{what_en} has no published figure: see `shihyo reconcile --all` for the list",
        )
    if case.verdict is not Verdict.DIFFERS:
        state_ja = "再計算値と一致しています" if case.verdict is Verdict.AGREES else "データから再計算できません"
        state_en = "agrees with its recomputation" if case.verdict is Verdict.AGREES else "cannot be recomputed"
        raise UserError(
            ja=f"{what_ja}の公表値は{state_ja}。判断が必要なのは食い違う公表値だけです",
            en=f"the published {what_en} {state_en}: only figures that differ are decided",
        )
    return case


def decide(
    code: str,
    figure: str,
    org_unit: str,
    period: Period,
    basis: Basis,
    *,
    keep: ShowPolicy,
    reason: str,
    by: str,
    now: datetime,
) -> Decision:
    """Record that the published figure is kept as official, or corrected to the recomputation."""
    case = differing_case(code, figure, org_unit, period, basis)
    published = case.published
    decision = Decision(
        code=figure,
        org_unit=org_unit,
        period=period,
        basis=basis,
        keep=keep,
        reason=reason.strip(),
        decided_by=by,
        decided_at=now,
        published_text=published.reported_text,
        recomputed_text=show_like(published.reported_text, published.computed_rounded),
    )
    record_decision(code, decision)
    return decision
