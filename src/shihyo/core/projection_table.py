"""Rows of the projection table (CLI, golden file, downloads): one per target point ahead of the latest actual."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shihyo.core.engine import EvaluationResult
from shihyo.core.judgement_text import projection_text
from shihyo.core.projection import Projection

PROJECTION_COLUMNS = (
    "indicator",
    "name",
    "org_unit",
    "target_period",
    "target",
    "final",
    "method",
    "inputs",
    "projected",
    "observed_pace",
    "required_pace",
    "ratio",
    "outlook",
    "verdict",
)


def projection_rows(found: Sequence[Projection], result: EvaluationResult, lang: str = "ja") -> list[dict[str, Any]]:
    indicators = result.programme.indicator_by_code()
    style = result.programme.wareki_style
    rows = []
    for p in found:
        indicator = indicators.get(p.indicator)
        if indicator is None:
            continue
        t = projection_text(p, indicator, style, lang)
        name = (indicator.name_en or indicator.name) if lang == "en" else indicator.name
        rows.append(
            {
                "indicator": p.indicator,
                "name": name,
                "org_unit": p.org_unit,
                "target_period": p.target_period.label(style, lang),
                "target": t.target,
                "final": ("最終" if lang == "ja" else "final") if p.final else "",
                "method": t.method,
                "inputs": t.inputs,
                "projected": t.projected,
                "observed_pace": t.observed,
                "required_pace": t.required,
                "ratio": t.ratio,
                "outlook": t.outlook,
                "verdict": t.verdict,
            }
        )
    return rows
