"""主要指標一覧表: the rows the programme's summary table definition lists, years as columns.

The web page and every report format share it. Without a definition (`summary_table.yaml`) the table
lists each area's key indicators with the series that are their parts. Indicators not in the table are
not appended to it: they have their own pages.

A cell whose published figure differs from its recomputation shows the official value (as the card and
the indicator page do) with a numbered mark (「16.2※1」); the table's notes (`summary_notes`) say the
other value and why (the programme's policy, or the office's decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.model import Programme
from shihyo.core.numbers import to_decimal
from shihyo.core.official import Resolutions
from shihyo.core.overview import main_org_unit
from shihyo.core.periods import Grain, Period
from shihyo.core.reconcile import Basis
from shihyo.core.summary_definition import SummaryRowDefinition, SummarySectionDefinition, SummaryTableDefinition

PUBLISHED = "reported"  # the kind of a cell that shows a published figure shihyo cannot recompute
MARK = "※"  # the numbered mark of a cell whose published figure and recomputation differ


def _yearly(result: EvaluationResult) -> pl.DataFrame:
    unit = main_org_unit(result.programme)
    return result.values.filter((pl.col("org_unit") == unit) & (pl.col("grain") == Grain.YEAR.value))


def summary_years(result: EvaluationResult) -> list[Period]:
    """The year columns, oldest first: the definition's span (every year, with figures or not), else
    the years with yearly figures for the programme's main org unit."""
    table = result.programme.summary_table
    frame = _yearly(result)
    if table is not None:
        codes = set(table.codes)
        frame = frame.filter(pl.col("code").is_in(codes))
    found = sorted(set(frame.get_column("fiscal_year").to_list()))
    if table is None:
        return [Period(Grain.YEAR, y, 0) for y in found]
    first = table.start.fiscal_year if table.start else (found[0] if found else None)
    last = table.end.fiscal_year if table.end else (found[-1] if found else None)
    if first is None or last is None:
        return []
    return [Period(Grain.YEAR, y, 0) for y in range(first, last + 1)]


@dataclass(frozen=True)
class SummaryCell:
    text: str
    kind: str  # actual | estimate | plan | reported (a published figure) | "" (no value, or not defined)
    value: Decimal | None = None  # the number itself, for spreadsheets (the official one where disputed)
    mark: str = ""  # 「※1」 where the published figure and its recomputation differ (`text` ends with it)
    note: str = ""  # then: the row, the year, the other value and why the value shown is official


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    unit: str
    is_indicator: bool
    depth: int  # 1 for a row under the one above
    relation: str  # "breakdown" (内訳) | "of_which" (うち) | ""
    cells: list[SummaryCell]
    decimals: int = 0


@dataclass(frozen=True)
class SummarySection:
    title: str
    rows: list[SummaryRow]
    pillar: str = ""  # the pillar's name, for a table that groups sections by pillar
    area: str = ""  # the area's name


def _default_definition(programme: Programme) -> SummaryTableDefinition:
    """Each area's key indicators, each followed by the series that are its parts."""
    parts_of: dict[str, list[str]] = {}
    for s in programme.series:
        if s.part_of:
            parts_of.setdefault(s.part_of, []).append(s.code)
    sections = []
    for pillar in programme.pillars:
        for area in pillar.areas:
            rows = []
            for code in area.indicators:
                rows.append(SummaryRowDefinition(code))
                rows.extend(SummaryRowDefinition(part, depth=1) for part in parts_of.get(code, []))
            sections.append(SummarySectionDefinition(area=area.code, rows=tuple(rows)))
    return SummaryTableDefinition(sections=tuple(sections))


def summary_table(
    result: EvaluationResult, years: list[Period], lang: str, resolutions: Resolutions
) -> list[SummarySection]:
    """The table's sections with their rows and cells, as the definition says (― where a cell is not
    defined or has no value). A disputed cell shows the official figure of `resolutions`, marked ※n."""
    programme = result.programme
    style = programme.wareki_style
    marks = 0
    table = programme.summary_table or _default_definition(programme)
    unit = main_org_unit(programme)
    frame = _yearly(result)
    cells: dict[tuple[str, int], tuple[float, str]] = {
        (code, year): (value, kind)
        for code, year, value, kind in frame.select("code", "fiscal_year", "value", "kind").iter_rows()
    }
    published: dict[tuple[str, str], Decimal] = {}
    if table.published_source:
        shown = result.reported.filter((pl.col("org_unit") == unit) & (pl.col("source") == table.published_source))
        for code, period, value in shown.select("code", "period", "value").iter_rows():
            published.setdefault((code, period), to_decimal(value))
    indicators = programme.indicator_by_code()
    series = programme.series_by_code()
    en = lang == "en"
    name = {s.code: (s.name_en or s.name) if en else s.name for s in programme.series}
    name.update({i.code: (i.name_en or i.name) if en else i.name for i in programme.indicators})
    areas = {a.code: (p, a) for p in programme.pillars for a in p.areas}

    def cell(d: SummaryRowDefinition, year: Period, unit_text: str, decimals: int, label: str) -> SummaryCell:
        nonlocal marks
        if not d.defines(year):
            return SummaryCell("―", "")
        found = cells.get((d.code, year.fiscal_year))
        if found is not None:
            exact = to_decimal(found[0])
            basis = Basis.PLAN if found[1] == "plan" else Basis.ACTUAL
            official = resolutions.figure(d.code, unit, year, basis)
            if official is None:
                return SummaryCell(format_value(exact, unit_text, decimals, lang), found[1], exact)
            marks += 1
            mark = f"{MARK}{marks}"
            sep = "：" if lang == "ja" else ": "
            where = f"{label}（{year.label(style, lang)}）" if lang == "ja" else f"{label} ({year.label(style, lang)})"
            shown = format_value(official.official, unit_text, decimals, lang)
            note = f"{mark} {where}{sep}{official.short_note(lang)}"
            return SummaryCell(f"{shown}{mark}", found[1], official.official, mark, note)
        figure = published.get((d.code, year.key))
        if figure is not None:
            return SummaryCell(format_value(figure, unit_text, decimals, lang), PUBLISHED, figure)
        return SummaryCell("―", "")

    parent = ""  # the row a row of depth 1 or more belongs to, to name it in a note

    def row(d: SummaryRowDefinition) -> SummaryRow:
        nonlocal parent
        own = indicators[d.code] if d.code in indicators else series[d.code]
        decimals = own.decimals if d.decimals is None else d.decimals
        label = (d.label_en or name.get(d.code, d.code)) if en else (d.label or name.get(d.code, d.code))
        if not d.depth:
            parent = label
        named = (f"{parent}／{label}" if not en else f"{parent} — {label}") if d.depth and parent else label
        # a label of the definition says 内訳 / うち itself; a row named after its series gets the word
        parted = d.code in series and d.depth and series[d.code].part_of and not (d.label_en if en else d.label)
        relation = series[d.code].relation if parted else None
        return SummaryRow(
            d.code,
            label,
            own.unit,
            d.code in indicators,
            d.depth,
            relation.value if relation else "",
            [cell(d, y, own.unit, decimals, named) for y in years],
            decimals,
        )

    sections = []
    for s in table.sections:
        pillar, area = areas.get(s.area, (None, None))
        pillar_name = pillar.name if pillar else ""
        area_name = area.name if area else ""
        title = (s.heading_en or s.heading) if en else s.heading
        if not title:
            title = f"{pillar_name} — {area_name}" if pillar_name else area_name
        rows = [row(d) for d in s.rows if d.code in indicators or d.code in series]
        sections.append(SummarySection(title, rows, pillar_name, area_name or title))
    return sections


def summary_notes(sections: list[SummarySection] | tuple[SummarySection, ...]) -> tuple[str, ...]:
    """The notes under the table, in the order of their marks: 「※1 ⑫…（H29）：公表値16.2・再計算値16.1…」."""
    return tuple(c.note for s in sections for r in s.rows for c in r.cells if c.note)
