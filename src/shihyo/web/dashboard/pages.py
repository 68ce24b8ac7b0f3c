"""What the pages show, assembled from the evaluation (every number from the engine's result)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

import polars as pl

from shihyo.core import labels
from shihyo.core.charts.model import Names
from shihyo.core.charts.units import UnitBar, units_chart, units_vega
from shihyo.core.completeness import completeness, input_series
from shihyo.core.indicators import Indicator, IndicatorKind
from shihyo.core.model import OrgAggregation, OrgUnit, OrgUnitKind, Programme
from shihyo.core.numbers import to_decimal
from shihyo.core.overview import AreaCards, main_org_unit
from shihyo.core.periods import Grain, Period, parse_period
from shihyo.core.problems import UserError
from shihyo.core.summary_table import SummarySection, summary_table
from shihyo.core.summary_table import summary_years as core_summary_years
from shihyo.core.targets import Status
from shihyo.web.catalogue import repository
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.collection import services as collection


def available_periods(state: ProgrammeState) -> list[Period]:
    """Fiscal years and halves that have figures or are being collected in a round, oldest first."""
    keys = state.result.values.get_column("period").unique().to_list()
    periods = {parse_period(k) for k in keys} | set(collection.collected_periods(state.code))
    return sorted(p for p in periods if p.grain in (Grain.YEAR, Grain.HALF))


def query_string(params: Mapping[str, str], programme: str) -> str:
    """The programme, period, as-of and org unit parameters to carry over to the next page."""
    kept = {"programme": programme} | {k: params[k] for k in ("period", "as_of", "unit") if params.get(k)}
    return f"?{urlencode(kept)}"


@dataclass(frozen=True)
class ProgrammeChoice:
    """One entry of the header's programme switcher: its name and the query that opens it."""

    code: str
    name: str
    query: str
    current: bool


def _programme_label(programme: Programme, lang: str) -> str:
    """The programme's name led by the name of the body it belongs to (two cities' plans may be alike)."""
    en = lang == "en"
    name = (programme.name_en or programme.name) if en else programme.name
    unit = programme.org_unit_by_code().get(main_org_unit(programme))
    body = ((unit.name_en or unit.name) if en else unit.name) if unit else programme.organisation
    return name if not body or name.startswith(body) else f"{body}: {name}" if en else f"{body} {name}"


def programme_choices(
    state: ProgrammeState,
    period: Period | None,
    params: Mapping[str, str],
    lang: str,
    moment: Callable[[str], datetime | None] | None = None,
) -> list[ProgrammeChoice]:
    """Every loaded programme (none when only one is) at the same data date, and at the period chosen on
    this page when that programme has figures for it (else at its own report period). `moment` gives the
    moment each programme is evaluated at (default: this page's)."""
    codes = repository.programme_codes()
    if len(codes) < 2:
        return []
    choices = []
    for code in codes:
        try:
            other = state if code == state.code else evaluate_programme(code, moment(code) if moment else state.as_of)
        except UserError:  # that programme did not exist yet at this data date: not offered
            continue
        kept = {"as_of": params.get("as_of", "")}
        if params.get("period") and period is not None and period in available_periods(other):
            kept["period"] = period.key
        choices.append(
            ProgrammeChoice(code, _programme_label(other.programme, lang), query_string(kept, code), code == state.code)
        )
    return choices


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
    recorded_at: datetime
    code: str
    name: str
    period: Period
    kind: str
    old: str
    new: str
    recorded_by: str
    reason: str


def input_history(state: ProgrammeState, indicator: Indicator, org_unit: str, limit: int = 60) -> list[InputChange]:
    """Revisions of the raw series this indicator is computed from (newest first)."""
    programme = state.result.programme
    inputs = input_series(programme, indicator.code)
    previous: dict[tuple[str, str, str, str], str] = {}
    changes = []
    label = names(programme, "ja")
    for row in repository.input_revisions(state.code, inputs, org_unit, state.as_of):
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


@dataclass(frozen=True)
class UnitRow:
    """One org unit's figure on an indicator page: value, rank among its peers, share of the total."""

    unit: OrgUnit
    value: Decimal | None
    kind: str | None
    rank: int | None
    share: Decimal | None  # % of the parent's total, where the figure adds up
    state: str = ""  # the unit's state in the round collecting the period (未提出, 提出済, 承認済 …)
    pending: str = ""  # for the office only: what the unit entered and is not approved yet


def adds_up(programme: Programme, indicator: Indicator) -> bool:
    """Whether the units' values of an indicator add up to the total (a sum of summed series)."""
    if indicator.kind not in (IndicatorKind.VALUE, IndicatorKind.SUM):
        return False
    series = programme.series_by_code()
    return all(series[c].org_aggregation is OrgAggregation.SUM for c in input_series(programme, indicator.code))


def unit_rows(
    state: ProgrammeState, indicator: Indicator, org_unit: str, period: Period, lang: str, office: bool = False
) -> list[UnitRow]:
    """The units whose figures make up `org_unit`'s: its reporting units (or its children), ranked, each with
    its state in the round collecting the period; for the office also the figures entered but not approved."""
    programme = state.programme
    units = programme.org_unit_by_code()
    found = completeness(state.result, indicator.code, org_unit, period)
    codes = list(found.expected) if found else [u.code for u in programme.org_units if u.parent == org_unit]
    if not codes:
        return []
    values = state.result.values.filter(
        (pl.col("code").cast(pl.String) == indicator.code)
        & pl.col("org_unit").cast(pl.String).is_in(codes)
        & (pl.col("period").cast(pl.String) == period.key)
    )
    by_unit = {
        str(unit): (to_decimal(value), str(kind))
        for unit, kind, value in values.select("org_unit", "kind", "value").iter_rows()
    }
    in_round = collection.units_in_round(state.code, period)
    if not by_unit and not in_round:
        return []
    inputs = input_series(programme, indicator.code)
    total = state.result.value(indicator.code, org_unit, period) if adds_up(programme, indicator) else None
    ordered = sorted(by_unit.items(), key=lambda item: item[1][0], reverse=True)
    ranks = {code: n for n, (code, _) in enumerate(ordered, start=1)}
    rows = []
    for code in codes:
        value, kind = by_unit.get(code, (None, None))
        share = value / total * 100 if value is not None and total else None
        part = in_round.get(code)
        label = labels.label(part.state, lang) if part else ""
        pending = ""
        if office and part and part.entered:
            pending = " / ".join(f"{part.entered[s]}" for s in inputs if s in part.entered)
        rows.append(UnitRow(units[code], value, kind, ranks.get(code), share, label, pending))
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))


def units_chart_spec(
    state: ProgrammeState, indicator: Indicator, org_unit: str, rows: list[UnitRow], lang: str
) -> dict[str, object] | None:
    """The bar chart of the units' figures (the units table is its text alternative); None with fewer than two."""
    bars = [
        UnitBar(r.unit.code, Names(r.unit.name, r.unit.name_en), r.value, r.share) for r in rows if r.value is not None
    ]
    if len(bars) < 2:
        return None
    parent = state.programme.org_unit_by_code()[org_unit]
    title = Names(f"{indicator.name}（所属別）", f"{indicator.name_en or indicator.name} by org unit")
    chart = units_chart(title, indicator.unit, indicator.decimals, bars, Names(parent.name, parent.name_en))
    return units_vega(chart, lang)


def unit_choices(state: ProgrammeState) -> list[OrgUnit]:
    """The org units a reader can look at: every unit but benchmarks that has figures, the main unit first."""
    with_values = set(state.result.values.get_column("org_unit").cast(pl.String).unique().to_list())
    main = main_org_unit(state.programme)
    units = [u for u in state.programme.org_units if u.kind is not OrgUnitKind.BENCHMARK and u.code in with_values]
    return sorted(units, key=lambda u: u.code != main)


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


def summary_years(state: ProgrammeState) -> list[Period]:
    """The report's year columns (the programme's summary table definition), so that page and report agree."""
    return core_summary_years(state.result)


def summary_sections(state: ProgrammeState, years: list[Period], lang: str) -> list[SummarySection]:
    return summary_table(state.result, years, lang, state.resolutions)
