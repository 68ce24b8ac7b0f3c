"""Tables of the catalogue. Revisions are append-only: rows are never updated or deleted."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models


class AppendOnlyError(RuntimeError):
    """History is never changed: write a new revision instead."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("revisions are append-only; record a new revision instead of updating")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("revisions are append-only; record a withdrawal instead of deleting")


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyManager(models.Manager[_M]):
    def get_queryset(self) -> models.QuerySet[_M]:
        return AppendOnlyQuerySet(self.model, using=self._db)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class Programme(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=300)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.code


class DefinitionRevision(AppendOnlyModel):
    """The programme's definition files (canonical YAML text) as loaded at one moment."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="definitions")
    recorded_at = models.DateTimeField(db_index=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    digest = models.CharField(max_length=64)
    documents = models.JSONField()

    class Meta:
        ordering = ("recorded_at", "id")


class ObservationRevision(AppendOnlyModel):
    """One change of one observation; `value` NULL withdraws it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="observations")
    code = models.CharField(max_length=100)
    org_unit = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    kind = models.CharField(max_length=16)
    source = models.CharField(max_length=300, blank=True)
    value = models.CharField(max_length=60, null=True)  # exact decimal text, e.g. "1971477" or "16.2"
    text = models.CharField(max_length=100, blank=True)  # as written: "197万", "▲14.7"
    note = models.TextField(blank=True)
    method = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("recorded_at", "id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["programme", "code", "org_unit", "period", "kind", "source", "recorded_at"],
                name="observation_history",
            ),
            models.Index(fields=["programme", "recorded_at"], name="observation_as_of"),
        ]


class CommentaryRevision(AppendOnlyModel):
    """One version of the office's commentary on an indicator ("" for the programme) and period."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="commentary")
    subject = models.CharField(max_length=100, blank=True)
    period = models.CharField(max_length=20)
    findings = models.TextField(blank=True)
    issues = models.JSONField(default=list)  # a list of texts
    actions = models.JSONField(default=list)
    state = models.CharField(max_length=16)  # draft | published
    source = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("recorded_at", "id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["programme", "recorded_at"], name="commentary_as_of"),
        ]


class ProgressRevision(AppendOnlyModel):
    """One recorded state of a measure or task of the roadmap in one period."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="progress")
    subject = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    state = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("recorded_at", "id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["programme", "recorded_at"], name="progress_as_of"),
        ]


class ResolutionRevision(AppendOnlyModel):
    """One decision on a published figure that differs from its recomputation: keep it or correct it.

    A later row for the same figure (code, org unit, period, basis) replaces it; none is ever removed."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="resolutions")
    code = models.CharField(max_length=100)
    org_unit = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    basis = models.CharField(max_length=16)  # actual | plan: what the published figure is
    keep = models.CharField(max_length=16)  # published | recomputed
    reason = models.TextField()
    published_text = models.CharField(max_length=100, blank=True)  # both values when it was decided
    recomputed_text = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("recorded_at", "id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["programme", "recorded_at"], name="resolution_as_of"),
        ]


class DataStamp(models.Model):
    """One row per programme: its newest definition and observation revision ids and when they changed.

    Written in the same transaction as every revision write (`shihyo.web.catalogue.repository`), so the
    data version is one indexed row to read, not a query over the revisions. Writers of a programme lock
    this row first, so revision ids grow in commit order."""

    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, primary_key=True, related_name="stamp")
    definitions = models.BigIntegerField(default=0)
    observations = models.BigIntegerField(default=0)
    notes = models.BigIntegerField(default=0)  # counts the writes of commentary and measure progress
    resolutions = models.BigIntegerField(default=0)  # the newest decision on a published figure
    changed_at = models.DateTimeField()
