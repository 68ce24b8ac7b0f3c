"""One error shape per surface, for the web.

- A user error (`UserError` and its subclasses) raised by any view becomes the site's error page, or, when
  the client asks for JSON (``Accept: application/json`` or a path under ``/api/``),
  ``{"error": "...", "problems": [{"place", "message", "fix"}]}`` in the request's language, with a 4xx
  status: 400 by default, 409 for conflicts and steps that do not fit the state, 503 before anything is
  loaded.
- Every response carries ``X-Request-ID``; an internal error is logged with that id and shown as a plain
  apology page (500) that gives the id, never a traceback.
- 404 and 403 use the site's layout (or the JSON shape).
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shihyo.core.problems import Problem, UserError, ValidationFailed
from shihyo.web.dashboard.templatetags.shihyo import lang

logger = logging.getLogger("shihyo.web")
HEADER = "X-Request-ID"
_META_KEY = "shihyo.request_id"  # kept in the request's environ, beside the server's own keys
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # a proxy's id is kept when it looks like one


def request_id(request: HttpRequest) -> str:
    """The id of this request: the one `shihyo.web.logging.RequestIdMiddleware` gave it and logs with
    (made up on the spot, and kept, if that middleware did not run)."""
    given = vars(request).get("id")
    if isinstance(given, str) and given:
        return given
    known = request.META.get(_META_KEY, "")
    if known:
        return str(known)
    incoming = request.headers.get(HEADER, "")
    chosen = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex[:16]
    request.META[_META_KEY] = chosen
    return chosen


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith("/api/"):
        return True
    if "application/json" not in request.headers.get("Accept", ""):
        return False
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def status_of(error: UserError) -> int:
    """400, or what the kind of user error means in HTTP (the kinds are declared beside their services)."""
    from shihyo.web.catalogue.repository import NothingLoaded
    from shihyo.web.collection.services import Conflict, NotAllowed

    if isinstance(error, Conflict | NotAllowed):
        return 409
    if isinstance(error, NothingLoaded):
        return 503
    return 400


def _problem_json(problem: Problem, language: str) -> dict[str, str]:
    return {"place": problem.place(), "message": problem.message(language), "fix": problem.hint(language)}


def error_response(
    request: HttpRequest,
    status: int,
    message: str,
    problems: Sequence[Problem] = (),
    *,
    heading: str = "",
) -> HttpResponse:
    """The error page in the site's layout, or the JSON shape; both in the request's language."""
    language = lang()
    if wants_json(request):
        body = {"error": message, "problems": [_problem_json(p, language) for p in problems]}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    heading = heading or (_("This page cannot be shown") if request.method == "GET" else _("This cannot be done"))
    context = {
        "title": heading,
        "heading": heading,
        "message": message,
        "problems": tuple(problems),
        "status": status,
    }
    return render(request, "dashboard/error.html", context, status=status)


def user_error_response(request: HttpRequest, error: UserError, status: int | None = None) -> HttpResponse:
    problems = error.problems if isinstance(error, ValidationFailed) else ()
    # the message alone: a ValidationFailed's problems are listed one by one beside it
    message = error.ja if lang() == "ja" else error.en
    return error_response(request, status or status_of(error), message, problems)


def forbidden_response(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(request, 403, reason or _("You may not open this page."), heading=_("Not permitted"))


def not_found_response(request: HttpRequest) -> HttpResponse:
    return error_response(
        request,
        404,
        _("There is no page at this address. Check the address, or start again from the overview."),
        heading=_("Page not found"),
    )


def apology_response(request: HttpRequest) -> HttpResponse:
    """The 500 page: an apology and the request id, nothing of the failure itself."""
    ident = request_id(request)
    if wants_json(request):
        body = {
            "error": _("Something went wrong on our side (request %(id)s).") % {"id": ident},
            "problems": [],
            "request_id": ident,
        }
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    try:
        return render(request, "dashboard/500.html", {"request_id": ident}, status=500)
    except Exception:  # the page itself failed (templates, translations): a fixed text still answers
        text = (
            "<!DOCTYPE html><html lang='ja'><meta charset='utf-8'><title>500</title>"
            f"<p>申し訳ありません。処理中に問題が起きました（受付番号 {ident}）。</p>"
            f"<p lang='en'>Sorry, something went wrong on our side (request {ident}).</p></html>"
        )
        return HttpResponse(text, status=500)


def log_internal_error(request: HttpRequest, exc: BaseException) -> None:
    logger.error("internal error, request %s: %s %s", request_id(request), request.method, request.path, exc_info=exc)


class ErrorMiddleware:
    """Gives each request its id and turns exceptions from views into the shapes above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ident = request_id(request)
        response = self.get_response(request)
        response[HEADER] = ident
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, UserError):
            return user_error_response(request, exc)
        if isinstance(exc, Http404):
            return not_found_response(request)
        if isinstance(exc, PermissionDenied):
            return forbidden_response(request, str(exc))
        log_internal_error(request, exc)
        return apology_response(request)


# the project's handlers (urls.py) for what happens outside views and for DEBUG-free defaults
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return not_found_response(request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return forbidden_response(request, str(exception or ""))


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if error is not None:
        log_internal_error(request, error)
    return apology_response(request)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    return forbidden_response(
        request, _("The form was not accepted (its security token is missing or old). Reload the page and try again.")
    )
