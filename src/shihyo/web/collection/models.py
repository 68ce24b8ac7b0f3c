"""Tables of collection rounds. What departments send and every review step are append-only rows;
`Submission` holds only the current state and a version number that guards against lost updates."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from shihyo.core.collection import Action, Role, State
from shihyo.web.catalogue.models import AppendOnlyModel, Programme


class Membership(models.Model):
    """A user's role; a submitter's org units (each with the units below it); the programme teams the user
    belongs to (a team member drafts the commentary of the indicators the team owns)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=16, choices=[(r.value, r.value) for r in Role])
    org_units = models.JSONField(default=list)
    teams = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Round(models.Model):
    """A collection round (e.g. R4年度上期): series × periods asked from each org unit by a due date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    series = models.JSONField()
    periods = models.JSONField()
    org_units = models.JSONField()
    due = models.DateField(null=True, blank=True)
    outlier_threshold = models.DecimalField(max_digits=6, decimal_places=3)
    opened_at = models.DateTimeField()
    opened_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("-opened_at", "-id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["programme", "code"], name="round_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Submission(models.Model):
    """One org unit's part of a round: its current state and version (history in the event rows)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    org_unit = models.CharField(max_length=100)
    state = models.CharField(max_length=16, choices=[(s.value, s.value) for s in State])
    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "org_unit"], name="submission_unique")
        ]


class SubmissionEvent(AppendOnlyModel):
    """One step: submitted, returned, approved or reopened — who, when, why, and through what."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=16, choices=[(a.value, a.value) for a in Action])
    state = models.CharField(max_length=16)
    version = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    comment = models.TextField(blank=True)
    via = models.CharField(max_length=16, blank=True)  # web, xlsx, csv

    class Meta:
        ordering = ("at", "id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # two writers from the same version cannot both record a step
            models.UniqueConstraint(fields=["submission", "version"], name="event_version_unique")
        ]


class EntryRevision(AppendOnlyModel):
    """One change of one submitted value; the latest per (code, period) is what the unit has entered."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="entries")
    event = models.ForeignKey(SubmissionEvent, on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    value = models.CharField(max_length=60, null=True)  # exact decimal text; NULL: left empty
    text = models.CharField(max_length=100, blank=True)
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("recorded_at", "id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["submission", "code", "period", "recorded_at"], name="entry_history")
        ]


class AccountEvent(AppendOnlyModel):
    """One change of an account: created, role or org units changed, new password issued, (de)activated."""

    username = models.CharField(max_length=150, db_index=True)
    action = models.CharField(max_length=16)  # created, updated, password, deactivated, reactivated
    role = models.CharField(max_length=16, blank=True)
    org_units = models.JSONField(default=list)
    teams = models.JSONField(default=list)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)

    class Meta:
        ordering = ("at", "id")


class LoginFailure(models.Model):
    """A failed sign-in, counted to slow down password guessing (kept across app processes)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)


class SignInCounter(models.Model):
    """Tries of one (user name, address) pair or of one address within the current window (see `throttle`).
    `key` is a hash of the scope and the values, so that any user name fits."""

    key = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8)  # pair or address
    window_start = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    next_at = models.DateTimeField(null=True, blank=True)  # a slowed address: the next try allowed from then


class OutboxMessage(models.Model):
    """A mail to the people of a round (a notice or a reminder), recorded before it is sent.

    `key` is unique, so a second run of the reminders finds the message already there and sends nothing
    twice; `sent_at` stays empty until the mail server has taken it (`error` says why it has not)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="outbox")
    org_unit = models.CharField(max_length=100)
    kind = models.CharField(max_length=16)  # opened, returned, approved, reminder, overdue
    key = models.CharField(max_length=200, unique=True)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
