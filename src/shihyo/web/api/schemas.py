"""The typed shapes of the API's requests and responses (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

Code = str


class ProblemOut(Schema):
    place: str = Field(description="where: the field, item or cell")
    message: str = Field(description="what is wrong, in the request's language")
    fix: str = Field(description="how to fix it (may be empty)")


class ErrorOut(Schema):
    error: str
    problems: list[ProblemOut]


class LicenceOut(Schema):
    id: str
    name: str
    url: str


class PhaseOut(Schema):
    code: str
    name: str
    start: str
    end: str


class OrgUnitOut(Schema):
    code: Code
    name: str
    name_en: str
    kind: str
    parent: str | None


class ProgrammeOut(Schema):
    code: Code
    name: str
    name_en: str
    organisation: str
    municipality_code: str = Field(
        description="全国地方公共団体コード (6 digits, check digit included); empty: not set"
    )
    licence: LicenceOut | None = Field(description="the open data licence; null: not set")
    base_period: str | None
    report_period: str | None
    data_version: str = Field(description="changes whenever the programme's data changes")


class ProgrammeDetailOut(ProgrammeOut):
    office: str
    wareki_style: str
    vision: str
    phases: list[PhaseOut]
    org_units: list[OrgUnitOut]


class TaskOut(Schema):
    code: str
    name: str
    phase: str | None
    new: bool | None
    owner_team: str | None


class MeasureOut(Schema):
    code: str
    name: str
    summary: list[str]
    tasks: list[TaskOut]


class AreaOut(Schema):
    code: str
    name: str
    heading: str
    indicators: list[Code]
    measures: list[MeasureOut]


class PillarOut(Schema):
    code: str
    name: str
    subtitle: str
    aim: str
    areas: list[AreaOut]


class RoadmapOut(Schema):
    programme: Code
    vision: str
    vision_subtitle: str
    purposes: list[str]
    goals: list[str]
    phases: list[PhaseOut]
    pillars: list[PillarOut]


class RangeOut(Schema):
    min: float | None
    max: float | None


class SeriesOut(Schema):
    code: Code
    name: str
    name_en: str
    unit: str
    decimals: int
    time_aggregation: str
    org_aggregation: str
    part_of: str | None
    relation: str | None
    reported_by: list[str]
    range: RangeOut
    note: str
    source: str


class TargetPointOut(Schema):
    period: str
    value: float
    final: bool


class TargetOut(Schema):
    indicator: Code
    kind: str
    direction: str
    base_period: str | None
    org_units: list[str]
    points: list[TargetPointOut]


class IndicatorOut(Schema):
    code: Code
    name: str
    name_en: str
    unit: str
    decimals: int
    kind: str
    formula: str = Field(description="the definition in words, in the request's language")
    operands: list[Code]
    description: str
    footnotes: list[str]
    targets: list[TargetOut]


class ValueOut(Schema):
    code: Code
    is_indicator: bool
    org_unit: Code
    period: str = Field(description="canonical period key: FY2021, FY2021H1 …")
    period_label: str = Field(description="wareki label: R3, R3上期 …")
    fiscal_year: int = Field(description="the Western fiscal year the period belongs to")
    kind: str = Field(description="actual | estimate | plan")
    value: float
    unit: str
    provisional: bool = Field(description="a roll-up still missing some reporting units (暫定)")


class ValuesPage(Schema):
    programme: Code
    as_of: datetime | None
    data_version: str
    total: int
    offset: int
    limit: int
    next_offset: int | None
    items: list[ValueOut]


class JudgementOut(Schema):
    indicator: Code
    org_unit: Code
    period: str
    period_label: str
    kind: str
    value: float
    status: str = Field(description="achieved | on_track | behind | no_target (more may be added)")
    compared_with: float
    compared_period: str
    margin: float
    final_period: str
    final_value: float
    met_final: bool
    years_ahead: int


class TargetsOut(Schema):
    programme: Code
    as_of: datetime | None
    data_version: str
    judgements: list[JudgementOut]


class ReconciliationOut(Schema):
    code: Code
    name: str
    org_unit: Code
    period: str
    period_label: str
    source: str
    reported_text: str
    reported: float
    precision: float
    computed: float | None
    computed_rounded: float | None
    verdict: str = Field(description="agrees | differs | not_computable")
    formula: str
    working: str


class ReconciliationPage(Schema):
    programme: Code
    as_of: datetime | None
    data_version: str
    items: list[ReconciliationOut]


class ProgressOut(Schema):
    total: int
    counts: dict[str, int]
    overdue: int


class RoundOut(Schema):
    programme: Code
    code: Code
    name: str
    periods: list[str]
    series: list[Code]
    due: date | None
    opened_at: datetime
    progress: ProgressOut


class UnitStatusOut(Schema):
    code: Code
    name: str
    depth: int
    state: str
    version: int
    changed_at: datetime | None
    changed_by: str
    overdue: bool


class RoundDetailOut(RoundOut):
    units: list[UnitStatusOut]


class RowOut(Schema):
    code: Code
    name: str
    unit: str
    period: str
    period_label: str
    previous: float | None
    previous_label: str
    value: str = Field(description="as entered (empty: not yet)")
    comment: str


class EventOut(Schema):
    action: str
    state: str
    version: int
    at: datetime
    by: str
    comment: str
    via: str


class SubmissionOut(Schema):
    programme: Code
    round: Code
    org_unit: Code
    org_unit_name: str
    state: str
    version: int
    rows: list[RowOut]
    events: list[EventOut]


class EntryIn(Schema):
    code: str = Field(min_length=1, max_length=100)
    period: str = Field(min_length=1, max_length=100, description="any period form: FY2022H1, R4上期 …")
    value: str = Field("", max_length=100, description="the figure as text (▲, 万, commas are read); empty: none")
    comment: str = Field("", max_length=1000)


class SubmissionIn(Schema):
    version: int = Field(ge=0, le=2_000_000_000, description="the version you started from (409 when stale)")
    draft: bool = Field(False, description="keep as a draft (入力中): empty values allowed")
    entries: list[EntryIn] = Field(max_length=5000)


class ReviewIn(Schema):
    action: Literal["approve", "return", "reopen"]
    comment: str = Field("", max_length=1000, description="required to return or reopen")
    version: int = Field(ge=0, le=2_000_000_000)


class OutcomeOut(Schema):
    version: int
    changed: int
    state: str
