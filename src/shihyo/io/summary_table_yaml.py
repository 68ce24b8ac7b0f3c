"""`summary_table.yaml`: the definition of the 主要指標一覧表, read with every problem placed, and written back."""

from __future__ import annotations

from typing import Any

from shihyo.core.model import Programme
from shihyo.core.problems import Problem
from shihyo.core.summary_definition import SummaryRowDefinition, SummarySectionDefinition, SummaryTableDefinition
from shihyo.io.fields import Fields

SUMMARY_TABLE = "summary_table.yaml"
_TABLE_KEYS = ("from", "to", "published_source", "sections")
_SECTION_KEYS = ("heading", "heading_en", "area", "rows")
_ROW_KEYS = ("code", "label", "label_en", "depth", "from", "to", "decimals")


def parse_summary_table(problems: list[Problem], data: Any) -> SummaryTableDefinition | None:
    """The definition, or None if it has a problem (each one recorded with its line)."""
    before = len(problems)
    f = Fields(problems, SUMMARY_TABLE, data, "summary_table")
    f.check_keys(_TABLE_KEYS)
    sections = []
    items = f.items("sections")
    if not items and len(problems) == before:
        f.problem("sections", "「sections」に1つ以上の区分が必要です", "'sections' needs at least one section")
    for i, item in enumerate(items):
        s = f.child("sections", item, i)
        s.check_keys(_SECTION_KEYS)
        rows = []
        for j, row_item in enumerate(s.items("rows")):
            r = s.child("rows", row_item, j)
            r.check_keys(_ROW_KEYS)
            depth = r.integer("depth", 0)
            if depth not in (0, 1):
                r.problem("depth", f"depth は 0 か 1 です（{depth}）", f"depth is 0 or 1 ({depth})")
            decimals = r.integer("decimals", 0) if r.has("decimals") else None
            if decimals is not None and not -8 <= decimals <= 6:
                r.problem("decimals", "decimals は ▲8〜6 です", "decimals lies from -8 to 6")
            rows.append(
                SummaryRowDefinition(
                    code=r.code("code"),
                    label=r.text("label"),
                    label_en=r.text("label_en"),
                    depth=depth,
                    start=r.period("from"),
                    end=r.period("to"),
                    decimals=decimals,
                )
            )
        sections.append(
            SummarySectionDefinition(
                heading=s.text("heading"),
                heading_en=s.text("heading_en"),
                area=s.code("area", required=False, item=True),
                rows=tuple(rows),
            )
        )
    table = SummaryTableDefinition(
        sections=tuple(sections),
        start=f.period("from"),
        end=f.period("to"),
        published_source=f.text("published_source"),
    )
    return table if len(problems) == before else None


def check_summary_table(programme: Programme, data: Any) -> list[Problem]:
    """Codes, areas and years of the definition that the programme does not have."""
    table = programme.summary_table
    if table is None:
        return []
    problems: list[Problem] = []
    f = Fields(problems, SUMMARY_TABLE, data, "summary_table")
    codes = {s.code for s in programme.series} | {i.code for i in programme.indicators}
    areas = {a.code for p in programme.pillars for a in p.areas}
    for i, (section, item) in enumerate(zip(table.sections, f.items("sections"), strict=True)):
        s = f.child("sections", item, i)
        if section.area and section.area not in areas:
            s.problem("area", f"分野「{section.area}」は programme.yaml にありません", f"no area '{section.area}'")
        if not section.heading and not section.area:
            s.problem(None, "heading か area を書いてください", "give a heading or an area")
        for j, (row, row_item) in enumerate(zip(section.rows, s.items("rows"), strict=True)):
            r = s.child("rows", row_item, j)
            if row.code not in codes:
                r.problem(
                    "code",
                    f"「{row.code}」という系列・指標はありません",
                    f"there is no series or indicator '{row.code}'",
                    "series.yaml か indicators.yaml のコードを書いてください",
                    "use a code of series.yaml or indicators.yaml",
                )
            for key, period in (("from", row.start), ("to", row.end)):
                if period is not None and period.months != 12:
                    r.problem(key, "年度を書いてください（例: FY2018）", "give a fiscal year (e.g. FY2018)")
    for key, period in (("from", table.start), ("to", table.end)):
        if period is not None and period.months != 12:
            f.problem(key, "年度を書いてください（例: FY2017）", "give a fiscal year (e.g. FY2017)")
    return problems


def summary_table_document(table: SummaryTableDefinition) -> dict[str, Any]:
    def drop(doc: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in doc.items() if v not in ("", None, [], ())}

    return drop(
        {
            "from": table.start.key if table.start else None,
            "to": table.end.key if table.end else None,
            "published_source": table.published_source,
            "sections": [
                drop(
                    {
                        "heading": s.heading,
                        "heading_en": s.heading_en,
                        "area": s.area,
                        "rows": [
                            drop(
                                {
                                    "code": r.code,
                                    "label": r.label,
                                    "label_en": r.label_en,
                                    "depth": r.depth or None,
                                    "from": r.start.key if r.start else None,
                                    "to": r.end.key if r.end else None,
                                    "decimals": r.decimals,
                                }
                            )
                            for r in s.rows
                        ],
                    }
                )
                for s in table.sections
            ],
        }
    )
