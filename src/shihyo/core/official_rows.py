"""How official figures read in rows and cells: the columns of `shihyo reconcile` and a cell's mark."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shihyo.core.charts.table import ChartTable
from shihyo.core.clock import TOKYO
from shihyo.core.formatting import format_value
from shihyo.core.official import HasResolutions, OfficialFigure, Resolutions, Rule, official_figure
from shihyo.core.periods import Period, WarekiStyle
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


def mark_table(table: ChartTable, state: HasResolutions, lang: str = "ja") -> tuple[ChartTable, tuple[str, ...]]:
    """A chart's data table with each disputed cell showing its official value and the other value beside it
    (「16.2※1（公表値16.2 / 再計算16.1）」), and the numbered notes that say which is official and why."""
    notes: list[str] = []
    rows = []
    for row in table.rows:
        cells = []
        for column, cell in zip(table.columns, row.cells, strict=True):
            figure = None if cell.value is None else official_figure(state, column.code, column.org_unit, row.period)
            if figure is None:
                cells.append(cell)
                continue
            notes.append(figure.note(lang).replace(MARK, f"{MARK}{len(notes) + 1} ", 1))
            shown = format_value(figure.official, column.unit, column.decimals, lang)
            beside = f"（{figure.beside(lang)}）" if lang == "ja" else f" ({figure.beside(lang)})"
            cells.append(replace(cell, value=figure.official, text=f"{shown}{MARK}{len(notes)}{beside}"))
        rows.append(replace(row, cells=tuple(cells)))
    return replace(table, rows=tuple(rows)), tuple(notes)


def indicator_notes(
    state: HasResolutions, code: str, org_unit: str, style: WarekiStyle, lang: str = "ja"
) -> tuple[str, ...]:
    """One line per disputed figure of an indicator and unit, in period order: for report footnotes."""
    figures = sorted(
        (f for f in state.resolutions.figures.values() if f.code == code and f.org_unit == org_unit),
        key=lambda f: (f.period.fiscal_year, f.period.key, f.basis.value),
    )
    lines = []
    for f in figures:
        what = f.period.label(style, lang)
        if f.basis is Basis.PLAN:
            what += "（計画）" if lang == "ja" else " (plan)"
        lines.append(f"{MARK}{what}{'：' if lang == 'ja' else ': '}{f.note(lang).removeprefix(MARK)}")
    return tuple(lines)


def official_display(
    state: HasResolutions, code: str, org_unit: str, period: Period | str, unit: str, decimals: int, lang: str = "ja"
) -> tuple[str, str] | None:
    """For a long table row: the official value as shown with its mark, and the note; None if undisputed."""
    figure = official_figure(state, code, org_unit, period)
    if figure is None:
        return None
    return marked(format_value(figure.official, unit, decimals, lang), figure, lang), figure.note(lang)


OFFICIAL_COLUMNS = ["official", "published", "recomputed", "note"]


def with_official(rows: list[dict[str, Any]], state: HasResolutions, lang: str = "ja") -> list[dict[str, Any]]:
    """Rows of `tables.indicator_rows` as published: where a published figure differs from its
    recomputation, `display` is the official figure with its mark, and the columns `official` (which one
    is: published | recomputed), `published`, `recomputed` and `note` keep the other value beside it;
    `value` stays the exact recomputation (a number to compute with)."""
    programme = state.result.programme
    decimals = {s.code: s.decimals for s in programme.series}
    decimals.update({i.code: i.decimals for i in programme.indicators})
    out = []
    for row in rows:
        basis = Basis.PLAN if row["kind"] == "plan" else Basis.ACTUAL
        figure = state.resolutions.figure(row["indicator"], row["org_unit"], row["period"], basis)
        if figure is None:
            out.append({**row, **dict.fromkeys(OFFICIAL_COLUMNS, "")})
            continue
        shown = format_value(figure.official, row["unit"], decimals.get(row["indicator"], 0), lang)
        out.append(
            {
                **row,
                "display": marked(shown, figure, lang),
                "official": figure.official_is.value,
                "published": figure.published_text,
                "recomputed": figure.recomputed_text,
                "note": figure.note(lang),
            }
        )
    return out
