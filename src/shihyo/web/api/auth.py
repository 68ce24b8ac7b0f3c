"""Who is calling the API: anonymous (public, published data only) or the account of a personal token.

`TokenAuth` is ninja's auth callable on every operation. Without an ``Authorization`` header the caller is
anonymous; with one, the token must be valid (else 401). Every caller is counted against the rate limit
(per token, or per address when anonymous). Roles and org-unit scopes are those of the web
(`shihyo.web.collection.permissions`); a read token may only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer

from shihyo.core.model import Programme
from shihyo.core.problems import UserError
from shihyo.web.api import models, tokens
from shihyo.web.collection import permissions


class Forbidden(UserError):
    """The caller is known but may not do this: 403."""


@dataclass(frozen=True)
class Caller:
    user: AbstractBaseUser | AnonymousUser
    token: models.ApiToken | None

    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True

    @property
    def can_write(self) -> bool:
        return self.token is not None and self.token.scope == models.ApiToken.WRITE


def api_language(request: HttpRequest) -> str:
    """English when the client's Accept-Language starts with en, else Japanese (the site's default)."""
    asked = request.headers.get("Accept-Language", "").strip().lower()
    language = "en" if asked.startswith("en") else settings.LANGUAGE_CODE
    translation.activate(language)
    return language


def _client_key(request: HttpRequest) -> str:
    return "addr:" + str(request.META.get("REMOTE_ADDR", ""))[:64]


class TokenAuth(HttpBearer):
    """Bearer tokens (``Authorization: Bearer shy_…``); none at all means an anonymous, public caller."""

    def __call__(self, request: HttpRequest) -> Caller | None:
        api_language(request)
        header = request.headers.get(self.header, "")
        if not header:
            tokens.count_request(_client_key(request), settings.API_RATE_LIMIT, settings.API_RATE_WINDOW)
            return Caller(AnonymousUser(), None)
        scheme, _, text = header.partition(" ")
        if scheme.lower() != "bearer" or not text.strip():
            raise tokens.NotAuthenticated(
                ja="Authorization ヘッダーは「Bearer <トークン>」の形にしてください",
                en="the Authorization header must read 'Bearer <token>'",
            )
        return self.authenticate(request, text)

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        row = tokens.authenticate(token)
        tokens.count_request(f"token:{row.prefix}", settings.API_RATE_LIMIT, settings.API_RATE_WINDOW)
        request.user = row.user
        return Caller(row.user, row)


def caller_of(request: HttpRequest) -> Caller:
    found = getattr(request, "auth", None)
    return found if isinstance(found, Caller) else Caller(AnonymousUser(), None)


def _needs_token() -> tokens.NotAuthenticated:
    return tokens.NotAuthenticated(
        ja="この操作には API トークンが必要です（Authorization: Bearer <トークン>）",
        en="this operation needs an API token (Authorization: Bearer <token>)",
    )


def require_member(caller: Caller) -> None:
    if caller.token is None:
        raise _needs_token()
    if not permissions.can_use_collection(caller.user):
        raise Forbidden(ja="このアカウントにはまだ役割がありません", en="this account has no role yet")


def require_write(caller: Caller) -> None:
    require_member(caller)
    if not caller.can_write:
        raise Forbidden(
            ja="この API トークンは読み取り専用です。書き込みには write のトークンを使ってください",
            en="this API token is read-only; use a token with the write scope",
        )


def require_unit(caller: Caller, programme: Programme, org_unit: str, *, write: bool) -> None:
    (require_write if write else require_member)(caller)
    allowed = (permissions.can_submit if write else permissions.can_read_unit)(caller.user, programme, org_unit)
    if not allowed:
        raise Forbidden(
            ja="この所属の数値を見る・変更する権限がありません",
            en="you may not see or change the figures of this org unit",
        )


def require_reviewer(caller: Caller) -> None:
    require_write(caller)
    if not permissions.can_review(caller.user):
        raise Forbidden(
            ja="承認・差戻しは承認者と推進チームだけができます",
            en="only reviewers and the programme office approve or return figures",
        )
