"""The office changes its catalogue on screen: the series (data elements) of a programme.

Each change goes form → proposal (the same rules as the files, problems by field) → preview (which
figures move, old → new) → save with a reason, as a definition revision; nothing is saved before the
office has seen the preview, and a refused change saves nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shihyo.core import clock, inputs
from shihyo.core.assignments import KINDS
from shihyo.core.model import Direction, OrgAggregation, PartRelation, TargetKind, TimeAggregation
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.catalogue_book import read_catalogue, write_catalogue
from shihyo.io.submissions import MAX_BYTES
from shihyo.web import errors
from shihyo.web.catalogue import editing, repository
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard import edit_steps
from shihyo.web.forms import ListField, ParsedForm, Parser

SERIES = "series.yaml"
TARGETS = "targets.yaml"
MAX_SERIES_NAME = 200
MAX_UNIT = 20
MAX_NOTE = 2000
MAX_SOURCE = 300




class SeriesForm(ParsedForm):
    """One series as the office fills it in; `series.yaml`'s rules then judge the whole programme."""

    parsers: ClassVar[dict[str, Parser]] = {
        "code": edit_steps.text(inputs.MAX_CODE),
        "name": edit_steps.text(MAX_SERIES_NAME, required=True),
        "name_en": edit_steps.text(MAX_SERIES_NAME),
        "unit": edit_steps.text(MAX_UNIT),
        "decimals": partial(inputs.parse_whole, low=0, high=6),
        "time_aggregation": edit_steps.text(inputs.MAX_CODE),
        "org_aggregation": edit_steps.text(inputs.MAX_CODE),
        "part_of": edit_steps.text(inputs.MAX_CODE),
        "relation": edit_steps.text(inputs.MAX_CODE),
        "note": edit_steps.text(MAX_NOTE, multiline=True),
        "source": edit_steps.text(MAX_SOURCE),
        "range_min": edit_steps.text(inputs.MAX_NAME),
        "range_max": edit_steps.text(inputs.MAX_NAME),
        "reason": edit_steps.text(500),
        "previewed": edit_steps.text(64),
        "base": partial(inputs.parse_whole, low=0, high=10**12),
    }
    reported_by = ListField(required=False)


def _item(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The series as `series.yaml` writes it (empty fields left out, as the canonical files do)."""
    item: dict[str, Any] = {"code": code, "name": data["name"], "unit": data["unit"], "decimals": data["decimals"]}
    optional = ("name_en", "time_aggregation", "org_aggregation", "part_of", "relation", "note", "source")
    item.update({key: data[key] for key in optional if data[key]})
    reported = [inputs.parse_text(v, "reported_by", max_length=inputs.MAX_CODE) for v in data["reported_by"]]
    if reported:
        item["reported_by"] = reported
    bounds = {key: data[f"range_{key}"] for key in ("min", "max") if data[f"range_{key}"]}
    if bounds:
        item["range"] = bounds
    return item


def _initial(series: dict[str, Any]) -> dict[str, Any]:
    bounds = series.get("range") or {}
    return {
        **{k: "" if v is None else v for k, v in series.items() if k not in ("range", "reported_by")},
        "reported_by": list(series.get("reported_by") or []),
        "range_min": bounds.get("min", ""),
        "range_max": bounds.get("max", ""),
    }


def _context(request: HttpRequest, code: str, series_code: str | None) -> dict[str, Any]:
    state = evaluate_programme(code)
    programme = state.programme
    return {
        "title": _("Add a series") if series_code is None else _("Change a series"),
        "programme": programme,
        "series_code": series_code,
        "others": [s for s in programme.series if s.code != series_code],
        "kinds": sorted(KINDS),
        "units": [u for u in programme.org_units if u.kind.value != "benchmark"],
        "time_choices": [t.value for t in TimeAggregation],
        "org_choices": [o.value for o in OrgAggregation],
        "relation_choices": [r.value for r in PartRelation],
        "back": reverse("dashboard:series-list", args=[code]),
    }


@require_http_methods(["GET"])
@member_view
def series_list(request: HttpRequest, programme: str) -> HttpResponse:
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    state = evaluate_programme(code)
    names: dict[str, Any] = {s.code: s for s in state.programme.series}  # a target may judge a series too
    names.update({i.code: i for i in state.programme.indicators})
    targets = [(n, names.get(t.indicator), t) for n, t in enumerate(state.programme.targets)]
    return render(
        request,
        "dashboard/series_list.html",
        {"title": _("Series"), "programme": state.programme, "series": state.programme.series, "targets": targets},
    )


@require_http_methods(["GET", "POST"])
@member_view
def series_page(request: HttpRequest, programme: str, series: str | None = None) -> HttpResponse:
    """GET: the form. POST action=preview: the checked change and the figures it moves. action=save: store."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    stored = {str(s["code"]): s for s in editing.stored_items(code, SERIES)}
    if series is not None and series not in stored:
        raise Http404(series)
    context = _context(request, code, series)
    base = repository.read_definitions(code).revision_id
    context["form"] = _initial(stored[series]) if series else {"decimals": 0, "reported_by": []}
    context["base"] = base
    if request.method == "GET":
        return render(request, "dashboard/series_edit.html", context)
    context["form"] = {**request.POST.dict(), "reported_by": request.POST.getlist("reported_by")}
    try:
        data = SeriesForm(request.POST).parsed()
        item_code = series if series is not None else data["code"]
        proposal = editing.propose(code, SERIES, series, _item(data, item_code))
        done = edit_steps.preview_or_save(request, proposal, data, context, saving=request.POST.get("action") == "save")
        if done is not None:
            return done
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/series_edit.html", context, status=400)
    return render(request, "dashboard/series_edit.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADED = "catalogue-upload"  # the session key of the uploaded change waiting to be saved


@require_http_methods(["GET"])
@member_view
def catalogue_workbook(request: HttpRequest, programme: str) -> HttpResponse:
    """The series and targets as a workbook to edit in Excel and upload again."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    data = write_catalogue(
        code,
        repository.read_definitions(code).revision_id,
        editing.stored_items(code, SERIES),
        editing.stored_items(code, TARGETS),
        [u.code for u in evaluate_programme(code).programme.org_units],
        editing.stored_items(code, "indicators.yaml"),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{code}-catalogue.xlsx"'
    return response


class UploadForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {"reason": edit_steps.text(500), "previewed": edit_steps.text(64)}


@require_http_methods(["GET", "POST"])
@member_view
def catalogue_upload(request: HttpRequest, programme: str) -> HttpResponse:
    """Upload an edited catalogue workbook: its problems by sheet and cell, or a preview; then save."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    context: dict[str, Any] = {
        "title": _("Catalogue in Excel"),
        "programme": evaluate_programme(code).programme,
        "back": reverse("dashboard:series-list", args=[code]),
    }
    if request.method == "GET":
        return render(request, "dashboard/catalogue_upload.html", context)
    try:
        data = UploadForm(request.POST).parsed()
        if request.POST.get("action") == "save":
            return _save_upload(request, code, data, context)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(
                [Problem("", None, "file", ja="ファイルを選んでください", en="choose a file", hint_ja="", hint_en="")]
            )
        name = upload.name or "catalogue.xlsx"
        problems: list[Problem] = []
        book = read_catalogue(upload.read(MAX_BYTES + 1), name, problems)
        if problems or book is None:
            raise ValidationFailed(problems)
        proposal = editing.propose_workbook(code, book, name)
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/catalogue_upload.html", context, status=400)
    request.session[UPLOADED] = {"code": code, "base": proposal.base, "documents": proposal.documents}
    context.update(changes=editing.preview(proposal), digest=proposal.digest, previewed=True)
    return render(request, "dashboard/catalogue_upload.html", context)


def _save_upload(request: HttpRequest, code: str, data: dict[str, Any], context: dict[str, Any]) -> HttpResponse:
    kept = request.session.get(UPLOADED)
    if not isinstance(kept, dict) or kept.get("code") != code:
        raise ValidationFailed(
            [Problem("", None, "file", ja="ファイルをもう一度アップロードしてください", en="upload the file again")]
        )
    proposal = editing.restore(code, int(kept["base"]), dict(kept["documents"]))
    if data["previewed"] != proposal.digest:
        raise ValidationFailed(
            [Problem("", None, "file", ja="ファイルをもう一度アップロードしてください", en="upload the file again")]
        )
    if not data["reason"]:
        raise ValidationFailed(
            [Problem("", None, "reason", ja="変更の理由を書いてください", en="say why you make the change")]
        )
    by = request.user.get_username()
    saved = editing.save(proposal, base=proposal.base, by=by, reason=data["reason"], now=clock.now())
    del request.session[UPLOADED]
    messages.success(request, _("Saved as a new version of the definitions.") if saved else _("Nothing changed."))
    return redirect(context["back"])


POINT_ROWS = 8  # rows of target points the form offers (filled ones first, then blank ones)


class TargetForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "indicator": edit_steps.text(inputs.MAX_CODE, required=True),
        "kind": edit_steps.text(inputs.MAX_CODE),
        "direction": edit_steps.text(inputs.MAX_CODE),
        "base_period": edit_steps.text(inputs.MAX_NAME),
        "source": edit_steps.text(MAX_SOURCE),
        "note": edit_steps.text(MAX_NOTE, multiline=True),
        "final": edit_steps.text(4),
        "reason": edit_steps.text(500),
        "previewed": edit_steps.text(64),
        "base": partial(inputs.parse_whole, low=0, high=10**12),
        **{f"period-{n}": edit_steps.text(inputs.MAX_NAME) for n in range(POINT_ROWS)},
        **{f"value-{n}": edit_steps.text(inputs.MAX_NAME) for n in range(POINT_ROWS)},
    }
    org_units = ListField(required=False)


def _target_item(data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"indicator": data["indicator"], "kind": data["kind"] or "level"}
    item["direction"] = data["direction"]
    item["base_period"] = data["base_period"]
    item["org_units"] = [inputs.parse_text(v, "org_units", max_length=inputs.MAX_CODE) for v in data["org_units"]]
    points = []
    for n in range(POINT_ROWS):
        period, value = data[f"period-{n}"], data[f"value-{n}"]
        if period or value:
            point: dict[str, Any] = {"period": period, "value": value}
            if data["final"] == str(n):
                point["final"] = True
            points.append(point)
    item["points"] = points
    item["source"], item["note"] = data["source"], data["note"]
    return item


def _target_initial(target: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {k: target.get(k, "") for k in ("indicator", "kind", "direction", "base_period", "source")}
    form["note"] = target.get("note", "")
    form["org_units"] = list(target.get("org_units") or [])
    for n, point in enumerate(target.get("points") or []):
        form[f"period-{n}"], form[f"value-{n}"] = point.get("period", ""), point.get("value", "")
        if point.get("final"):
            form["final"] = str(n)
    return form


def _point_rows(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "period": form.get(f"period-{n}", ""),
            "value": form.get(f"value-{n}", ""),
            "final": str(form.get("final", "")) == str(n),
        }
        for n in range(POINT_ROWS)
    ]


@require_http_methods(["GET", "POST"])
@member_view
def target_page(request: HttpRequest, programme: str, index: int | None = None) -> HttpResponse:
    """A target and its points: the same preview-then-save steps as a series."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    stored = editing.stored_items(code, TARGETS)
    if index is not None and not 0 <= index < len(stored):
        raise Http404(str(index))
    state = evaluate_programme(code)
    context: dict[str, Any] = {
        "title": _("Add a target") if index is None else _("Change a target"),
        "programme": state.programme,
        "indicators": state.programme.indicators,
        "units": [u for u in state.programme.org_units if u.kind.value != "benchmark"],
        "kind_choices": [k.value for k in TargetKind],
        "direction_choices": [d.value for d in Direction],
        "back": reverse("dashboard:series-list", args=[code]),
        "base": repository.read_definitions(code).revision_id,
        "form": _target_initial(stored[index]) if index is not None else {"kind": "level", "org_units": []},
    }
    context["point_rows"] = _point_rows(context["form"])
    if request.method == "GET":
        return render(request, "dashboard/target_edit.html", context)
    context["form"] = {**request.POST.dict(), "org_units": request.POST.getlist("org_units")}
    context["point_rows"] = _point_rows(context["form"])
    try:
        data = TargetForm(request.POST).parsed()
        proposal = editing.propose_at(code, TARGETS, index, _target_item(data))
        done = edit_steps.preview_or_save(request, proposal, data, context, saving=request.POST.get("action") == "save")
        if done is not None:
            return done
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/target_edit.html", context, status=400)
    return render(request, "dashboard/target_edit.html", context)
