"""Personal API tokens: made and revoked by their owner, stored as a digest, checked on every API request.

A token reads ``shy_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the secret (43 URL-safe
characters, 256 bits) is compared by its sha256 digest in constant time. The whole token is shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F

from shihyo.core import clock
from shihyo.core.problems import Problem, UserError, ValidationFailed
from shihyo.web.api import models

PREFIX = "shy"
_SHAPE = re.compile(r"^shy_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")
MAX_DAYS = 366
SCOPES = (models.ApiToken.READ, models.ApiToken.WRITE)


class NotAuthenticated(UserError):
    """The request carries a token that is not (or no longer) valid: 401."""


class RateLimited(UserError):
    """Too many requests in this window: 429 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            ja=f"リクエストが多すぎます。{retry_after} 秒後に再度お試しください",
            en=f"too many requests; try again in {retry_after} seconds",
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Issued:
    token: models.ApiToken
    secret: str  # the whole token text: shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _field(field: str, ja: str, en: str, hint_ja: str, hint_en: str) -> Problem:
    return Problem("", None, field, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)


def issue(user: User, name: str, scope: str, days: int) -> Issued:
    """A new token for `user`; its text is in the result only."""
    problems = []
    name = name.strip()
    if not name or len(name) > 100 or any(not c.isprintable() for c in name):
        problems.append(
            _field(
                "name",
                "名前は1〜100字の文字にしてください",
                "the name must be 1 to 100 printable characters",
                "使い道が分かる名前にします（例: 庁内BI）",
                "say what it is for, e.g. 'office BI'",
            )
        )
    if scope not in SCOPES:
        problems.append(
            _field(
                "scope", "権限は read か write です", "the scope is read or write", "read: 読むだけ", "read: GET only"
            )
        )
    if not 1 <= days <= MAX_DAYS:
        problems.append(
            _field(
                "days",
                f"有効期間は1〜{MAX_DAYS}日です",
                f"a token lasts 1 to {MAX_DAYS} days",
                "例: 90",
                "e.g. 90",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    now = clock.now()
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = models.ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    digest=_digest(secret),
                    scope=scope,
                    created_at=now,
                    expires_at=now + timedelta(days=days),
                )
        except IntegrityError:  # the same prefix twice: draw again
            continue
        return Issued(token, f"{PREFIX}_{prefix}_{secret}")
    raise RuntimeError("could not draw a free token prefix")


def revoke(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token of theirs."""
    return bool(
        models.ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
    )


def tokens_of(user: User) -> list[models.ApiToken]:
    return list(models.ApiToken.objects.filter(user=user))


def _refused(ja: str, en: str) -> NotAuthenticated:
    return NotAuthenticated(ja=ja, en=en)


def authenticate(text: str) -> models.ApiToken:
    """The token row of a presented token, with its user; NotAuthenticated saying why otherwise."""
    match = _SHAPE.match(text.strip())
    if match is None:
        raise _refused(
            "API トークンの形式が違います（shy_ で始まる文字列です）",
            "this is not a shihyo API token (they start with shy_)",
        )
    prefix, secret = match.groups()
    token = models.ApiToken.objects.select_related("user", "user__membership").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        raise _refused("API トークンが正しくありません", "the API token is not valid")
    now = clock.now()
    if token.revoked_at is not None:
        raise _refused("この API トークンは取り消されています", "this API token has been revoked")
    if token.expires_at <= now:
        raise _refused(
            "この API トークンは有効期限が切れています。アカウントの画面で新しいトークンを作ってください",
            "this API token has expired; make a new one on your account page",
        )
    if not token.user.is_active:
        raise _refused("このアカウントは停止されています", "this account is stopped")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        models.ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def count_request(key: str, limit: int, window_seconds: int) -> None:
    """Count one request of `key` in the current fixed window; RateLimited once it is past `limit`."""
    now = clock.now().timestamp()
    window = int(now // window_seconds)
    with transaction.atomic():
        updated = models.RateWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    models.RateWindow.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # another process made the row meanwhile
                models.RateWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        count = models.RateWindow.objects.filter(key=key, window=window).values_list("count", flat=True).first() or 0
        if window % 10 == 0:  # now and then, forget windows long past
            models.RateWindow.objects.filter(window__lt=window - 1).delete()
    if count > limit:
        raise RateLimited(max(1, int((window + 1) * window_seconds - now) + 1))
