"""Pages of the API: the human-readable list of operations (from the OpenAPI document, no script or CDN)
and each account's own API tokens (made, shown once, revoked)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shihyo.core.problems import ValidationFailed
from shihyo.web.api import tokens
from shihyo.web.api.api import api
from shihyo.web.api.forms import TokenForm

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[dict[str, Any]]:
    """Each operation of the OpenAPI document: method, path, summary, description, parameters, answers."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tags": operation.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", "") or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": "requestBody" in operation,
                    "statuses": sorted(operation.get("responses", {})),
                }
            )
    return found


@require_GET
def docs_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/docs.html",
        {"title": _("API"), "operations": operations(), "description": api.description},
    )


@require_http_methods(["GET", "POST"])
@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens: make one (its text shown on this response only) or revoke one."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    issued: tokens.Issued | None = None
    problems: tuple[Any, ...] = ()
    status = 200
    if request.method == "POST":
        data = TokenForm(request.POST).parsed()
        if data["action"] == "revoke":
            if tokens.revoke(user, data["token"]):
                messages.success(request, _("The token is revoked."))
            return redirect("api:tokens")
        try:
            issued = tokens.issue(user, data["name"], data["scope"], data["days"])
        except ValidationFailed as exc:
            problems, status = exc.problems, 400
    response = render(
        request,
        "api/tokens.html",
        {
            "title": _("API tokens"),
            "tokens": tokens.tokens_of(user),
            "issued": issued,
            "problems": problems,
            "max_days": tokens.MAX_DAYS,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # a token's text must not stay in a cache
    return response
