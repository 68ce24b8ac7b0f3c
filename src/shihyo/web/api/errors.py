"""The API's errors in the project's one JSON shape (`shihyo.web.errors`): ``{"error", "problems": [{"place",
"message", "fix"}]}``, in the request's language, with the status each kind of error means."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from shihyo.core.problems import Problem, UserError
from shihyo.web import errors
from shihyo.web.api import schemas
from shihyo.web.api.auth import Forbidden, api_language
from shihyo.web.api.tokens import NotAuthenticated, RateLimited

ERRORS: dict[int, Any] = {status: schemas.ErrorOut for status in (400, 401, 403, 404, 409, 429, 503)}
WRITE_ERRORS: dict[int, Any] = ERRORS


def _place(location: Any) -> str:
    parts = [str(x) for x in location if x not in ("query", "body", "path", "payload", "filters")] if location else []
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text


def _validation_problem(item: dict[str, Any]) -> Problem:
    where = _place(item.get("loc", ()))
    message = str(item.get("msg", "invalid"))[:200]
    kind = str(item.get("type", ""))
    return Problem(
        "",
        None,
        where,
        ja=f"「{where or '入力'}」の値が使えません（{message}）",
        en=f"'{where or 'input'}' is not valid ({message})",
        hint_ja="OpenAPI 文書（/api/v1/openapi.json）の型と範囲に合わせてください" if kind else "",
        hint_en="follow the type and bounds in the OpenAPI document (/api/v1/openapi.json)" if kind else "",
    )


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every failure into the JSON shape."""

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        language = api_language(request)
        problems = [_validation_problem(item) for item in exc.errors[:50]]
        message = "入力を確認してください" if language == "ja" else "please check the request"
        return errors.error_response(request, 400, message, problems)

    @api.exception_handler(UserError)
    def user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
        api_language(request)
        status = None
        if isinstance(exc, NotAuthenticated):
            status = 401
        elif isinstance(exc, Forbidden):
            status = 403
        elif isinstance(exc, RateLimited):
            status = 429
        response = errors.user_error_response(request, exc, status)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="shihyo"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        api_language(request)
        return errors.not_found_response(request)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        language = api_language(request)
        status = exc.status_code if exc.status_code in ERRORS else 400
        message = "リクエストを読み取れません" if language == "ja" else "the request cannot be read"
        return errors.error_response(request, status, f"{message} ({str(exc)[:100]})")

    @api.exception_handler(Exception)
    def internal(request: HttpRequest, exc: Exception) -> HttpResponse:
        errors.log_internal_error(request, exc)
        return errors.apology_response(request)
