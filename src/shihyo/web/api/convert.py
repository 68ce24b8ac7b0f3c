"""The core model and the evaluation as the API's plain shapes (dicts that match `schemas`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from shihyo.core.indicators import Indicator, describe
from shihyo.core.model import Area, OrgUnit, Phase, Programme, Series, Target
from shihyo.core.numbers import to_decimal
from shihyo.core.opendata import LICENCES
from shihyo.core.periods import parse_period
from shihyo.core.reconcile import Reconciliation
from shihyo.core.targets import TargetEvaluation
from shihyo.web.catalogue.evaluation import ProgrammeState


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def licence(programme: Programme) -> dict[str, str] | None:
    found = LICENCES.get(programme.licence)
    return None if found is None else {"id": found.id, "name": found.name, "url": found.url}


def programme_summary(state: ProgrammeState) -> dict[str, Any]:
    p = state.programme
    return {
        "code": p.code,
        "name": p.name,
        "name_en": p.name_en,
        "organisation": p.organisation,
        "municipality_code": p.municipality_code,
        "licence": licence(p),
        "base_period": p.base_period.key if p.base_period else None,
        "report_period": p.report_period.key if p.report_period else None,
        "data_version": str(state.version),
    }


def phase(item: Phase) -> dict[str, Any]:
    return {"code": item.code, "name": item.name, "start": item.start.key, "end": item.end.key}


def org_unit(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "name_en": unit.name_en,
        "kind": unit.kind.value,
        "parent": unit.parent,
    }


def programme_detail(state: ProgrammeState) -> dict[str, Any]:
    p = state.programme
    return {
        **programme_summary(state),
        "office": p.office,
        "wareki_style": p.wareki_style.value,
        "vision": p.vision,
        "phases": [phase(x) for x in p.phases],
        "org_units": [org_unit(u) for u in p.org_units],
    }


def _area(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "heading": area.heading,
        "indicators": list(area.indicators),
        "measures": [
            {
                "code": m.code,
                "name": m.name,
                "summary": list(m.summary),
                "tasks": [
                    {
                        "code": t.code,
                        "name": t.name,
                        "phase": t.phase.value if t.phase else None,
                        "new": t.new,
                        "owner_team": t.owner_team,
                    }
                    for t in m.tasks
                ],
            }
            for m in area.measures
        ],
    }


def roadmap(p: Programme) -> dict[str, Any]:
    return {
        "programme": p.code,
        "vision": p.vision,
        "vision_subtitle": p.vision_subtitle,
        "purposes": list(p.purposes),
        "goals": list(p.goals),
        "phases": [phase(x) for x in p.phases],
        "pillars": [
            {"code": x.code, "name": x.name, "subtitle": x.subtitle, "aim": x.aim, "areas": [_area(a) for a in x.areas]}
            for x in p.pillars
        ],
    }


def series(s: Series) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "name_en": s.name_en,
        "unit": s.unit,
        "decimals": s.decimals,
        "time_aggregation": s.time_aggregation.value,
        "org_aggregation": s.org_aggregation.value,
        "part_of": s.part_of,
        "relation": s.relation.value if s.relation else None,
        "reported_by": list(s.reported_by),
        "range": {"min": number(s.minimum), "max": number(s.maximum)},
        "note": s.note,
        "source": s.source,
    }


def target(t: Target) -> dict[str, Any]:
    return {
        "indicator": t.indicator,
        "kind": t.kind.value,
        "direction": t.direction.value,
        "base_period": t.base_period.key if t.base_period else None,
        "org_units": list(t.org_units),
        "points": [{"period": x.period.key, "value": float(x.value), "final": x.final} for x in t.points],
    }


def names_of(p: Programme, lang: str) -> dict[str, str]:
    en = lang == "en"
    found = {s.code: (s.name_en or s.name) if en else s.name for s in p.series}
    found.update({i.code: (i.name_en or i.name) if en else i.name for i in p.indicators})
    return found


def indicator(p: Programme, item: Indicator, lang: str) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "name_en": item.name_en,
        "unit": item.unit,
        "decimals": item.decimals,
        "kind": item.kind.value,
        "formula": describe(item.formula, names_of(p, lang), lang),
        "operands": list(item.operands),
        "description": item.description,
        "footnotes": list(item.footnotes),
        "targets": [target(t) for t in p.targets_of(item.code)],
    }


def values(state: ProgrammeState, frame: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    p = state.programme
    units = {s.code: s.unit for s in p.series} | {i.code: i.unit for i in p.indicators}
    style = p.wareki_style
    labels: dict[str, str] = {}
    rows = []
    for code, unit_code, period, fiscal_year, kind, value, is_indicator, provisional in frame.select(
        "code", "org_unit", "period", "fiscal_year", "kind", "value", "is_indicator", "provisional"
    ).iter_rows():
        rows.append(
            {
                "code": code,
                "is_indicator": bool(is_indicator),
                "org_unit": unit_code,
                "period": period,
                "period_label": labels.get(period)
                or labels.setdefault(period, parse_period(period).label(style, lang)),
                "fiscal_year": int(fiscal_year),
                "kind": kind,
                "value": float(to_decimal(value)),
                "unit": units.get(code, ""),
                "provisional": bool(provisional),
            }
        )
    return rows


def judgement(p: Programme, item: TargetEvaluation, lang: str) -> dict[str, Any]:
    style = p.wareki_style
    return {
        "indicator": item.indicator,
        "org_unit": item.org_unit,
        "period": item.period.key,
        "period_label": item.period.label(style, lang),
        "kind": item.kind,
        "value": float(item.value),
        "status": item.status.value,
        "compared_with": float(item.compared_with),
        "compared_period": item.compared_period.key,
        "margin": float(item.margin),
        "final_period": item.final.period.key,
        "final_value": float(item.final.value),
        "met_final": item.met_final,
        "years_ahead": item.years_ahead,
    }


def reconciliation(p: Programme, item: Reconciliation, lang: str) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "org_unit": item.org_unit,
        "period": item.period.key,
        "period_label": item.period.label(p.wareki_style, lang),
        "source": item.source,
        "reported_text": item.reported_text,
        "reported": float(item.reported),
        "precision": float(item.precision),
        "computed": number(item.computed),
        "computed_rounded": number(item.computed_rounded),
        "verdict": item.verdict.value,
        "formula": item.formula,
        "working": item.working,
    }
