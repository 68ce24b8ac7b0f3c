"""How official figures read in rows and cells: the columns of `shihyo reconcile` and a cell's mark."""

from __future__ import annotations

from typing import Any

from shihyo.core.clock import TOKYO
from shihyo.core.official import OfficialFigure, Resolutions, Rule
from shihyo.core.reconcile import Basis, Reconciliation

MARK = "※"


def basis_label(basis: Basis, lang: str = "ja") -> str:
    if lang == "ja":
        return "計画" if basis is Basis.PLAN else "実績"
    return basis.value


def decided_text(figure: OfficialFigure, policy_value: str, lang: str = "ja") -> str:
    """Who or what decided: 「方針（公表値）」 or 「office 2026-12-02: 人数の定義変更」."""
    if figure.rule is Rule.POLICY:
        if lang == "ja":
            return f"方針（{'公表値' if policy_value == 'published' else '再計算値'}）"
        return f"policy (show: {policy_value})"
    when = f"{figure.decided_at.astimezone(TOKYO):%Y-%m-%d %H:%M}" if figure.decided_at else ""
    return f"{figure.decided_by} {when}: {figure.reason}"


def official_text(figure: OfficialFigure, lang: str = "ja") -> str:
    """The official value named by what it is: 「公表値16.2」 / "recomputed 16.1"."""
    if figure.published_is_official:
        return f"公表値{figure.published_text}" if lang == "ja" else f"published {figure.published_text}"
    return f"再計算{figure.recomputed_text}" if lang == "ja" else f"recomputed {figure.recomputed_text}"


def resolution_columns(resolutions: Resolutions, r: Reconciliation, lang: str = "ja") -> dict[str, Any]:
    """The resolution columns of one reconciliation row (empty where its figure does not differ)."""
    figure = resolutions.figure(r.code, r.org_unit, r.period, r.basis)
    return {
        "basis": basis_label(r.basis, lang),
        "official": official_text(figure, lang) if figure else "",
        "decided": decided_text(figure, resolutions.policy.value, lang) if figure else "",
    }


def marked(display: str, figure: OfficialFigure | None, lang: str = "ja") -> str:
    """A cell's text with the other value beside it: 「16.2※（公表値16.2 / 再計算16.1）」."""
    if figure is None:
        return display
    return f"{display}{MARK}（{figure.beside(lang)}）" if lang == "ja" else f"{display}{MARK} ({figure.beside(lang)})"
