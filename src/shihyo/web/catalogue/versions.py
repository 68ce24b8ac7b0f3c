"""The data version of a stored programme: one row per programme (`DataStamp`), advanced in the same
transaction as every revision write of `shihyo.web.catalogue.repository`, read in one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from shihyo.web.catalogue import models


@dataclass(frozen=True)
class DataVersion:
    """The newest definition and observation revision of a programme: changes whenever its data changes."""

    definitions: int
    observations: int
    notes: int = 0  # the writes of commentary and measure progress (they change pages, not figures)
    resolutions: int = 0  # the newest decision on a published figure (it changes what is official)

    def __str__(self) -> str:
        text = f"{self.definitions}.{self.observations}"
        if self.notes or self.resolutions:
            text += f".{self.notes}"
        return text + (f".{self.resolutions}" if self.resolutions else "")


def data_version(code: str) -> DataVersion:
    """The programme's data version: one row, written with every revision (`DataStamp`)."""
    found = (
        models.DataStamp.objects.filter(programme__code=code)
        .values_list("definitions", "observations", "notes", "resolutions")
        .first()
    )
    if found is None:  # a programme row without revisions yet
        return DataVersion(0, 0)
    return DataVersion(int(found[0]), int(found[1]), int(found[2]), int(found[3]))


def data_versions() -> tuple[tuple[str, DataVersion, datetime], ...]:
    """Every programme's code, data version and when its data last changed, in one query (page caching:
    a page names the other programmes too, so it depends on all of them)."""
    rows = models.DataStamp.objects.order_by("programme_id").values_list(
        "programme__code", "definitions", "observations", "notes", "resolutions", "changed_at"
    )
    return tuple((code, DataVersion(int(d), int(o), int(n), int(r)), at) for code, d, o, n, r, at in rows)


def lock_stamp(programme: models.Programme, now: datetime) -> models.DataStamp:
    """The programme's data stamp, locked for this transaction: writers of one programme take turns, so
    the revision ids they allocate grow in the order they commit."""
    models.DataStamp.objects.get_or_create(programme=programme, defaults={"changed_at": now})
    return models.DataStamp.objects.select_for_update().get(programme=programme)


def advance_stamp(
    stamp: models.DataStamp,
    definition: models.DefinitionRevision | None,
    observations: Sequence[models.ObservationRevision],
    now: datetime,
) -> None:
    """Record the newest revision ids in the stamp (same transaction as the revisions themselves)."""
    if definition is None and not observations:
        return
    if definition is not None:
        stamp.definitions = max(stamp.definitions, definition.pk)
    if observations:
        ids = [row.pk for row in observations if row.pk is not None]
        newest = max(ids) if len(ids) == len(observations) else None
        if newest is None:  # a database that does not return the ids of a bulk insert
            newest = models.ObservationRevision.objects.filter(programme_id=stamp.pk).aggregate(m=Max("id"))["m"]
        stamp.observations = max(stamp.observations, int(newest or 0))
    stamp.changed_at = max(stamp.changed_at, now)
    stamp.save(update_fields=["definitions", "observations", "changed_at"])


def advance_notes(stamp: models.DataStamp, now: datetime) -> None:
    """Count one write of commentary or measure progress (same transaction as its revisions)."""
    stamp.notes += 1
    stamp.changed_at = max(stamp.changed_at, now)
    stamp.save(update_fields=["notes", "changed_at"])


def advance_resolutions(stamp: models.DataStamp, newest: int, now: datetime) -> None:
    """Record the newest decision on a published figure (same transaction as the decision)."""
    stamp.resolutions = max(stamp.resolutions, newest)
    stamp.changed_at = max(stamp.changed_at, now)
    stamp.save(update_fields=["resolutions", "changed_at"])


def changed_since(code: str, after: DataVersion, upto: DataVersion) -> frozenset[str] | None:
    """The codes whose observation revisions were recorded between two data versions of the programme,
    or None when its definitions changed in between (then everything must be evaluated again)."""
    if after.definitions != upto.definitions:
        return None
    rows = models.ObservationRevision.objects.filter(
        programme__code=code, id__gt=after.observations, id__lte=upto.observations
    )
    return frozenset(rows.values_list("code", flat=True).distinct())
