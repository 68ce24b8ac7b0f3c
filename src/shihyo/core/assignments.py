"""Who reports what: the org units that report each series, and the units whose value is a roll-up.

A series' `reported_by` lists org unit kinds ("ward") and org unit codes. A unit reports the series when
it matches an entry and none of its descendants does, so a parent whose children report never reports
itself: its value is their roll-up. Without `reported_by` the programme's top units report it.
Framework-free; collection rounds, validation, the engine's roll-ups and the pages all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from shihyo.core.model import OrgUnit, OrgUnitKind, Programme, Series

KINDS = frozenset(kind.value for kind in OrgUnitKind if kind is not OrgUnitKind.BENCHMARK)


def top_units(programme: Programme) -> tuple[str, ...]:
    """Units without a parent that are not benchmarks (the city)."""
    return tuple(u.code for u in programme.org_units if u.parent is None and u.kind is not OrgUnitKind.BENCHMARK)


def _matches(unit: OrgUnit, entries: Iterable[str]) -> bool:
    return any(entry == unit.code or entry == unit.kind.value for entry in entries)


@dataclass(frozen=True)
class Tree:
    """The org unit tree without benchmarks: parents and children by code."""

    parent: Mapping[str, str | None]
    children: Mapping[str, tuple[str, ...]]

    def ancestors(self, code: str) -> list[str]:
        found, seen = [], {code}
        while (parent := self.parent.get(code)) is not None and parent not in seen:
            found.append(parent)
            seen.add(parent)
            code = parent
        return found


def tree(programme: Programme) -> Tree:
    return _tree(programme.org_units)


@cache
def _tree(units: tuple[OrgUnit, ...]) -> Tree:
    kept = [u for u in units if u.kind is not OrgUnitKind.BENCHMARK]
    codes = {u.code for u in kept}
    parent = {u.code: (u.parent if u.parent in codes else None) for u in kept}
    children: dict[str, list[str]] = {u.code: [] for u in kept}
    for u in kept:
        up = parent[u.code]
        if up is not None:
            children[up].append(u.code)
    return Tree(parent, {code: tuple(kids) for code, kids in children.items()})


def reporters(programme: Programme, series: Series) -> tuple[str, ...]:
    """The org units that report the series themselves, in the order of org_units.yaml."""
    return _reporters(programme.org_units, series.reported_by)


@cache
def _reporters(units: tuple[OrgUnit, ...], entries: tuple[str, ...]) -> tuple[str, ...]:
    if not entries:
        return tuple(u.code for u in units if u.parent is None and u.kind is not OrgUnitKind.BENCHMARK)
    t = _tree(units)
    matching = {u.code for u in units if u.kind is not OrgUnitKind.BENCHMARK and _matches(u, entries)}
    covered = {a for code in matching for a in t.ancestors(code)}  # units with a matching descendant
    return tuple(u.code for u in units if u.code in matching and u.code not in covered)


def rolled_up_units(programme: Programme, series: Series) -> dict[str, tuple[str, ...]]:
    """For a series with `reported_by`: each unit above its reporters with the reporters below it."""
    if not series.reported_by:
        return {}
    t = tree(programme)
    below: dict[str, list[str]] = {}
    for code in reporters(programme, series):
        for ancestor in t.ancestors(code):
            below.setdefault(ancestor, []).append(code)
    return {code: tuple(found) for code, found in below.items()}


def relevant_units(programme: Programme, series: Series) -> frozenset[str]:
    """The reporters of a series and every unit above them: the units a roll-up runs over."""
    return frozenset(reporters(programme, series)) | frozenset(rolled_up_units(programme, series))


def reports(programme: Programme, series: Series, org_unit: str) -> bool:
    return org_unit in reporters(programme, series)


def series_reported_by(programme: Programme, org_unit: str, codes: Iterable[str] | None = None) -> tuple[str, ...]:
    """The series (of `codes`, default all) that the org unit reports, in catalogue order."""
    wanted = None if codes is None else set(codes)
    return tuple(
        s.code
        for s in programme.series
        if (wanted is None or s.code in wanted) and reports(programme, s, org_unit)
    )


def unknown_entries(programme: Programme, series: Series) -> list[str]:
    """Entries of `reported_by` that name neither an org unit kind nor an org unit (benchmarks never report)."""
    codes = {u.code for u in programme.org_units if u.kind is not OrgUnitKind.BENCHMARK}
    return [entry for entry in series.reported_by if entry not in KINDS and entry not in codes]
