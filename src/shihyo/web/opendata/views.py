"""Thin views of the open data: read the query, ask `evaluate_programme`, write the files of `io.opendata`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shihyo.core import clock, inputs
from shihyo.io import dcat, opendata
from shihyo.web import errors
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.catalogue.repository import programme_codes

View = Callable[..., HttpResponse]
CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"


class NoLicence(Exception):
    """The programme sets no licence: nothing is published as open data."""


def _state(request: HttpRequest, programme: str) -> ProgrammeState:
    if programme not in programme_codes():
        raise Http404(programme)
    as_of = inputs.parse_as_of(request.GET.get("as_of", "")[:64], "as_of")
    return evaluate_programme(programme, as_of)


def _edition(state: ProgrammeState) -> opendata.Edition:
    return opendata.Edition(state.as_of or clock.now(), str(state.version))


def _published(state: ProgrammeState) -> None:
    if opendata.licence_of(state.programme) is None:
        raise NoLicence(state.code)


def _refuse_unlicensed(view: View) -> View:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NoLicence:
            return errors.error_response(
                request,
                404,
                _(
                    "This programme publishes no open data yet: its programme file sets no licence. "
                    "The programme office sets one (for example licence: CC-BY-4.0) and loads the programme again."
                ),
            )

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data: portals and notebooks may read it directly
    return response


def _query(request: HttpRequest) -> str:
    """?as_of=… carried on to the files (the same data as the page)."""
    as_of = request.GET.get("as_of", "")[:64]
    return f"?{urlencode({'as_of': as_of})}" if as_of else ""


def _catalogue(request: HttpRequest, state: ProgrammeState) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse("opendata:programme", args=[state.code]))
    suffix = _query(request)
    return dcat.catalogue(state.result, _edition(state), lambda path: f"{base}{path}{suffix}", page=base)


@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    found = []
    for code in programme_codes():
        state = evaluate_programme(code)
        found.append({"code": code, "programme": state.programme, "licence": opendata.licence_of(state.programme)})
    return render(request, "opendata/index.html", {"title": _("Open data"), "found": found})


@require_GET
def programme_page(request: HttpRequest, programme: str) -> HttpResponse:
    state = _state(request, programme)
    p = state.programme
    counts = state.result.values.group_by("code").len()
    rows_of = {str(code): int(n) for code, n in counts.iter_rows()}
    items = []
    for code, kind in opendata.datasets(state.result):
        info = opendata.dataset_description(p, code)
        items.append({**info, "kind": kind, "rows": rows_of.get(code, 0)})
    return render(
        request,
        "opendata/programme.html",
        {
            "title": _("Open data"),
            "programme": p,
            "state": state,
            "licence": opendata.licence_of(p),
            "edition": _edition(state),
            "items": items,
            "columns": opendata.COLUMNS,
            "query": _query(request),
        },
    )


@require_GET
@_refuse_unlicensed
def dataset_file(request: HttpRequest, programme: str, code: str, fmt: str) -> HttpResponse:
    state = _state(request, programme)
    _published(state)
    if code not in {c for c, _kind in opendata.datasets(state.result)}:
        raise Http404(code)
    edition = _edition(state)
    found = opendata.rows(state.result, edition, [code])
    if fmt == "csv":
        return _file(opendata.write_csv(found), CSV, f"{programme}-{code}.csv")
    if fmt == "json":
        return _file(opendata.write_json(state.programme, code, found, edition), JSON, f"{programme}-{code}.json")
    raise Http404(fmt)


@require_GET
@_refuse_unlicensed
def bulk_file(request: HttpRequest, programme: str) -> HttpResponse:
    state = _state(request, programme)
    _published(state)
    body = opendata.bulk_zip(state.programme, state.result, _edition(state), _catalogue(request, state))
    return _file(body, "application/zip", f"{programme}-opendata.zip")


@require_GET
@_refuse_unlicensed
def catalogue_file(request: HttpRequest, programme: str) -> HttpResponse:
    state = _state(request, programme)
    _published(state)
    body = json.dumps(_catalogue(request, state), ensure_ascii=False, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalogues_file(request: HttpRequest) -> HttpResponse:
    """Every licensed programme's catalogue in one document, for a portal's harvester."""
    items = []
    for code in programme_codes():
        state = evaluate_programme(code)
        if opendata.licence_of(state.programme) is not None:
            items.append(_catalogue(request, state))
    body = dcat.catalogues(items, request.build_absolute_uri(request.path))
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
