"""Rows for people and files: the long indicator table, reconciliations and target judgements.

Shared by the CLI and (later) the web and reports so that every surface shows the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.indicators import IndicatorKind
from shihyo.core.labels import label
from shihyo.core.numbers import to_decimal
from shihyo.core.periods import parse_period
from shihyo.core.reconcile import Reconciliation, show, show_like
from shihyo.core.targets import TargetEvaluation

CHANGE_KINDS = {IndicatorKind.YOY_CHANGE, IndicatorKind.CHANGE_VS_BASE, IndicatorKind.POINT_DIFFERENCE}


def _names(result: EvaluationResult, lang: str) -> dict[str, tuple[str, str, int]]:
    """code → (name, unit, decimals) for series and indicators."""
    en = lang == "en"
    names = {s.code: ((s.name_en or s.name) if en else s.name, s.unit, s.decimals) for s in result.programme.series}
    for i in result.programme.indicators:
        names[i.code] = ((i.name_en or i.name) if en else i.name, i.unit, i.decimals)
    return names


def indicator_rows(
    result: EvaluationResult, lang: str = "ja", include_series: bool = False, codes: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One row per code, org unit and period, in definition order then period order."""
    names = _names(result, lang)
    order = {i.code: n for n, i in enumerate(result.programme.indicators)}
    if include_series:
        offset = len(order)
        order.update({s.code: offset + n for n, s in enumerate(result.programme.series)})
    frame = result.values
    if not include_series:
        frame = frame.filter(pl.col("is_indicator"))
    if codes:
        frame = frame.filter(pl.col("code").is_in(list(codes)))
    frame = frame.with_columns(pl.col("code").replace_strict(order, default=len(order)).alias("_order"))
    frame = frame.sort(
        ["_order", "org_unit", "fiscal_year", "grain", "index"], descending=[False, False, False, True, False]
    )
    style = result.programme.wareki_style
    changes = {i.code for i in result.programme.indicators if i.kind in CHANGE_KINDS}
    period_labels: dict[str, str] = {}  # a programme has few periods and many rows: each labelled once
    rows = []
    for code, org_unit, period, fiscal_year, kind, value in frame.select(
        "code", "org_unit", "period", "fiscal_year", "kind", "value"
    ).iter_rows():
        name, unit, decimals = names[code]
        exact = to_decimal(value)
        if period not in period_labels:
            period_labels[period] = parse_period(period).label(style, lang)
        rows.append(
            {
                "indicator": code,
                "name": name,
                "org_unit": org_unit,
                "period": period,
                "period_label": period_labels[period],
                "fiscal_year": fiscal_year,
                "kind": kind,
                "value": f"{exact.normalize():f}",
                "unit": unit,
                "display": format_value(exact, unit, decimals, lang, signed=code in changes),
            }
        )
    return rows


def reconciliation_rows(
    found: Sequence[Reconciliation], result: EvaluationResult, lang: str = "ja"
) -> list[dict[str, Any]]:
    style = result.programme.wareki_style
    return [
        {
            "verdict": label(r.verdict, lang) if lang == "ja" else r.verdict.value,
            "code": r.code,
            "name": r.name,
            "org_unit": r.org_unit,
            "period": r.period.label(style, lang),
            "source": r.source,
            "reported": r.reported_text,
            "recomputed": show_like(r.reported_text, r.computed_rounded),
            "recomputed_full": show(r.computed),
            "formula": r.formula,
            "working": r.working,
        }
        for r in found
    ]


def target_rows(
    evaluations: Sequence[TargetEvaluation], result: EvaluationResult, lang: str = "ja"
) -> list[dict[str, Any]]:
    """One row per judged value: the target it is judged against (set, or the binding path), the guide value
    interpolated for its year (目安（直線補間）, never shown as a set target), 進捗率, grade, the final target."""
    names = _names(result, lang)
    style = result.programme.wareki_style
    guide_word = "目安（直線補間）" if lang == "ja" else "guide (linear interpolation)"
    rows = []
    for e in evaluations:
        name, unit, decimals = names.get(e.indicator, (e.indicator, "", 1))
        margin_unit = "ポイント" if unit in ("%", "％") else unit
        set_word = guide_word if not e.judged_set else ("設定目標" if lang == "ja" else "set")
        rows.append(
            {
                "indicator": e.indicator,
                "name": name,
                "org_unit": e.org_unit,
                "period": e.period.label(style, lang),
                "kind": e.kind,
                "value": format_value(e.value, unit, decimals, lang),
                "target_period": e.compared_period.label(style, lang),
                "target": format_value(e.compared_with, unit, decimals, lang),
                "target_kind": set_word,
                "status": label(e.status, lang) if lang == "ja" else e.status.value,
                "margin": format_value(e.margin, margin_unit, decimals, lang, signed=True),
                "years_ahead": e.years_ahead,
                "guide": "" if e.guide is None else f"{guide_word} {format_value(e.guide, unit, decimals, lang)}",
                "progress": "" if e.progress is None else format_value(e.progress, "%", 1, lang),
                "grade": "" if e.grade is None else (e.grade.name_en if lang == "en" else "") or e.grade.grade,
                "final_target": " ".join(
                    (e.final.period.label(style, lang), format_value(e.final.value, unit, decimals, lang))
                ),
            }
        )
    return rows
