"""The chart model: what a chart shows, decided once in core and drawn by every renderer.

A `Chart` holds its categories (fiscal years, in order, every year from the first to the last so that
a year without a value keeps its place), its series (values aligned with the categories, with their
role, mark, axis, unit, precision and colour token), reference lines and notes. Names and labels are
held in both languages, so one model serves the Japanese and the English page. Renderers (Vega-Lite,
PowerPoint, Excel, the data table) read this model and nothing else; none reads another's output.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shihyo.core.indicators import ChartKind
from shihyo.core.periods import Period


class Role(StrEnum):
    """What a series is in the chart."""

    ACTUAL = "actual"  # the figures themselves (points may still be plans or estimates)
    PLAN = "plan"
    ESTIMATE = "estimate"
    TARGET = "target"  # the target path
    BENCHMARK = "benchmark"  # another org unit drawn for comparison (全国, 指定都市)
    BASE = "base"  # the base a chart is read against (index = 100)
    PROJECTION = "projection"  # the value projected at a target year (a dashed segment, not a plan)


class Mark(StrEnum):
    BAR = "bar"
    LINE = "line"
    AREA = "area"
    POINT = "point"


class Axis(StrEnum):
    PRIMARY = "primary"  # left
    SECONDARY = "secondary"  # right


class Colour(StrEnum):
    """Colour tokens; each renderer maps them to its own colour values (`shihyo.core.charts.palette`)."""

    BLUE = "blue"
    ORANGE = "orange"
    GREEN = "green"
    PURPLE = "purple"
    MAGENTA = "magenta"
    GREY = "grey"


# the order in which several series of one chart take their colours
SERIES_COLOURS = (Colour.BLUE, Colour.ORANGE, Colour.GREEN, Colour.PURPLE, Colour.MAGENTA, Colour.GREY)


@dataclass(frozen=True)
class Names:
    """A text in Japanese and in English (the English falls back to the Japanese)."""

    ja: str
    en: str = ""

    def get(self, lang: str) -> str:
        return (self.en or self.ja) if lang == "en" else self.ja


@dataclass(frozen=True)
class Category:
    """One place on the x axis: a fiscal year and its label."""

    period: Period
    label: Names


@dataclass(frozen=True)
class Value:
    """One drawn value and its kind (actual | estimate | plan | target)."""

    value: Decimal
    kind: str
    # where a published figure and its recomputation differ, `value` is the official one and this says both
    # (「公表値16.2 / 再計算16.1」), for the tooltip and the data beside the chart
    other: Names | None = None


@dataclass(frozen=True)
class Series:
    code: str  # the series or indicator whose values these are
    org_unit: str
    name: Names
    role: Role
    mark: Mark
    axis: Axis
    unit: str
    decimals: int  # the published precision (negative: shown in 万 / 百万)
    colour: Colour
    values: tuple[Value | None, ...]  # one per category of the chart; None where there is no value

    @property
    def points(self) -> tuple[tuple[int, Value], ...]:
        """(category index, value) of the categories that have a value."""
        return tuple((i, v) for i, v in enumerate(self.values) if v is not None)


@dataclass(frozen=True)
class ValueAxis:
    axis: Axis
    title: Names
    unit: str
    decimals: int
    zero: bool = True  # whether the scale starts at zero


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line at a fixed value (e.g. the index base 100)."""

    value: Decimal
    label: Names
    role: Role = Role.BASE
    axis: Axis = Axis.PRIMARY


@dataclass(frozen=True)
class ProjectionSegment:
    """A projection, drawn as a dashed segment from the latest actual to the value projected at the target year.

    Distinct from plans (which are figures the programme entered) and from targets: renderers draw it dashed and
    name it 予測 / projection with its method.
    """

    code: str  # the indicator projected
    start: int  # category index of the latest actual
    start_value: Decimal
    end: int  # category index of the target year
    end_value: Decimal
    axis: Axis
    label: Names  # 「予測（直線トレンド）」
    decimals: int = 0


@dataclass(frozen=True)
class Chart:
    code: str  # the indicator
    kind: ChartKind
    title: Names
    categories: tuple[Category, ...]
    series: tuple[Series, ...]
    axes: tuple[ValueAxis, ...]
    stacked: bool = False
    total: Series | None = None  # the whole that stacked parts add up to: in the data table, drawn as the stack
    references: tuple[ReferenceLine, ...] = ()
    notes: tuple[str, ...] = ()
    x_title: Names = Names("年度", "Fiscal year")
    projections: tuple[ProjectionSegment, ...] = ()  # dashed segments to target years (not drawn when stacked)

    def axis(self, which: Axis) -> ValueAxis | None:
        return next((a for a in self.axes if a.axis is which), None)

    @property
    def drawn(self) -> tuple[Series, ...]:
        """The series that have at least one value."""
        return tuple(s for s in self.series if s.points)

    @property
    def is_empty(self) -> bool:
        return not self.drawn
