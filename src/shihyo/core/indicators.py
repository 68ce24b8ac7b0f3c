"""Typed, declarative indicator definitions.

Every derived figure is one of these formulas over series and other indicators; the engine
(`engine.py`) computes them, `describe` says them in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import assert_never

from shihyo.core import expression as expr_lang
from shihyo.core import period_labels
from shihyo.core.periods import Period, WarekiStyle


class IndicatorKind(StrEnum):
    VALUE = "value"
    RATIO = "ratio"
    SHARE = "share"
    SUM = "sum"
    YOY_CHANGE = "yoy_change"
    CHANGE_VS_BASE = "change_vs_base"
    POINT_DIFFERENCE = "point_difference"
    PER_CAPITA_PER_MONTH = "per_capita_per_month"
    CUMULATIVE = "cumulative"
    INDEX = "index"
    COVERAGE = "coverage"
    EFFECT = "effect"
    EXPRESSION = "expression"


class ChartKind(StrEnum):
    TREND = "trend"  # bars for counts, a line for rates
    BAR_LINE = "bar_line"  # counts as bars, the indicator as a line on a second axis
    STACKED = "stacked"  # parts stacked to their whole
    COMPARISON = "comparison"  # one line per org unit (benchmarks)
    INDEX_TARGET = "index_target"  # an index against its target path


@dataclass(frozen=True)
class Chart:
    """How the indicator is drawn (as in the report)."""

    kind: ChartKind
    bars: str | None = None
    parts: tuple[str, ...] = ()
    compare: tuple[str, ...] = ()


class ChangeMode(StrEnum):
    ABSOLUTE = "absolute"
    PERCENT = "percent"


@dataclass(frozen=True)
class BasePeriod:
    """Compare with the value of a fixed period."""

    period: Period


@dataclass(frozen=True)
class BaseSeries:
    """Compare each period with the base as restated in that period (a series of restated bases).

    `period` is the base period the series restates: there the figure is compared with itself (0, index 100).
    """

    code: str
    period: Period | None = None


Base = BasePeriod | BaseSeries
PREVIOUS_YEAR = "previous_year"


@dataclass(frozen=True)
class SeriesValue:
    of: str


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class Share:
    part: str
    total: str


@dataclass(frozen=True)
class SumOf:
    parts: tuple[str, ...]


@dataclass(frozen=True)
class YearOverYearChange:
    of: str


@dataclass(frozen=True)
class ChangeVsBase:
    of: str
    base: Base | None  # None: the previous year
    mode: ChangeMode


@dataclass(frozen=True)
class PointDifference:
    of: str
    against: Base | None  # None: the previous year


@dataclass(frozen=True)
class PerCapitaPerMonth:
    total: str
    headcount: str


@dataclass(frozen=True)
class Cumulative:
    of: str


@dataclass(frozen=True)
class IndexToBase:
    of: str
    base: Base


@dataclass(frozen=True)
class Coverage:
    of: str
    universe: Decimal
    universe_text: str


@dataclass(frozen=True)
class Effect:
    of: str
    factor: Decimal
    divisor: Decimal = Decimal(1)


@dataclass(frozen=True)
class Expression:
    text: str
    tree: expr_lang.Node


Formula = (
    SeriesValue
    | Ratio
    | Share
    | SumOf
    | YearOverYearChange
    | ChangeVsBase
    | PointDifference
    | PerCapitaPerMonth
    | Cumulative
    | IndexToBase
    | Coverage
    | Effect
    | Expression
)

_KIND_OF: dict[type, IndicatorKind] = {
    SeriesValue: IndicatorKind.VALUE,
    Ratio: IndicatorKind.RATIO,
    Share: IndicatorKind.SHARE,
    SumOf: IndicatorKind.SUM,
    YearOverYearChange: IndicatorKind.YOY_CHANGE,
    ChangeVsBase: IndicatorKind.CHANGE_VS_BASE,
    PointDifference: IndicatorKind.POINT_DIFFERENCE,
    PerCapitaPerMonth: IndicatorKind.PER_CAPITA_PER_MONTH,
    Cumulative: IndicatorKind.CUMULATIVE,
    IndexToBase: IndicatorKind.INDEX,
    Coverage: IndicatorKind.COVERAGE,
    Effect: IndicatorKind.EFFECT,
    Expression: IndicatorKind.EXPRESSION,
}


def kind_of(formula: Formula) -> IndicatorKind:
    return _KIND_OF[type(formula)]


def operands(formula: Formula) -> tuple[str, ...]:
    """Codes (series or indicators) a formula reads, base series included."""
    match formula:
        case SeriesValue(of) | YearOverYearChange(of) | Cumulative(of) | Coverage(of) | Effect(of):
            return (of,)
        case Ratio(numerator, denominator):
            return (numerator, denominator)
        case Share(part, total):
            return (part, total)
        case SumOf(parts):
            return parts
        case ChangeVsBase(of, base) | IndexToBase(of, base):
            return (of, base.code) if isinstance(base, BaseSeries) else (of,)
        case PointDifference(of, against):
            return (of, against.code) if isinstance(against, BaseSeries) else (of,)
        case PerCapitaPerMonth(total, headcount):
            return (total, headcount)
        case Expression(_, tree):
            return expr_lang.references(tree)
        case _:
            assert_never(formula)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    decimals: int
    formula: Formula
    name_en: str = ""
    description: str = ""
    footnotes: tuple[str, ...] = ()
    note: str = ""
    chart: Chart | None = None

    @property
    def kind(self) -> IndicatorKind:
        return kind_of(self.formula)

    @property
    def operands(self) -> tuple[str, ...]:
        return operands(self.formula)

    @property
    def is_rate(self) -> bool:
        """A percentage: differences of it are written in points."""
        return self.unit in ("%", "％")


def _base_words(base: Base | None, names: Mapping[str, str], lang: str, style: WarekiStyle) -> str:
    if base is None:
        return "前年度" if lang == "ja" else "the previous year"
    if isinstance(base, BasePeriod):
        return period_labels.heading(base.period, style, lang)
    name = names.get(base.code, base.code)
    return f"各年度に補正した基準値（{name}）" if lang == "ja" else f"the base as restated each year ({name})"


def describe(
    formula: Formula, names: Mapping[str, str], lang: str = "ja", style: WarekiStyle = WarekiStyle.SLASH
) -> str:
    """The formula in words, with operand names, in Japanese or English (periods in the programme's style)."""

    def n(code: str) -> str:
        return names.get(code, code)

    ja = lang == "ja"
    match formula:
        case SeriesValue(of):
            return n(of)
        case Ratio(numerator, denominator, factor):
            tail = "" if factor == 1 else f" × {factor}"
            return f"{n(numerator)} ÷ {n(denominator)}{tail}"
        case Share(part, total):
            return f"{n(part)} ÷ {n(total)} × 100"
        case SumOf(parts):
            return " ＋ ".join(n(p) for p in parts) if ja else " + ".join(n(p) for p in parts)
        case YearOverYearChange(of):
            if ja:
                return f"（{n(of)} − 前年度の{n(of)}）÷ 前年度の{n(of)} × 100"
            return f"({n(of)} − previous year) ÷ previous year × 100"
        case ChangeVsBase(of, base, mode):
            b = _base_words(base, names, lang, style)
            if mode is ChangeMode.ABSOLUTE:
                return f"{n(of)} − {b}の値" if ja else f"{n(of)} − value of {b}"
            return f"（{n(of)} − {b}の値）÷ {b}の値 × 100" if ja else f"({n(of)} − {b}) ÷ {b} × 100"
        case PointDifference(of, against):
            b = _base_words(against, names, lang, style)
            return f"{n(of)} − {b}の{n(of)}（ポイント）" if ja else f"{n(of)} − {n(of)} of {b} (points)"
        case PerCapitaPerMonth(total, headcount):
            return f"{n(total)} ÷ {n(headcount)} ÷ 月数" if ja else f"{n(total)} ÷ {n(headcount)} ÷ months"
        case Cumulative(of):
            return f"{n(of)}の累計" if ja else f"running total of {n(of)}"
        case IndexToBase(of, base):
            b = _base_words(base, names, lang, style)
            return f"{n(of)} ÷ {b}の値 × 100" if ja else f"{n(of)} ÷ {b} × 100"
        case Coverage(of, _, universe_text):
            return f"{n(of)} ÷ {universe_text} × 100"
        case Effect(of, factor, divisor):
            tail = "" if divisor == 1 else f" ÷ {divisor}"
            return f"{n(of)} × {factor}{tail}"
        case Expression(text, _):
            return text
        case _:
            assert_never(formula)
