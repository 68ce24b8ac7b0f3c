"""The one formatter of period labels: every page, report, chart axis and CLI table asks it.

It knows the programme's wareki style, so that no surface appends 年度 to a label that already has it
("令和4年度年度"), or writes a month in another style than the programme's ("H30年4月" in a 令和元年度
programme).

Two forms:
- `short`: tables, chart axes and headings of columns — "H29", "H31/R1", "R4上期", "H30年4月"
  (令和元年度 style: "平成29年度", "令和元年度", "令和4年度上期", "平成30年4月"); English "FY2021", "FY2021 H1".
- `heading`: a period named in a title or a sentence — "R4年度", "R4年度上期", "H30年4月"
  (令和元年度 style: "令和4年度", "令和4年度上期", "平成30年4月"); English "FY2022", "FY2022 H1".
"""

from __future__ import annotations

from dataclasses import dataclass

from shihyo.core.periods import Grain, Period, WarekiStyle

__all__ = ["PeriodLabels", "heading", "previous_words", "short", "year_stem"]

_HALF_JA = {1: "上期", 2: "下期"}


def short(period: Period, style: WarekiStyle | str = WarekiStyle.SLASH, lang: str = "ja") -> str:
    """The compact label of a period, in the programme's style."""
    return period.label(WarekiStyle(style), lang)


def heading(period: Period, style: WarekiStyle | str = WarekiStyle.SLASH, lang: str = "ja") -> str:
    """A period as a title or a sentence names it: a fiscal year always with 年度, once."""
    style = WarekiStyle(style)
    if lang != "ja" or period.grain in (Grain.MONTH, Grain.DATE):
        return period.label(style, lang)
    year = period.year().label(style, "ja")
    if not year.endswith("年度"):
        year += "年度"
    return year if period.grain is Grain.YEAR else year + _HALF_JA[period.index]


def year_stem(period: Period, style: WarekiStyle | str = WarekiStyle.SLASH) -> str:
    """A fiscal year for a sentence that writes 年度 after it: "R4", "令和4", "令和元" (never "令和4年度年度")."""
    return heading(period.year(), style, "ja").removesuffix("年度")


def previous_words(period: Period, lang: str = "ja") -> str:
    """What a period is compared with a year before: 前年度比 for a year, 前年同期比 for a half or month."""
    if period.grain is Grain.YEAR:
        return "前年度比" if lang == "ja" else "vs previous year"
    return "前年同期比" if lang == "ja" else "vs same period a year before"


@dataclass(frozen=True)
class PeriodLabels:
    """The formatter bound to one programme's style and one language."""

    style: WarekiStyle = WarekiStyle.SLASH
    lang: str = "ja"

    def short(self, period: Period) -> str:
        return short(period, self.style, self.lang)

    def heading(self, period: Period) -> str:
        return heading(period, self.style, self.lang)

    def previous_words(self, period: Period) -> str:
        return previous_words(period, self.lang)
