"""Report files written by a background job: one row per report asked for, with its progress.

The row is made when a visitor asks for a report that is not on disk yet (see `report_jobs`); the job
(`shihyo worker`) fills in its stage and percentage as it goes and the file's path when it is done, so the
page the visitor waits on can show how far it is. A report is one row per key (programme, data version,
moment, period, language, format): asking again for the same report waits on the same job.
"""

from __future__ import annotations

from django.db import models


class ReportBuild(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    key = models.CharField(max_length=400, unique=True)  # ReportKey: folder and file name
    programme = models.CharField(max_length=64)
    version = models.CharField(max_length=64)
    as_of = models.DateTimeField(null=True)
    period = models.CharField(max_length=32)
    lang = models.CharField(max_length=8)
    fmt = models.CharField(max_length=8)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=64, blank=True)  # what the job is doing: evaluating, pdf, …
    error = models.TextField(blank=True)
    path = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} ({self.state}, {self.progress}%)"
