"""The definition of the 主要指標一覧表 (summary table), as the programme's `summary_table.yaml` gives it.

Which rows, in which order, under which headings; which years are columns; where a cell is left
undefined (―) although a value could be computed. The table itself is built in `summary_table`.
"""

from __future__ import annotations

from dataclasses import dataclass

from shihyo.core.periods import Period


@dataclass(frozen=True)
class SummaryRowDefinition:
    code: str  # a series or an indicator
    label: str = ""  # as the table prints it (default: the name of the code)
    label_en: str = ""
    depth: int = 0  # 0 a main row, 1 a row under it (内訳, うち, 割合 …)
    start: Period | None = None  # cells before this year are not defined (―)
    end: Period | None = None  # cells after this year are not defined (―)
    decimals: int | None = None  # the table's precision, if not the code's own

    def defines(self, year: Period) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class SummarySectionDefinition:
    heading: str = ""  # default: the area's name under its pillar's
    heading_en: str = ""
    area: str = ""  # the roadmap area (code) the section belongs to
    rows: tuple[SummaryRowDefinition, ...] = ()


@dataclass(frozen=True)
class SummaryTableDefinition:
    sections: tuple[SummarySectionDefinition, ...]
    start: Period | None = None  # the first year column (default: the first year with figures)
    end: Period | None = None  # the last year column (default: the last year with figures)
    published_source: str = ""  # a cell without a computed value shows this source's published figure

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for s in self.sections for r in s.rows)
