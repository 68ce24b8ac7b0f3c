"""主要指標一覧表: each area's key indicators with their parts, years as columns (web and reports share it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.numbers import to_decimal
from shihyo.core.overview import main_org_unit
from shihyo.core.periods import Grain, Period


def summary_years(result: EvaluationResult) -> list[Period]:
    """Fiscal years with yearly figures for the programme's main org unit, oldest first."""
    unit = main_org_unit(result.programme)
    frame = result.values.filter((pl.col("org_unit") == unit) & (pl.col("grain") == Grain.YEAR.value))
    return [Period(Grain.YEAR, y, 0) for y in sorted(set(frame.get_column("fiscal_year").to_list()))]


@dataclass(frozen=True)
class SummaryCell:
    text: str
    kind: str  # actual | estimate | plan | "" (no value)
    value: Decimal | None = None  # the number itself, for spreadsheets


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    unit: str
    is_indicator: bool
    depth: int  # 1 for a part of the row above
    relation: str  # "breakdown" (内訳) | "of_which" (うち) | ""
    cells: list[SummaryCell]
    decimals: int = 0


@dataclass(frozen=True)
class SummarySection:
    title: str
    rows: list[SummaryRow]


def summary_table(result: EvaluationResult, years: list[Period], lang: str) -> list[SummarySection]:
    """Sections per area: its key indicators, each followed by the series that are its parts."""
    programme = result.programme
    unit = main_org_unit(programme)
    frame = result.values.filter(pl.col("org_unit") == unit).filter(pl.col("grain") == Grain.YEAR.value)
    cells: dict[tuple[str, int], tuple[float, str]] = {
        (code, year): (value, kind)
        for code, year, value, kind in frame.select("code", "fiscal_year", "value", "kind").iter_rows()
    }
    indicators = programme.indicator_by_code()
    series = programme.series_by_code()
    en = lang == "en"
    label = {s.code: (s.name_en or s.name) if en else s.name for s in programme.series}
    label.update({i.code: (i.name_en or i.name) if en else i.name for i in programme.indicators})

    def row(code: str, depth: int = 0) -> SummaryRow:
        decimals, unit_text = (
            (indicators[code].decimals, indicators[code].unit)
            if code in indicators
            else (series[code].decimals, series[code].unit)
        )
        out = []
        for year in years:
            found = cells.get((code, year.fiscal_year))
            if found is None:
                out.append(SummaryCell("―", ""))
            else:
                exact = to_decimal(found[0])
                out.append(SummaryCell(format_value(exact, unit_text, decimals, lang), found[1], exact))
        relation = series[code].relation if code in series and depth else None
        return SummaryRow(
            code,
            label.get(code, code),
            unit_text,
            code in indicators,
            depth,
            relation.value if relation else "",
            out,
            decimals,
        )

    parts_of: dict[str, list[str]] = {}
    for s in programme.series:
        if s.part_of:
            parts_of.setdefault(s.part_of, []).append(s.code)
    sections = []
    shown: set[str] = set()
    for pillar in programme.pillars:
        for area in pillar.areas:
            rows = []
            for code in area.indicators:
                rows.append(row(code, 0))
                shown.add(code)
                for part in parts_of.get(code, []):
                    rows.append(row(part, 1))
                    shown.add(part)
            sections.append(SummarySection(f"{pillar.name} — {area.name}", rows))
    others = [row(i.code, 0) for i in programme.indicators if i.code not in shown]
    if others:
        sections.append(SummarySection("その他の指標" if lang == "ja" else "Other indicators", others))
    return sections
