"""How complete a rolled-up figure is: which reporting units below an org unit have sent their part.

A figure of an org unit is provisional while some of the units that report its input series (those
with `reported_by`) have no value for the period: "9区中3区". Framework-free; the dashboard cards, the
indicator pages and the reports say the same thing because they all ask here. Every count comes from
the engine's values: a unit counts as in when it has a value for every rolled-up input series.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from shihyo.core import assignments
from shihyo.core.engine import EvaluationResult
from shihyo.core.model import OrgUnitKind, Programme
from shihyo.core.periods import Period


@dataclass(frozen=True)
class Completeness:
    org_unit: str
    period: Period
    expected: tuple[str, ...]  # the reporting units below org_unit, in org_units.yaml order
    reported: tuple[str, ...]  # those that have sent every rolled-up input

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(u for u in self.expected if u not in self.reported)

    @property
    def complete(self) -> bool:
        return not self.missing


def input_series(programme: Programme, code: str) -> tuple[str, ...]:
    """The raw series a series or indicator is computed from, in catalogue order."""
    series = programme.series_by_code()
    indicators = programme.indicator_by_code()
    found: set[str] = set()
    todo, seen = [code], set()
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        if item in series:
            found.add(item)
        elif item in indicators:
            todo.extend(indicators[item].operands)
    return tuple(s.code for s in programme.series if s.code in found)


def completeness(result: EvaluationResult, code: str, org_unit: str, period: Period) -> Completeness | None:
    """Which reporting units below `org_unit` are in for `code` in `period`; None when nothing rolls up to it."""
    programme = result.programme
    by_code = programme.series_by_code()
    rolled = [
        (s, below)
        for s in input_series(programme, code)
        if (below := assignments.rolled_up_units(programme, by_code[s]).get(org_unit))
    ]
    if not rolled:
        return None
    expected = [u.code for u in programme.org_units if any(u.code in below for _, below in rolled)]
    present = (
        result.values.filter(
            pl.col("code").cast(pl.String).is_in([s for s, _ in rolled])
            & pl.col("org_unit").cast(pl.String).is_in(expected)
            & (pl.col("period").cast(pl.String) == period.key)
            & (pl.col("kind").cast(pl.String) != "plan")
        )
        .select(pl.col("code").cast(pl.String), pl.col("org_unit").cast(pl.String))
        .unique()
    )
    have: dict[str, set[str]] = {}
    for series_code, unit in present.iter_rows():
        have.setdefault(unit, set()).add(series_code)
    reported = [u for u in expected if all(u not in below or s in have.get(u, set()) for s, below in rolled)]
    return Completeness(org_unit, period, tuple(expected), tuple(reported))


UNIT_WORDS = {
    OrgUnitKind.WARD: ("区", "ward", "wards"),
    OrgUnitKind.BUREAU: ("局", "bureau", "bureaus"),
    OrgUnitKind.DEPARTMENT: ("所属", "department", "departments"),
    OrgUnitKind.OFFICE: ("所属", "office", "offices"),
    OrgUnitKind.CITY: ("市", "city", "cities"),
}


def describe(programme: Programme, found: Completeness, lang: str) -> str:
    """「9区中3区」 / "3 of 9 wards" (units of one kind), else 「12所属中5所属」 / "5 of 12 units"."""
    kinds = {programme.org_unit_by_code()[u].kind for u in found.expected}
    ja_word, one, many = UNIT_WORDS.get(kinds.pop(), ("所属", "unit", "units")) if len(kinds) == 1 else (
        "所属",
        "unit",
        "units",
    )
    total, done = len(found.expected), len(found.reported)
    if lang == "ja":
        return f"{total}{ja_word}中{done}{ja_word}"
    return f"{done} of {total} {one if total == 1 else many}"
