"""Collection rounds on the database: open a round, read its state, submit figures, review them.

The web views and the CLI call these functions; the checks themselves live in `core.collection`.
Every write is one transaction: it locks the org unit's submission row, compares the version the user
started from (a stale version is a conflict, never a lost update) and appends revision rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count

from shihyo.core import assignments, clock
from shihyo.core.collection import (
    ALLOWED_FROM,
    DEFAULT_OUTLIER_THRESHOLD,
    STATE_AFTER,
    Action,
    Entry,
    EntryInput,
    Key,
    RoundSpec,
    State,
    asked_series,
    check_entries,
    children_in_round,
    previous_period,
    submitting_units,
)
from shihyo.core.inputs import THRESHOLD_PERCENT, InvalidInput, parse_period_input
from shihyo.core.labels import LABELS
from shihyo.core.model import Programme
from shihyo.core.periods import Period, PeriodParseError, parse_period
from shihyo.core.problems import Problem, UserError, ValidationFailed
from shihyo.core.revisions import latest
from shihyo.io.submissions import Template, TemplateRow
from shihyo.web.catalogue import repository
from shihyo.web.catalogue.evaluation import definitions_of, evaluate_programme
from shihyo.web.collection import models, notices

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
RESERVED = frozenset({"history", "new", "outbox"})  # words used in the collection URLs


LATE = (State.NOT_SUBMITTED, State.DRAFT, State.RETURNED)  # states that are overdue after the due date


class Conflict(UserError):
    """Someone else changed the submission since the user loaded it."""


class NotAllowed(UserError):
    """The step does not fit the submission's state (e.g. changing approved figures)."""


@dataclass(frozen=True)
class UnitStatus:
    code: str
    name: str
    depth: int
    state: State
    version: int
    changed_at: datetime | None
    changed_by: str
    overdue: bool


@dataclass(frozen=True)
class Outcome:
    version: int
    changed: int  # values that differ from what was entered before (submit) or published (approve)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    by: str
    stage: str  # "entered" (a department's submission) or "published" (approved, or loaded from files)
    old: str
    new: str
    note: str


def spec_of(round_: models.Round) -> RoundSpec:
    return RoundSpec(
        code=round_.code,
        name=round_.name,
        series=tuple(round_.series),
        periods=tuple(parse_period(p) for p in round_.periods),
        org_units=tuple(round_.org_units),
        outlier_threshold=round_.outlier_threshold,
    )


def programme_of(round_: models.Round) -> Programme:
    return definitions_of(round_.programme.code)


def _field_problem(field: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> Problem:
    return Problem("", None, field, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)


def open_round(
    programme_code: str,
    *,
    code: str,
    name: str,
    periods: Sequence[str],
    series: Sequence[str] = (),
    org_units: Sequence[str] = (),
    due: date | None = None,
    outlier_threshold: Decimal | None = None,
    by: str,
    now: datetime | None = None,
) -> models.Round:
    """Open a round; series and org units default to every series and every non-benchmark unit."""
    programme = definitions_of(programme_code)
    known_series = programme.series_by_code()
    units = {u.code: u for u in submitting_units(programme)}
    problems: list[Problem] = []
    if not CODE.match(code) or code in RESERVED:
        problems.append(
            _field_problem(
                "code",
                f"コード「{code}」は使えません",
                f"the code '{code}' cannot be used",
                "英小文字・数字・-・_ で40字まで（例: r4-h1）",
                "use up to 40 lower-case letters, digits, - and _ (e.g. r4-h1)",
            )
        )
    elif models.Round.objects.filter(programme__code=programme_code, code=code).exists():
        problems.append(
            _field_problem(
                "code",
                f"収集回「{code}」は既にあります",
                f"round '{code}' already exists",
                "別のコードにしてください",
                "choose another code",
            )
        )
    if not name.strip():
        problems.append(
            _field_problem("name", "名前が空です", "the name is empty", "例: R4年度上期", "e.g. R4年度上期")
        )
    parsed = []
    for text in periods:
        try:
            parsed.append(parse_period_input(text, "periods"))
        except InvalidInput as exc:
            problems.append(exc.problem)
    if not periods:
        problems.append(_field_problem("periods", "期間がありません", "no period given", "例: R4上期", "e.g. R4上期"))
    for item in series:
        if item not in known_series:
            problems.append(_field_problem("series", f"系列「{item}」はありません", f"there is no series '{item}'"))
    for item in org_units:
        if item not in units:
            problems.append(
                _field_problem("org_units", f"所属「{item}」はありません", f"there is no org unit '{item}'")
            )
    highest = THRESHOLD_PERCENT[1] / 100
    if outlier_threshold is not None and not (outlier_threshold.is_finite() and 0 < outlier_threshold <= highest):
        problems.append(
            _field_problem(
                "outlier_threshold",
                f"しきい値は 0 より大きく {highest} 以下の数です",
                f"the threshold must be above 0 and at most {highest}",
                "例: 0.5（50％）",
                "e.g. 0.5 (50 %)",
            )
        )
    chosen_series = list(series) or list(known_series)
    chosen_units = [
        u
        for u in units
        if (not org_units or u in org_units) and assignments.series_reported_by(programme, u, chosen_series)
    ]
    if not problems and not chosen_units:
        problems.append(
            _field_problem(
                "org_units",
                "選んだ所属はどれも、選んだ系列を報告しません",
                "none of the chosen org units reports any of the chosen series",
                "系列の reported_by（報告する所属）を確認するか、所属・系列を選び直してください",
                "check the series' reported_by, or choose other org units or series",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        round_ = models.Round.objects.create(
            programme=repository.programme_record(programme_code),
            code=code,
            name=name.strip(),
            series=chosen_series,
            periods=[p.key for p in parsed],
            org_units=chosen_units,
            due=due,
            outlier_threshold=outlier_threshold or DEFAULT_OUTLIER_THRESHOLD,
            opened_at=now or clock.now(),
            opened_by=by,
        )
        models.Submission.objects.bulk_create(
            models.Submission(round=round_, org_unit=unit, state=State.NOT_SUBMITTED.value) for unit in chosen_units
        )
        names = programme.org_unit_by_code()
        for unit in chosen_units:
            notices.record(round_, unit, names[unit].name, "opened", f"opened:{round_.pk}:{unit}")
    return round_


def status(round_: models.Round, today: date | None = None) -> list[UnitStatus]:
    """Each org unit of the round in tree order, with its state and whether it is overdue."""
    programme = programme_of(round_)
    today = today or clock.today()
    submissions = {s.org_unit: s for s in round_.submissions.all()}
    last_events: dict[int, models.SubmissionEvent] = {}
    for event in models.SubmissionEvent.objects.filter(submission__round=round_).order_by("at", "id"):
        last_events[event.submission_id] = event
    units = programme.org_unit_by_code()
    kids = children_in_round(programme, round_.org_units)
    roots = [c for c in round_.org_units if units[c].parent not in kids]
    lines: list[UnitStatus] = []

    def walk(code: str, depth: int) -> None:
        submission = submissions[code]
        state = State(submission.state)
        event = last_events.get(submission.pk)
        overdue = round_.due is not None and today > round_.due and state in LATE
        lines.append(
            UnitStatus(
                code,
                units[code].name,
                depth,
                state,
                submission.version,
                submission.changed_at,
                event.by if event else "",
                overdue,
            )
        )
        for child in kids[code]:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return lines


@dataclass(frozen=True)
class Progress:
    """How far a round has come: org units per state, and how many are overdue."""

    total: int
    counts: dict[State, int]
    overdue: int


def progress(rounds: Sequence[models.Round], today: date | None = None) -> dict[int, Progress]:
    """The progress of each round (by id), in one query."""
    today = today or clock.today()
    counts: dict[int, dict[State, int]] = {r.pk: dict.fromkeys(State, 0) for r in rounds}
    for round_id, state, n in (
        models.Submission.objects.filter(round__in=rounds)
        .values_list("round_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[round_id][State(state)] = n
    result = {}
    for r in rounds:
        late = sum(counts[r.pk][state] for state in LATE)
        overdue = late if r.due is not None and today > r.due else 0
        result[r.pk] = Progress(sum(counts[r.pk].values()), counts[r.pk], overdue)
    return result


def collected_periods(programme_code: str) -> list[Period]:
    """The periods the programme's rounds collect (the dashboard shows them even before any figure is in)."""
    found = set()
    for periods in models.Round.objects.filter(programme__code=programme_code).values_list("periods", flat=True):
        for key in periods:
            try:
                found.add(parse_period(key))
            except PeriodParseError:
                continue
    return sorted(found)


@dataclass(frozen=True)
class UnitInRound:
    """An org unit's part of the latest round that collects a period: its state and what it entered."""

    round_name: str
    state: State
    entered: dict[str, str]  # series code → the value as entered, while not yet approved


def units_in_round(programme_code: str, period: Period) -> dict[str, UnitInRound]:
    """Each unit of the latest round that collects `period`, with its state and its unapproved entries."""
    rounds = models.Round.objects.filter(programme__code=programme_code).order_by("-opened_at", "-id")
    chosen = next((r for r in rounds if period.key in r.periods), None)
    if chosen is None:
        return {}
    found = {}
    for submission in chosen.submissions.all():
        state = State(submission.state)
        pending = {}
        if state is not State.APPROVED:
            pending = {
                code: row.text for (code, key), row in entered(submission).items() if key == period.key and row.text
            }
        found[submission.org_unit] = UnitInRound(chosen.name, state, pending)
    return found


def submission_of(round_: models.Round, org_unit: str) -> models.Submission:
    submission = round_.submissions.filter(org_unit=org_unit).first()
    if submission is None:
        raise UserError(
            ja=f"所属「{org_unit}」は収集回「{round_.code}」の対象ではありません",
            en=f"org unit '{org_unit}' is not part of round '{round_.code}'",
        )
    return submission


def entered(submission: models.Submission) -> dict[Key, models.EntryRevision]:
    """What the org unit has entered so far: the latest revision of each value."""
    return latest(repository.in_recording_order(submission.entries.all()), lambda row: (row.code, row.period))


def previous_values(round_: models.Round, org_unit: str) -> dict[Key, Decimal]:
    """Last period's value of each series asked for (as computed by the engine, roll-ups included)."""
    result = evaluate_programme(round_.programme.code).result
    values: dict[Key, Decimal] = {}
    for period in spec_of(round_).periods:
        before = previous_period(period)
        if before is None:
            continue
        for code in round_.series:
            value = result.value(code, org_unit, before)
            if value is not None:
                values[(code, period.key)] = value
    return values


def template_of(round_: models.Round, org_unit: str, lang: str = "ja") -> Template:
    """The rows of a unit's form or template: series, period, last period's value, what is entered."""
    programme = programme_of(round_)
    submission = submission_of(round_, org_unit)
    spec = spec_of(round_)
    series_of = programme.series_by_code()
    previous = previous_values(round_, org_unit)
    current = entered(submission)
    rows = []
    for code in asked_series(programme, spec, org_unit):
        for period in spec.periods:
            before = previous_period(period)
            row = current.get((code, period.key))
            rows.append(
                TemplateRow(
                    series=series_of[code],
                    period=period,
                    period_label=period.label(programme.wareki_style, lang),
                    previous=previous.get((code, period.key)),
                    previous_label=before.label(programme.wareki_style, lang) if before else "",
                    value=row.text if row else "",
                    comment=row.comment if row else "",
                )
            )
    return Template(
        programme_code=programme.code,
        programme_name=programme.name,
        round=spec,
        org_unit=org_unit,
        org_unit_name=programme.org_unit_by_code()[org_unit].name,
        due=round_.due,
        version=submission.version,
        rows=tuple(rows),
    )


def _conflict(version: int, current: int) -> Conflict:
    return Conflict(
        ja=f"入力中に他の人がこの提出を更新しました（開いた時点の版 {version}、現在の版 {current}）。"
        "何も保存していません。画面を再読み込み（またはテンプレートを再ダウンロード）して入力し直してください",
        en=f"someone else changed these figures meanwhile (you started from version {version}, it is now "
        f"version {current}); nothing was saved — reload the page (or download the template again) and re-enter",
    )


def _lock(round_: models.Round, org_unit: str, base_version: int | None, action: Action) -> models.Submission:
    submission = models.Submission.objects.select_for_update().filter(round=round_, org_unit=org_unit).first()
    if submission is None:
        submission_of(round_, org_unit)  # raises the readable error
        raise AssertionError("unreachable")
    if base_version is not None and submission.version != base_version:
        raise _conflict(base_version, submission.version)
    state = State(submission.state)
    if state not in ALLOWED_FROM[action]:
        ja, en = LABELS[state]
        if state is State.APPROVED:
            raise NotAllowed(
                ja="承認済みの数値はロックされています。変更するには承認者が理由を付けて差し戻し（再開）してください",
                en="these figures are approved and locked; a reviewer can reopen them with a reason",
            )
        raise NotAllowed(
            ja=f"「{ja}」の状態ではこの操作はできません", en=f"this cannot be done while the submission is '{en}'"
        )
    return submission


def _record(
    submission: models.Submission, action: Action, base: int, *, by: str, comment: str, via: str, now: datetime
) -> models.SubmissionEvent:
    """Append the step and move the submission on by one version; a second writer from the same version fails."""
    version = base + 1
    try:
        with transaction.atomic():
            event = models.SubmissionEvent.objects.create(
                submission=submission,
                action=action.value,
                state=STATE_AFTER[action].value,
                version=version,
                at=now,
                by=by,
                comment=comment,
                via=via,
            )
    except IntegrityError:
        raise _conflict(base, base + 1) from None
    moved = models.Submission.objects.filter(pk=submission.pk, version=base).update(
        state=STATE_AFTER[action].value, version=version, changed_at=now
    )
    if moved != 1:
        raise _conflict(base, base + 1)
    return event


def submit(
    round_: models.Round,
    org_unit: str,
    inputs: Iterable[EntryInput],
    *,
    base_version: int | None,
    by: str,
    via: str,
    now: datetime | None = None,
    draft: bool = False,
) -> Outcome:
    """Check every value and, only if all pass, record the changed ones and mark the unit submitted.

    A draft keeps unfinished figures: empty fields are allowed, what is typed is checked all the same,
    and the unit stays with its clerks (入力中) until it is submitted."""
    now = now or clock.now()
    programme = programme_of(round_)
    spec = spec_of(round_)
    action = Action.SAVE if draft else Action.SUBMIT
    entries, problems = check_entries(
        programme, spec, org_unit, list(inputs), previous_values(round_, org_unit), draft=draft
    )
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        submission = _lock(round_, org_unit, base_version, action)
        current = entered(submission)
        base = submission.version
        event = _record(submission, action, base, by=by, comment="", via=via, now=now)
        rows = [
            models.EntryRevision(
                submission=submission,
                event=event,
                code=entry.code,
                period=entry.period.key,
                value=None if entry.value is None else str(entry.value),
                text=entry.text,
                comment=entry.comment,
                recorded_at=now,
                recorded_by=by,
            )
            for entry in entries
            if _changed(current.get(entry.key), entry)
        ]
        models.EntryRevision.objects.bulk_create(rows)
    return Outcome(base + 1, len(rows))


def _changed(before: models.EntryRevision | None, entry: Entry) -> bool:
    if before is None:
        return entry.value is not None or bool(entry.comment)
    value = None if entry.value is None else str(entry.value)
    return (before.value, before.text, before.comment) != (value, entry.text, entry.comment)


def review(
    round_: models.Round,
    org_unit: str,
    action: Action,
    *,
    comment: str,
    base_version: int | None,
    by: str,
    now: datetime | None = None,
) -> Outcome:
    """Approve (bottom-up: children first), return with a comment, or reopen approved figures with a reason."""
    if action in (Action.SUBMIT, Action.SAVE):
        raise NotAllowed(ja="提出は submit() で行います", en="use submit() to submit figures")
    now = now or clock.now()
    comment = comment.strip()
    if action in (Action.RETURN, Action.REOPEN) and not comment:
        raise ValidationFailed(
            [
                _field_problem(
                    "comment",
                    "差し戻し・再開には理由が必要です",
                    "returning or reopening needs a reason",
                    "理由をコメント欄に書いてください",
                    "write the reason in the comment",
                )
            ]
        )
    programme = programme_of(round_)
    kids = children_in_round(programme, round_.org_units)
    parent = programme.org_unit_by_code()[org_unit].parent
    with transaction.atomic():
        # lock the unit with its parent and children in one fixed order (by id), so that approving a parent
        # and reopening one of its children cannot both pass on stale states
        family = {org_unit, *kids.get(org_unit, ()), *((parent,) if parent else ())}
        list(models.Submission.objects.select_for_update().filter(round=round_, org_unit__in=family).order_by("id"))
        submission = _lock(round_, org_unit, base_version, action)
        others = {s.org_unit: State(s.state) for s in round_.submissions.exclude(pk=submission.pk)}
        if action is Action.APPROVE:
            waiting = [c for c in kids.get(org_unit, ()) if others.get(c) is not State.APPROVED]
            if waiting:
                names = programme.org_unit_by_code()
                listed = "、".join(names[c].name for c in waiting)
                raise NotAllowed(
                    ja=f"下位の所属を先に承認してください: {listed}",
                    en=f"approve the units below first: {', '.join(waiting)}",
                )
        if action is Action.REOPEN and parent in others and others[parent] is State.APPROVED:
            raise NotAllowed(
                ja="上位の所属が承認済みです。先に上位の所属を再開してください",
                en=f"the parent unit '{parent}' is approved: reopen it first",
            )
        base = submission.version
        _record(submission, action, base, by=by, comment=comment, via="web", now=now)
        published = _publish(round_, submission, by=by, now=now) if action is Action.APPROVE else 0
        kind = "approved" if action is Action.APPROVE else "returned"
        name = programme.org_unit_by_code()[org_unit].name
        notices.record(round_, org_unit, name, kind, notices.notice_key(kind, round_, org_unit, base + 1), comment)
    return Outcome(base + 1, published)


def _publish(round_: models.Round, submission: models.Submission, *, by: str, now: datetime) -> int:
    """Publish the approved values through the catalogue (only those that differ from what is published)."""
    values = [
        repository.Publication(
            code=row.code,
            period=row.period,
            value=row.value,
            text=row.text,
            note=row.comment,
            reason=f"{round_.name}: 承認（入力 {row.recorded_by}）",
        )
        for row in entered(submission).values()
        if row.value is not None
    ]
    return repository.publish(round_.programme.code, submission.org_unit, values, by=by, now=now)


def published_keys(programme_code: str) -> frozenset[tuple[str, str, str, str, str]]:
    """Observation keys of the figures approved in collection rounds: loading files must not withdraw them."""
    approved = models.Submission.objects.filter(
        round__programme__code=programme_code, events__action=Action.APPROVE.value
    ).distinct()
    keys = set()
    for submission in approved:
        for (code, period), row in entered(submission).items():
            if row.value is not None:
                keys.add((code, submission.org_unit, period, "actual", ""))
    return frozenset(keys)


def value_history(programme_code: str, code: str, org_unit: str, period: str) -> list[HistoryLine]:
    """Every change of one value: what departments entered in each round, and what was published."""
    lines: list[HistoryLine] = []
    previous = ""
    for entry in repository.in_recording_order(
        models.EntryRevision.objects.filter(
            submission__round__programme__code=programme_code, submission__org_unit=org_unit, code=code, period=period
        )
    ):
        lines.append(HistoryLine(entry.recorded_at, entry.recorded_by, "entered", previous, entry.text, entry.comment))
        previous = entry.text
    published: dict[tuple[str, str], str] = {}  # the latest text of each kind and source (plan, actual …)
    for row in repository.history(programme_code, code, org_unit, period):
        new = row.text if row.value is not None else ""
        note = " / ".join(x for x in (row.kind if row.kind != "actual" else "", row.reason, row.note) if x)
        old = published.get((row.kind, row.source), "")
        lines.append(HistoryLine(row.recorded_at, row.recorded_by, "published", old, new, note))
        published[(row.kind, row.source)] = new
    return sorted(lines, key=lambda line: line.at)


def events(round_: models.Round, org_unit: str | None = None) -> list[models.SubmissionEvent]:
    rows = models.SubmissionEvent.objects.filter(submission__round=round_).select_related("submission")
    if org_unit is not None:
        rows = rows.filter(submission__org_unit=org_unit)
    return list(rows.order_by("-at", "-id"))
