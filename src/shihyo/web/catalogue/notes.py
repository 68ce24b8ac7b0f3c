"""The storage boundary of commentary and measure progress: every read and write of their revisions.

Like observations, both are append-only revisions (who, when, why) read through the one as-of rule:
`read_notes(code, as_of)` gives every revision recorded up to the moment, and `shihyo.core.commentary`
picks what is current. Writes record a revision only when the text or state changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from shihyo.core.commentary import Commentary, MeasureProgress, Notes, NoteState, Progress
from shihyo.core.periods import parse_period
from shihyo.web.catalogue import models
from shihyo.web.catalogue.repository import in_recording_order
from shihyo.web.catalogue.versions import advance_notes, lock_stamp


def read_notes(code: str, as_of: datetime | None = None) -> Notes:
    """Every commentary and progress revision of the programme recorded at or before `as_of`."""
    commentary = tuple(
        Commentary(
            subject=row.subject,
            period=parse_period(row.period),
            findings=row.findings,
            issues=tuple(row.issues),
            actions=tuple(row.actions),
            state=NoteState(row.state),
            source=row.source,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
            reason=row.reason,
        )
        for row in in_recording_order(models.CommentaryRevision.objects.filter(programme__code=code), as_of)
    )
    progress = tuple(
        MeasureProgress(
            subject=row.subject,
            period=parse_period(row.period),
            state=Progress(row.state),
            note=row.note,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
            reason=row.reason,
        )
        for row in in_recording_order(models.ProgressRevision.objects.filter(programme__code=code), as_of)
    )
    return Notes(commentary, progress)


def record_commentary(code: str, entries: Iterable[Commentary], *, by: str, reason: str, now: datetime) -> int:
    """Record each entry whose text or state differs from the latest stored one; returns how many."""
    with transaction.atomic():
        programme = models.Programme.objects.get(code=code)
        latest = {(c.subject, c.period.key): c for c in read_notes(code).commentary}
        rows = [
            models.CommentaryRevision(
                programme=programme,
                subject=entry.subject,
                period=entry.period.key,
                findings=entry.findings,
                issues=list(entry.issues),
                actions=list(entry.actions),
                state=entry.state.value,
                source=entry.source,
                recorded_at=now,
                recorded_by=by,
                reason=reason,
            )
            for entry in entries
            if (entry.key not in latest and not entry.empty)
            or (entry.key in latest and not entry.same_text(latest[entry.key]))
        ]
        models.CommentaryRevision.objects.bulk_create(rows)
        if rows:
            advance_notes(lock_stamp(programme, now), now)
    return len(rows)


def record_progress(code: str, entries: Iterable[MeasureProgress], *, by: str, reason: str, now: datetime) -> int:
    """Record each progress state that differs from the latest stored one for its measure and period."""
    with transaction.atomic():
        programme = models.Programme.objects.get(code=code)
        latest = read_notes(code).current_progress()
        rows = [
            models.ProgressRevision(
                programme=programme,
                subject=entry.subject,
                period=entry.period.key,
                state=entry.state.value,
                note=entry.note,
                recorded_at=now,
                recorded_by=by,
                reason=reason,
            )
            for entry in entries
            if entry.key not in latest or not entry.same_text(latest[entry.key])
        ]
        models.ProgressRevision.objects.bulk_create(rows)
        if rows:
            advance_notes(lock_stamp(programme, now), now)
    return len(rows)
