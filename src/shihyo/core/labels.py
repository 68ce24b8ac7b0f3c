"""The one catalogue of what shihyo's states, kinds, roles and steps are called, in Japanese and English.

The web pages, the CLI and the reports look their words up here (the page chrome stays in gettext).
"""

from __future__ import annotations

from enum import StrEnum

from shihyo.core.collection import Action, Role, State
from shihyo.core.model import ObservationKind, OrgUnitKind, TeamKind
from shihyo.core.reconcile import Verdict
from shihyo.core.targets import Status

Pair = tuple[str, str]  # (ja, en)

TARGET: Pair = ("目標", "target")  # charts and tables show targets beside the kinds of observations

LABELS: dict[StrEnum, Pair] = {
    State.NOT_SUBMITTED: ("未提出", "Not submitted"),
    State.DRAFT: ("入力中", "Draft saved"),
    State.SUBMITTED: ("提出済", "Submitted"),
    State.RETURNED: ("差戻し", "Returned"),
    State.APPROVED: ("承認済", "Approved"),
    Action.SAVE: ("下書き保存", "draft saved"),
    Action.SUBMIT: ("提出", "submitted"),
    Action.RETURN: ("差戻し", "returned"),
    Action.APPROVE: ("承認", "approved"),
    Action.REOPEN: ("再開", "reopened"),
    Role.ADMIN: ("推進チーム（管理者）", "programme office (admin)"),
    Role.REVIEWER: ("承認者", "reviewer"),
    Role.SUBMITTER: ("提出者", "submitter"),
    Role.VIEWER: ("閲覧者", "viewer"),
    ObservationKind.ACTUAL: ("実績", "actual"),
    ObservationKind.PLAN: ("計画", "plan"),
    ObservationKind.ESTIMATE: ("推計値", "estimate"),
    ObservationKind.REPORTED: ("公表値", "reported"),
    ObservationKind.REPORTED_PLAN: ("公表値（計画）", "reported plan"),
    OrgUnitKind.CITY: ("市", "city"),
    OrgUnitKind.BUREAU: ("局室", "bureau"),
    OrgUnitKind.WARD: ("区", "ward"),
    OrgUnitKind.DEPARTMENT: ("所属", "department"),
    OrgUnitKind.OFFICE: ("事務所", "office"),
    OrgUnitKind.BENCHMARK: ("比較対象", "benchmark"),
    TeamKind.TEAM: ("推進チーム", "reform team"),
    TeamKind.PROJECT_TEAM: ("プロジェクトチーム", "project team"),
    TeamKind.ADVISOR: ("外部有識者・事業者", "adviser"),
    Status.ACHIEVED: ("達成", "Achieved"),
    Status.ON_TRACK: ("順調", "On track"),
    Status.BEHIND: ("遅れ", "Behind"),
    Status.NOT_DUE: ("目標年度前", "Not yet due"),
    Status.NO_TARGET: ("目標なし", "No target"),
    Verdict.AGREES: ("一致", "agrees"),
    Verdict.DIFFERS: ("不一致", "differs"),
    Verdict.NOT_COMPUTABLE: ("再計算不可", "not computable"),
}
CATALOGUED: tuple[type[StrEnum], ...] = (
    State,
    Action,
    Role,
    ObservationKind,
    OrgUnitKind,
    TeamKind,
    Status,
    Verdict,
)


def label(member: StrEnum, lang: str = "ja") -> str:
    ja, en = LABELS[member]
    return ja if lang == "ja" else en


def label_of(enum: type[StrEnum], text: str, lang: str = "ja", default: str | None = None) -> str:
    """The label of a stored value (e.g. "approved" as a State); unknown values are shown as they are."""
    try:
        return label(enum(text), lang)
    except ValueError:
        return text if default is None else default


def kind_label(kind: str, lang: str = "ja") -> str:
    """An observation kind, or "target" shown beside them."""
    if kind == "target":
        return TARGET[0] if lang == "ja" else TARGET[1]
    return label_of(ObservationKind, kind, lang)
