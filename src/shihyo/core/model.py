"""The programme model: roadmap, organisation, series, observations, targets.

Plain frozen dataclasses, no framework. Indicator definitions live in `indicators.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from shihyo.core.commentary import Notes
from shihyo.core.indicators import Indicator
from shihyo.core.periods import Period, WarekiStyle
from shihyo.core.summary_definition import SummaryTableDefinition


class TimeAggregation(StrEnum):
    """How halves and months make up a year."""

    SUM = "sum"
    LAST = "last"
    AVERAGE = "average"


class OrgAggregation(StrEnum):
    """How org units roll up to their parent."""

    SUM = "sum"
    AVERAGE = "average"
    NONE = "none"


class PartRelation(StrEnum):
    BREAKDOWN = "breakdown"  # 内訳: the parts add up to the whole
    OF_WHICH = "of_which"  # うち: a subset, never larger than the whole


class ObservationKind(StrEnum):
    ACTUAL = "actual"
    PLAN = "plan"
    ESTIMATE = "estimate"
    REPORTED = "reported"  # a figure as published, kept for reconciliation (a published actual)
    REPORTED_PLAN = "reported_plan"  # a published plan: reconciled with plan values only


PUBLISHED_KINDS = (ObservationKind.REPORTED, ObservationKind.REPORTED_PLAN)


class ShowPolicy(StrEnum):
    """Which value a published figure that disagrees with its recomputation shows until the office decides."""

    PUBLISHED = "published"
    RECOMPUTED = "recomputed"


class OrgUnitKind(StrEnum):
    CITY = "city"
    BUREAU = "bureau"
    WARD = "ward"
    DEPARTMENT = "department"
    OFFICE = "office"
    BENCHMARK = "benchmark"


class TaskPhase(StrEnum):
    EARLY = "early"  # 前半に集中実施
    LATE = "late"  # 後半では活用・拡大


class TeamKind(StrEnum):
    TEAM = "team"
    PROJECT_TEAM = "pt"
    ADVISOR = "advisor"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class TargetKind(StrEnum):
    LEVEL = "level"
    CHANGE_VS_BASE = "change_vs_base"


class TargetPath(StrEnum):
    """What the values interpolated between the set target points are."""

    GUIDE = "guide"  # 目安（直線補間）: shown, but status judges only the points the programme set
    BINDING = "binding"  # the straight path is itself a target: a year between set points is judged against it


class ProjectionMethod(StrEnum):
    LINEAR = "linear"  # least-squares trend over the last N yearly actuals
    COMPOUND_RATE = "compound_rate"  # observed ÷ required compound annual rate from the base (SDG progress)


@dataclass(frozen=True)
class GradeBand:
    """One evaluation grade: every 進捗率 (%) at or above `minimum` down to the next band's minimum."""

    grade: str  # as the programme writes it: S, A, ◎, ○, 達成, 順調 …
    minimum: Decimal | None  # None: the lowest band (every 進捗率 below the others)
    name_en: str = ""


@dataclass(frozen=True)
class ProjectionSettings:
    method: ProjectionMethod = ProjectionMethod.LINEAR
    points: int = 3  # linear: how many of the latest yearly actuals the trend is fitted to (at least 2)


@dataclass(frozen=True)
class Phase:
    code: str
    name: str
    start: Period
    end: Period


@dataclass(frozen=True)
class Task:
    code: str
    name: str
    phase: TaskPhase | None = None
    new: bool | None = None
    owner_team: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    summary: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    heading: str = ""
    indicators: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str
    subtitle: str = ""
    aim: str = ""
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name: str
    kind: OrgUnitKind
    parent: str | None = None
    name_en: str = ""


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    kind: TeamKind
    started: Period | None = None
    members: tuple[str, ...] = ()
    member_roles: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    mission: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Series:
    code: str
    name: str
    unit: str
    decimals: int = 0
    name_en: str = ""
    time_aggregation: TimeAggregation = TimeAggregation.SUM
    org_aggregation: OrgAggregation = OrgAggregation.SUM
    part_of: str | None = None
    relation: PartRelation | None = None
    note: str = ""
    source: str = ""
    # who reports it: org unit kinds ("ward") and/or org unit codes; empty: the programme's top unit
    reported_by: tuple[str, ...] = ()
    minimum: Decimal | None = None  # the range a submitted value must lie in (None: the default rule)
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Observation:
    """One figure: series (or, when reported, indicator) × org unit × period × kind."""

    code: str
    org_unit: str
    period: Period
    kind: ObservationKind
    value: Decimal
    text: str  # the value as written in the source file or submission
    precision: Decimal  # place value of the last written digit
    note: str = ""
    source: str = ""
    method: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Identity of an observation across revisions."""
        return (self.code, self.org_unit, self.period.key, self.kind.value, self.source)


@dataclass(frozen=True)
class Revision:
    """An append-only change of one observation; `observation` None withdraws it."""

    key: tuple[str, str, str, str, str]
    observation: Observation | None
    recorded_at: datetime
    recorded_by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class TargetPoint:
    period: Period
    value: Decimal
    final: bool = False


@dataclass(frozen=True)
class Target:
    indicator: str
    kind: TargetKind
    direction: Direction
    points: tuple[TargetPoint, ...]
    base_period: Period | None = None
    org_units: tuple[str, ...] = ()  # the units the target is set for; () = every unit but benchmarks
    source: str = ""
    note: str = ""
    path: TargetPath | None = None  # None: the programme's target_path


@dataclass(frozen=True)
class Programme:
    """A roadmap with its catalogue: everything but the observations."""

    code: str
    name: str
    name_en: str = ""
    organisation: str = ""
    office: str = ""
    wareki_style: WarekiStyle = WarekiStyle.SLASH
    base_period: Period | None = None
    report_period: Period | None = None
    # reconciliation.show in programme.yaml; None = not written, the default (published)
    show_when_differs: ShowPolicy | None = None
    phases: tuple[Phase, ...] = ()
    vision: str = ""
    vision_subtitle: str = ""
    purposes: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    note: str = ""
    org_units: tuple[OrgUnit, ...] = ()
    teams: tuple[Team, ...] = ()
    series: tuple[Series, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    targets: tuple[Target, ...] = ()
    # open data: the 全国地方公共団体コード (six digits, check digit included) and the licence (an id of
    # `shihyo.core.opendata.LICENCES`); empty: not set (nothing is published as open data without a licence)
    municipality_code: str = ""
    licence: str = ""
    summary_table: SummaryTableDefinition | None = None  # the 主要指標一覧表 (summary_table.yaml), if defined
    target_path: TargetPath = TargetPath.GUIDE  # whether interpolated target values are binding
    grades: tuple[GradeBand, ...] = ()  # evaluation grades on 進捗率, best first; () = no grades
    projection: ProjectionSettings = field(default_factory=ProjectionSettings)

    def path_of(self, target: Target) -> TargetPath:
        return target.path or self.target_path

    def series_by_code(self) -> dict[str, Series]:
        return {s.code: s for s in self.series}

    def indicator_by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def org_unit_by_code(self) -> dict[str, OrgUnit]:
        return {o.code: o for o in self.org_units}

    def targets_of(self, indicator: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.indicator == indicator)


@dataclass(frozen=True)
class Dataset:
    """A programme and the observations in force at one moment."""

    programme: Programme
    observations: tuple[Observation, ...] = field(default=())
    notes: Notes = field(default_factory=Notes)  # commentary and measure progress of commentary.yaml
