"""Checks across the files of a programme: references, duplicates, cycles and units."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from shihyo.core import assignments
from shihyo.core.engine import DefinitionCycleError, dependency_order
from shihyo.core.indicators import IndicatorKind
from shihyo.core.model import PUBLISHED_KINDS, Observation, ObservationKind, OrgUnitKind, Programme
from shihyo.core.numbers import parse_japanese_number
from shihyo.core.problems import Problem

PERCENT_KINDS = {IndicatorKind.SHARE, IndicatorKind.YOY_CHANGE, IndicatorKind.COVERAGE}


@dataclass
class Places:
    """Where each definition was written: code → (file, line)."""

    of: dict[str, tuple[str, int]] = field(default_factory=dict)

    def problem(self, code: str, where: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> Problem:
        file, line = self.of.get(code, ("", 0))
        return Problem(file, line or None, where, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)


def _duplicates(codes: Iterable[str]) -> list[str]:
    return [code for code, n in Counter(codes).items() if n > 1 and code]


def check_programme(programme: Programme, places: Places) -> list[Problem]:
    """Every cross-file problem of the definitions."""
    return [
        *_check_duplicates(programme, places),
        *_check_indicators(programme, places),
        *_check_organisation(programme, places),
        *_check_roadmap(programme, places),
        *_check_reporting(programme, places),
    ]


def _check_reporting(programme: Programme, places: Places) -> list[Problem]:
    problems = []
    kinds = ", ".join(sorted(assignments.KINDS))
    for s in programme.series:
        for entry in assignments.unknown_entries(programme, s):
            problems.append(
                places.problem(
                    s.code,
                    f"{s.code}.reported_by",
                    f"「{entry}」は組織の種類でも組織コードでもありません",
                    f"'{entry}' is neither an org unit kind nor an org unit",
                    f"種類（{kinds}）か org_units.yaml のコード（比較対象以外）を書いてください",
                    f"name a kind ({kinds}) or a code from org_units.yaml (not a benchmark)",
                )
            )
    return problems


def _check_duplicates(programme: Programme, places: Places) -> list[Problem]:
    problems = []
    for code in _duplicates([s.code for s in programme.series] + [i.code for i in programme.indicators]):
        problems.append(
            places.problem(
                code,
                code,
                f"コード「{code}」が重複しています（系列と指標は同じ名前空間です）",
                f"code '{code}' is defined twice (series and indicators share one namespace)",
            )
        )
    for code in _duplicates([o.code for o in programme.org_units]):
        problems.append(
            places.problem(code, code, f"組織コード「{code}」が重複しています", f"org unit '{code}' is defined twice")
        )
    for code in _duplicates([t.code for t in programme.teams]):
        problems.append(
            places.problem(code, code, f"チームコード「{code}」が重複しています", f"team '{code}' is defined twice")
        )
    return problems


def _check_indicators(programme: Programme, places: Places) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    known = set(programme.series_by_code()) | set(programme.indicator_by_code())
    orgs = programme.org_unit_by_code()
    for ind in programme.indicators:
        for operand in ind.operands:
            if operand not in known:
                add(
                    places.problem(
                        ind.code,
                        ind.code,
                        f"「{operand}」という系列・指標はありません",
                        f"there is no series or indicator '{operand}'",
                        "series.yaml か indicators.yaml のコードを指定してください",
                        "name a code from series.yaml or indicators.yaml",
                    )
                )
        if ind.chart is not None:
            for code in (*ind.chart.parts, *((ind.chart.bars,) if ind.chart.bars else ())):
                if code not in known:
                    add(
                        places.problem(
                            ind.code,
                            f"{ind.code}.chart",
                            f"グラフの系列「{code}」がありません",
                            f"the chart's series '{code}' does not exist",
                        )
                    )
            for unit in ind.chart.compare:
                if unit not in orgs:
                    add(
                        places.problem(
                            ind.code,
                            f"{ind.code}.chart.compare",
                            f"組織「{unit}」がありません",
                            f"there is no org unit '{unit}'",
                        )
                    )
        if ind.kind in PERCENT_KINDS and not ind.is_rate:
            add(
                places.problem(
                    ind.code,
                    f"{ind.code}.unit",
                    f"{ind.kind.value} の単位は % です（「{ind.unit}」）",
                    f"a {ind.kind.value} indicator is in % (not '{ind.unit}')",
                )
            )
        if ind.kind is IndicatorKind.POINT_DIFFERENCE and ind.unit != "ポイント":
            add(
                places.problem(
                    ind.code,
                    f"{ind.code}.unit",
                    "率の差の単位は「ポイント」です（％ではありません）",
                    "a difference of rates is in points (ポイント), not %",
                    "unit: ポイント",
                    "unit: ポイント",
                )
            )
    try:
        dependency_order(programme.indicators)
    except DefinitionCycleError as exc:
        add(
            places.problem(
                exc.codes[0],
                exc.codes[0],
                "指標の定義が循環しています: " + " → ".join(exc.codes),
                "indicators depend on each other in a cycle: " + " → ".join(exc.codes),
            )
        )
    for s in programme.series:
        if s.part_of and s.part_of not in known:
            add(
                places.problem(
                    s.code,
                    f"{s.code}.part_of",
                    f"全体「{s.part_of}」がありません",
                    f"the whole '{s.part_of}' does not exist",
                )
            )
    for target in programme.targets:
        if target.indicator not in known:
            add(
                places.problem(
                    f"target:{target.indicator}",
                    target.indicator,
                    f"目標の指標「{target.indicator}」がありません",
                    f"the target's indicator '{target.indicator}' does not exist",
                )
            )
    return problems


def _check_organisation(programme: Programme, places: Places) -> list[Problem]:
    problems: list[Problem] = []
    orgs = programme.org_unit_by_code()
    for o in programme.org_units:
        if o.parent and o.parent not in orgs:
            problems.append(
                places.problem(
                    o.code,
                    f"{o.code}.parent",
                    f"親組織「{o.parent}」がありません",
                    f"the parent '{o.parent}' does not exist",
                )
            )
        if o.kind is OrgUnitKind.BENCHMARK and o.parent:
            problems.append(
                places.problem(
                    o.code,
                    f"{o.code}.parent",
                    "比較対象（benchmark）には親組織を付けません",
                    "a benchmark unit has no parent",
                )
            )
        above, seen = o.parent, {o.code}
        while above in orgs and above not in seen:  # up the parents: a unit must not end up above itself
            seen.add(above)
            above = orgs[above].parent
        if above is not None and above in seen:
            problems.append(
                places.problem(
                    o.code,
                    f"{o.code}.parent",
                    f"親組織をたどると「{o.code}」自身に戻ります（{o.parent}）",
                    f"following the parents of '{o.code}' leads back to itself (via {o.parent})",
                )
            )
    for target in programme.targets:
        for unit in target.org_units:
            if unit not in orgs:
                problems.append(
                    places.problem(
                        f"target:{target.indicator}",
                        f"{target.indicator}.org_units",
                        f"組織「{unit}」がありません",
                        f"there is no org unit '{unit}'",
                    )
                )
    for t in programme.teams:
        for member in t.members:
            if member not in orgs:
                problems.append(
                    places.problem(
                        t.code, f"{t.code}.members", f"組織「{member}」がありません", f"there is no org unit '{member}'"
                    )
                )
    return problems


def _check_roadmap(programme: Programme, places: Places) -> list[Problem]:
    problems: list[Problem] = []
    known = set(programme.series_by_code()) | set(programme.indicator_by_code())
    teams = {t.code for t in programme.teams}
    for area in (a for pillar in programme.pillars for a in pillar.areas):
        for code in area.indicators:
            if code not in known:
                problems.append(
                    places.problem(
                        area.code,
                        f"{area.code}.indicators",
                        f"指標「{code}」がありません",
                        f"there is no indicator '{code}'",
                    )
                )
        for task in (t for m in area.measures for t in m.tasks):
            if task.owner_team and task.owner_team not in teams:
                problems.append(
                    places.problem(
                        task.code,
                        f"{task.code}.owner_team",
                        f"チーム「{task.owner_team}」がありません",
                        f"there is no team '{task.owner_team}'",
                    )
                )
    return problems


def check_observations(programme: Programme, rows: list[tuple[Observation, int]], file: str) -> list[Problem]:
    problems: list[Problem] = []
    series = programme.series_by_code()
    indicators = programme.indicator_by_code()
    orgs = programme.org_unit_by_code()
    seen: dict[tuple[str, str, str, str, str], int] = {}
    rolled_up = {s.code: assignments.rolled_up_units(programme, s) for s in programme.series if s.reported_by}
    for o, line in rows:

        def bad(column: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "", line: int = line) -> None:
            problems.append(Problem(file, line, column, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en))

        unit = parse_japanese_number(o.text).unit
        if o.kind in PUBLISHED_KINDS and o.code not in series and o.code not in indicators:
            bad("code", f"「{o.code}」という系列・指標はありません", f"there is no series or indicator '{o.code}'")
        elif o.kind not in PUBLISHED_KINDS and o.code not in series:
            hint = "公表値（reported）でなければ系列コードを指定してください" if o.code in indicators else ""
            hint_en = "only reported rows may name an indicator" if o.code in indicators else ""
            bad("code", f"「{o.code}」という系列はありません", f"there is no series '{o.code}'", hint, hint_en)
        declared = (
            series[o.code].unit if o.code in series else indicators[o.code].unit if o.code in indicators else None
        )
        if declared is not None and unit and unit not in _allowed_units(declared):
            bad(
                "value",
                f"「{o.text}」の単位「{unit}」は「{o.code}」の単位「{declared}」と合いません",
                f"the unit '{unit}' of '{o.text}' does not match '{o.code}' (in '{declared}')",
                "数値だけを書くか、定義と同じ単位を付けてください",
                "write the number alone or with the declared unit",
            )
        below = rolled_up.get(o.code, {}).get(o.org_unit, ())
        if below and o.kind in (ObservationKind.ACTUAL, ObservationKind.ESTIMATE) and o.org_unit in orgs:
            name = orgs[o.org_unit].name
            listed = ", ".join(below[:3]) + (" …" if len(below) > 3 else "")
            bad(
                "org_unit",
                f"{name}に自身の値がありますが、この系列は下位の{len(below)}所属の値が積み上がります",
                f"{o.org_unit} has its own value and {len(below)} units that roll up to it",
                f"{name}の行を削除してください（値は下位の所属（{listed}）から計算されます）",
                f"remove the row: its value is the roll-up of {listed}",
            )
        if o.org_unit not in orgs:
            bad(
                "org_unit",
                f"組織「{o.org_unit}」がありません",
                f"there is no org unit '{o.org_unit}'",
                "org_units.yaml のコードを指定してください",
                "name a code from org_units.yaml",
            )
        if o.key in seen:
            bad(
                "",
                f"{seen[o.key]}行目と同じ観測値が重複しています",
                f"the same observation as line {seen[o.key]}",
                "source 列で区別するか、一方を削除してください",
                "tell them apart by source, or remove one",
            )
        else:
            seen[o.key] = line
    return problems


def _allowed_units(declared: str) -> set[str]:
    """Units a value may carry after its number: the declared one, or none."""
    allowed = {declared}
    if declared in ("%", "％"):
        allowed |= {"%", "％"}
    if declared in ("ポイント", "Pt", "pt"):
        allowed |= {"ポイント", "Pt", "pt", "%"}  # the seed often writes % for points
    return allowed
