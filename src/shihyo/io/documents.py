"""The core model written back as plain documents (the inverse of `definitions.py`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, assert_never

from shihyo.core import indicators as ind
from shihyo.core.indicators import Base, Formula, Indicator
from shihyo.core.model import Area, Measure, OrgUnit, Pillar, Programme, Series, Target, Task, Team
from shihyo.core.periods import Period
from shihyo.io.judgement import judgement_document


def _drop_empty(doc: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Leave out fields at their defaults so exported files stay as short as hand-written ones."""
    return {k: v for k, v in doc.items() if k in keep or v not in ("", None, [], (), {})}


def _key(period: Period | None) -> str | None:
    return period.key if period else None


def _number(value: Decimal) -> str:
    return str(value)


def programme_document(p: Programme) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": p.code,
            "name": p.name,
            "name_en": p.name_en,
            "organisation": p.organisation,
            "municipality_code": p.municipality_code,
            "licence": p.licence,
            "office": p.office,
            "wareki_style": p.wareki_style.value,
            "base_period": _key(p.base_period),
            "report_period": _key(p.report_period),
            **judgement_document(p.target_path, p.grades, p.projection),
            "reconciliation": {"show": p.show_when_differs.value} if p.show_when_differs else None,
            "note": p.note,
            "phases": [{"code": ph.code, "name": ph.name, "start": ph.start.key, "end": ph.end.key} for ph in p.phases],
            "vision": p.vision,
            "vision_subtitle": p.vision_subtitle,
            "purposes": list(p.purposes),
            "goals": list(p.goals),
            "pillars": [_pillar(x) for x in p.pillars],
        }
    )


def _pillar(p: Pillar) -> dict[str, Any]:
    return _drop_empty(
        {"code": p.code, "name": p.name, "subtitle": p.subtitle, "aim": p.aim, "areas": [_area(a) for a in p.areas]}
    )


def _area(a: Area) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": a.code,
            "name": a.name,
            "heading": a.heading,
            "indicators": list(a.indicators),
            "measures": [_measure(m) for m in a.measures],
        }
    )


def _measure(m: Measure) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": m.code,
            "name": m.name,
            "summary": list(m.summary),
            "tasks": [_task(t) for t in m.tasks],
            "note": m.note,
        }
    )


def _task(t: Task) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": t.code,
            "name": t.name,
            "phase": t.phase.value if t.phase else None,
            "new": t.new,
            "owner_team": t.owner_team,
            "note": t.note,
        },
        keep=("phase", "new", "owner_team"),
    )


def org_unit_document(o: OrgUnit) -> dict[str, Any]:
    return _drop_empty({"code": o.code, "name": o.name, "name_en": o.name_en, "kind": o.kind.value, "parent": o.parent})


def team_document(t: Team) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": t.code,
            "name": t.name,
            "kind": t.kind.value,
            "started": _key(t.started),
            "members": list(t.members),
            "member_roles": list(t.member_roles),
            "projects": list(t.projects),
            "mission": list(t.mission),
            "note": t.note,
        }
    )


def series_document(s: Series) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": s.code,
            "name": s.name,
            "name_en": s.name_en,
            "unit": s.unit,
            "decimals": s.decimals,
            "time_aggregation": s.time_aggregation.value,
            "org_aggregation": s.org_aggregation.value,
            "part_of": s.part_of,
            "relation": s.relation.value if s.relation else None,
            "note": s.note,
            "source": s.source,
            "reported_by": list(s.reported_by),
            "range": _drop_empty(
                {
                    "min": _number(s.minimum) if s.minimum is not None else None,
                    "max": _number(s.maximum) if s.maximum is not None else None,
                }
            ),
        },
        keep=("unit", "decimals"),
    )


def _base(base: Base) -> dict[str, str]:
    if isinstance(base, ind.BasePeriod):
        return {"period": base.period.key}
    return {"series": base.code} | ({"period": base.period.key} if base.period else {})


def formula_fields(f: Formula) -> dict[str, Any]:
    match f:
        case ind.SeriesValue(of) | ind.YearOverYearChange(of) | ind.Cumulative(of):
            return {"of": of}
        case ind.Ratio(numerator, denominator, factor):
            doc: dict[str, Any] = {"numerator": numerator, "denominator": denominator}
            return doc if factor == 1 else {**doc, "factor": _number(factor)}
        case ind.Share(part, total):
            return {"part": part, "total": total}
        case ind.SumOf(parts):
            return {"parts": list(parts)}
        case ind.ChangeVsBase(of, base, mode):
            return {"of": of, "base": "previous_year" if base is None else _base(base), "mode": mode.value}
        case ind.PointDifference(of, against):
            return {"of": of, "against": "previous_year" if against is None else _base(against)}
        case ind.PerCapitaPerMonth(total, headcount):
            return {"total": total, "headcount": headcount}
        case ind.IndexToBase(of, base):
            return {"of": of, "base": _base(base)}
        case ind.Coverage(of, _, universe_text):
            return {"of": of, "universe": universe_text}
        case ind.Effect(of, factor, divisor):
            doc = {"of": of, "factor": _number(factor)}
            return doc if divisor == 1 else {**doc, "divisor": _number(divisor)}
        case ind.Expression(text, _):
            return {"expr": text}
        case _:
            assert_never(f)


def indicator_document(i: Indicator) -> dict[str, Any]:
    head = {
        "code": i.code,
        "name": i.name,
        "name_en": i.name_en,
        "unit": i.unit,
        "decimals": i.decimals,
        "kind": i.kind.value,
    }
    tail: dict[str, Any] = {"description": i.description, "footnotes": list(i.footnotes), "note": i.note}
    if i.chart is not None:
        chart = {
            "kind": i.chart.kind.value,
            "bars": i.chart.bars,
            "parts": list(i.chart.parts),
            "compare": list(i.chart.compare),
        }
        tail["chart"] = _drop_empty(chart)
    return _drop_empty({**head, **formula_fields(i.formula), **tail}, keep=("unit", "decimals"))


def target_document(t: Target) -> dict[str, Any]:
    points = []
    for p in t.points:
        point: dict[str, Any] = {"period": p.period.key, "value": _number(p.value)}
        if p.final:
            point["final"] = True
        points.append(point)
    return _drop_empty(
        {
            "indicator": t.indicator,
            "kind": t.kind.value,
            "base_period": _key(t.base_period),
            "direction": t.direction.value,
            "org_units": list(t.org_units),
            "path": t.path.value if t.path else None,
            "points": points,
            "source": t.source,
            "note": t.note,
        }
    )
