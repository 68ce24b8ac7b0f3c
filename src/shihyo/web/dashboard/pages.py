"""What the pages show, assembled from the evaluation (every number from the engine's result)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from shihyo.core.indicators import Indicator
from shihyo.core.model import OrgUnit, Programme
from shihyo.core.overview import AreaCards
from shihyo.core.periods import Grain, Period, parse_period
from shihyo.core.summary_table import SummarySection, summary_table
from shihyo.core.targets import Status
from shihyo.web.catalogue import models
from shihyo.web.dashboard.services import DashboardState


def available_periods(state: DashboardState) -> list[Period]:
    """Fiscal years and halves that have figures, oldest first."""
    keys = state.result.values.get_column("period").unique().to_list()
    periods = {parse_period(k) for k in keys}
    return sorted(p for p in periods if p.grain in (Grain.YEAR, Grain.HALF))


def query_string(params: Mapping[str, str]) -> str:
    """The period and as-of parameters to carry over to the next page."""
    kept = {k: params[k] for k in ("period", "as_of") if params.get(k)}
    return f"?{urlencode(kept)}" if kept else ""


def status_counts(groups: tuple[AreaCards, ...]) -> dict[str, int]:
    counts = Counter(c.status.value for g in groups for c in g.cards)
    return {s.value: counts.get(s.value, 0) for s in Status}


def names(programme: Programme, lang: str) -> dict[str, str]:
    en = lang == "en"
    found = {s.code: (s.name_en or s.name) if en else s.name for s in programme.series}
    found.update({i.code: (i.name_en or i.name) if en else i.name for i in programme.indicators})
    return found


@dataclass(frozen=True)
class InputChange:
    recorded_at: Any
    code: str
    name: str
    period: Period
    kind: str
    old: str
    new: str
    recorded_by: str
    reason: str


def input_history(state: DashboardState, indicator: Indicator, org_unit: str, limit: int = 60) -> list[InputChange]:
    """Revisions of the raw series this indicator is computed from (newest first)."""
    programme = state.result.programme
    series = programme.series_by_code()
    indicators = programme.indicator_by_code()
    inputs: set[str] = set()
    todo = [indicator.code]
    while todo:
        code = todo.pop()
        if code in series:
            inputs.add(code)
        elif code in indicators:
            todo.extend(indicators[code].operands)
    rows = models.ObservationRevision.objects.filter(
        programme__code=programme.code, code__in=sorted(inputs), org_unit=org_unit
    ).exclude(kind="reported")
    if state.stored.as_of is not None:
        rows = rows.filter(recorded_at__lte=state.stored.as_of)
    previous: dict[tuple[str, str, str, str], str] = {}
    changes = []
    label = names(programme, "ja")
    for row in rows.order_by("recorded_at", "id"):
        key = (row.code, row.period, row.kind, row.source)
        new = row.text if row.value is not None else "―"
        changes.append(
            InputChange(
                row.recorded_at,
                row.code,
                label.get(row.code, row.code),
                parse_period(row.period),
                row.kind,
                previous.get(key, ""),
                new,
                row.recorded_by,
                row.reason,
            )
        )
        previous[key] = new
    return list(reversed(changes))[:limit]


@dataclass
class OrgNode:
    unit: OrgUnit
    children: list[OrgNode] = field(default_factory=list)


def org_tree(programme: Programme) -> list[OrgNode]:
    nodes = {u.code: OrgNode(u) for u in programme.org_units}
    roots = []
    for unit in programme.org_units:
        if unit.parent and unit.parent in nodes:
            nodes[unit.parent].children.append(nodes[unit.code])
        else:
            roots.append(nodes[unit.code])
    return roots


def summary_years(state: DashboardState) -> list[Period]:
    return [p for p in available_periods(state) if p.grain is Grain.YEAR]


def summary_sections(state: DashboardState, years: list[Period], lang: str) -> list[SummarySection]:
    return summary_table(state.result, years, lang)
