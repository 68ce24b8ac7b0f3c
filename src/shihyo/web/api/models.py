"""Personal API tokens and the fixed-window counters that limit how often each caller may ask.

A token's secret is shown once, when it is made; the table keeps only its sha256 digest, beside a short
public prefix that finds the row. A token is never deleted: revoking it stamps `revoked_at`."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal token of one account: read (GET) or read-write, until it expires or is revoked."""

    READ = "read"
    WRITE = "write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)  # public part: "shy_<prefix>_<secret>"
    digest = models.CharField(max_length=64)  # sha256 hex of the secret part
    scope = models.CharField(max_length=8, choices=[(READ, READ), (WRITE, WRITE)])
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix} ({self.user})"


class RateWindow(models.Model):
    """How many requests one caller (a token, or an address without one) made in one fixed window."""

    key = models.CharField(max_length=80)
    window = models.BigIntegerField()  # seconds since the epoch // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["key", "window"], name="api_rate_window_unique")
        ]
