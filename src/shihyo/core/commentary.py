"""The office's own words: commentary on an indicator's period, and the progress of measures and tasks.

Generated highlights say what the figures show; commentary is what the office writes about them —
所見 (what happened), 課題 (issues) and 対応策 (actions) — for one indicator (or the whole programme) and
one period. It is written as a draft and then published; the public sees only the latest published
text. Measure progress is a state per measure or task of the roadmap and period, with a note.

Both are kept as append-only revisions (who, when, why); this module holds the rules that pick the
current entry as of a moment, and checks entries against the programme. It imports nothing of Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from shihyo.core.periods import Period

if TYPE_CHECKING:  # the model holds a programme's notes, so this module must not import it at run time
    from shihyo.core.model import Area, Measure, Pillar, Programme

# limits of the texts, the same for files, forms and the database columns
TEXT_LIMIT = 4000  # 所見, one note of progress
ITEM_LIMIT = 500  # one item of 課題 or 対応策
ITEMS_LIMIT = 20  # items per list
REASON_LIMIT = 500

PROGRAMME_WIDE = ""  # the subject of commentary on the programme as a whole (the overview)


class NoteState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Progress(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    REVISED = "revised"


PROGRESS_LABELS: Mapping[Progress, tuple[str, str]] = {
    Progress.NOT_STARTED: ("未着手", "Not started"),
    Progress.IN_PROGRESS: ("実施中", "In progress"),
    Progress.DONE: ("完了", "Done"),
    Progress.DELAYED: ("遅延", "Delayed"),
    Progress.REVISED: ("見直し", "Under review"),
}

SECTION_LABELS: Mapping[str, tuple[str, str]] = {
    "findings": ("所見", "Findings"),
    "issues": ("課題", "Issues"),
    "actions": ("対応策", "Actions"),
}


def progress_label(state: Progress, lang: str = "ja") -> str:
    ja, en = PROGRESS_LABELS[state]
    return en if lang == "en" else ja


def section_label(section: str, lang: str = "ja") -> str:
    ja, en = SECTION_LABELS[section]
    return en if lang == "en" else ja


@dataclass(frozen=True)
class Commentary:
    """The office's analysis of one subject (an indicator code, or "" for the programme) and period."""

    subject: str
    period: Period
    findings: str = ""
    issues: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    state: NoteState = NoteState.PUBLISHED
    source: str = ""
    recorded_at: datetime | None = None
    recorded_by: str = ""
    reason: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.subject, self.period.key)

    @property
    def empty(self) -> bool:
        return not (self.findings or self.issues or self.actions)

    def same_text(self, other: Commentary) -> bool:
        return (self.findings, self.issues, self.actions, self.state, self.source) == (
            other.findings,
            other.issues,
            other.actions,
            other.state,
            other.source,
        )


@dataclass(frozen=True)
class MeasureProgress:
    """The state of one measure or task of the roadmap in one period."""

    subject: str  # a measure or task code
    period: Period
    state: Progress
    note: str = ""
    recorded_at: datetime | None = None
    recorded_by: str = ""
    reason: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.subject, self.period.key)

    def same_text(self, other: MeasureProgress) -> bool:
        return (self.state, self.note) == (other.state, other.note)


@dataclass(frozen=True)
class Notes:
    """Every commentary and progress revision of a programme recorded up to a moment, oldest first."""

    commentary: tuple[Commentary, ...] = ()
    progress: tuple[MeasureProgress, ...] = ()

    def current_commentary(self, *, drafts: bool = False) -> dict[tuple[str, str], Commentary]:
        """The text to show for each (subject, period): the latest published revision; with `drafts`, the
        latest revision of any state (what the office is working on). An emptied text withdraws."""
        current: dict[tuple[str, str], Commentary] = {}
        for entry in self.commentary:
            if drafts or entry.state is NoteState.PUBLISHED:
                current[entry.key] = entry
        return {key: entry for key, entry in current.items() if not entry.empty}

    def commentary_of(self, subject: str, period: Period | None, *, drafts: bool = False) -> Commentary | None:
        if period is None:
            return None
        return self.current_commentary(drafts=drafts).get((subject, period.key))

    def commentary_history(self, subject: str) -> list[Commentary]:
        return [c for c in self.commentary if c.subject == subject]

    def current_progress(self) -> dict[tuple[str, str], MeasureProgress]:
        current: dict[tuple[str, str], MeasureProgress] = {}
        for entry in self.progress:
            current[entry.key] = entry
        return current

    def progress_of(self, subject: str, period: Period | None) -> MeasureProgress | None:
        """The latest state recorded for the subject in `period`, or else in the latest earlier period."""
        if period is None:
            return None
        found: MeasureProgress | None = None
        for entry in self.current_progress().values():
            earlier = entry.subject == subject and entry.period.start <= period.start
            if earlier and (found is None or entry.period.start > found.period.start):
                found = entry
        return found

    def progress_history(self, subject: str) -> list[MeasureProgress]:
        return [p for p in self.progress if p.subject == subject]


def roadmap_subjects(programme: Programme) -> dict[str, str]:
    """Every measure and task code of the roadmap, with its name."""
    found: dict[str, str] = {}
    for _pillar, _area, measure in measures_of(programme):
        found[measure.code] = measure.name
        for task in measure.tasks:
            found[task.code] = task.name
    return found


def measures_of(programme: Programme) -> Iterator[tuple[Pillar, Area, Measure]]:
    for pillar in programme.pillars:
        for area in pillar.areas:
            for measure in area.measures:
                yield pillar, area, measure


def owning_teams(programme: Programme, subject: str) -> frozenset[str]:
    """The teams that own an indicator: the owner teams of the tasks of the measures in every area that
    lists the indicator. They may write its commentary (as drafts) besides the office. The programme as a
    whole (`PROGRAMME_WIDE`) and an indicator in no area with owned tasks have none."""
    if subject == PROGRAMME_WIDE:
        return frozenset()
    return frozenset(
        task.owner_team
        for _pillar, area, measure in measures_of(programme)
        if subject in area.indicators
        for task in measure.tasks
        if task.owner_team
    )


def commentary_subjects(programme: Programme) -> set[str]:
    return {PROGRAMME_WIDE, *(i.code for i in programme.indicators)}


@dataclass(frozen=True)
class EntryProblem:
    field: str
    ja: str
    en: str


def check_commentary(programme: Programme, entry: Commentary) -> list[EntryProblem]:
    problems: list[EntryProblem] = []
    if entry.subject not in commentary_subjects(programme):
        problems.append(
            EntryProblem(
                "indicator",
                f"指標「{entry.subject}」はこのプログラムにありません",
                f"the programme has no indicator '{entry.subject}'",
            )
        )
    problems.extend(_text_problems("findings", [entry.findings], TEXT_LIMIT))
    for name, items in (("issues", entry.issues), ("actions", entry.actions)):
        if len(items) > ITEMS_LIMIT:
            problems.append(
                EntryProblem(name, f"項目は{ITEMS_LIMIT}件までです", f"at most {ITEMS_LIMIT} items are allowed")
            )
        problems.extend(_text_problems(name, items, ITEM_LIMIT))
    return problems


def check_progress(programme: Programme, entry: MeasureProgress) -> list[EntryProblem]:
    problems: list[EntryProblem] = []
    if entry.subject not in roadmap_subjects(programme):
        problems.append(
            EntryProblem(
                "measure",
                f"施策・タスク「{entry.subject}」はロードマップにありません",
                f"the roadmap has no measure or task '{entry.subject}'",
            )
        )
    problems.extend(_text_problems("note", [entry.note], TEXT_LIMIT))
    return problems


def _text_problems(field: str, texts: Iterable[str], limit: int) -> list[EntryProblem]:
    problems = []
    for text in texts:
        if len(text) > limit:
            problems.append(
                EntryProblem(
                    field,
                    f"{limit}文字以内で書いてください（{len(text)}文字）",
                    f"at most {limit} characters ({len(text)})",
                )
            )
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            problems.append(EntryProblem(field, "制御文字は使えません", "control characters are not allowed"))
    return problems


def sections(note: Commentary) -> list[tuple[str, tuple[str, ...]]]:
    """The parts of a commentary that have text, in reading order: findings, issues, actions."""
    parts: list[tuple[str, tuple[str, ...]]] = []
    if note.findings:
        parts.append(("findings", (note.findings,)))
    if note.issues:
        parts.append(("issues", note.issues))
    if note.actions:
        parts.append(("actions", note.actions))
    return parts
