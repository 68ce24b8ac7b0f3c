"""The office keeps its org units and teams on screen (`org_units.yaml`, `teams.yaml`).

An org unit or a team is changed (name, English name, kind, parent; a team's start, members and lists),
added, or dropped, through the steps every definition change takes (`edit_steps`): the files' own rules
judge the change together with the stored figures, the preview shows the fields old → new and the figures
that move, and a save with a reason is a definition revision. A drop that anything still needs — a unit
below it, its figures, a target, a series' reporters, an open round, a task's owner team — is refused with
that named. Fields the form does not show are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shihyo.core import inputs
from shihyo.core.model import OrgUnitKind, TeamKind
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.directory import ORG_UNITS, TEAMS
from shihyo.web import errors
from shihyo.web.catalogue import editing, repository
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard import edit_steps
from shihyo.web.forms import ListField, ParsedForm, Parser

MAX_NAME = 200
MAX_TEXT = 2000
MAX_LINES = 30






class DirectoryForm(ParsedForm):
    """An org unit or a team as the office fills it in (each page shows the fields of its file)."""

    parsers: ClassVar[dict[str, Parser]] = {
        "code": edit_steps.text(inputs.MAX_CODE),
        "name": edit_steps.text(MAX_NAME, required=True),
        "name_en": edit_steps.text(MAX_NAME),
        "kind": edit_steps.text(inputs.MAX_CODE),
        "parent": edit_steps.text(inputs.MAX_CODE),
        "started": edit_steps.text(inputs.MAX_NAME),
        "member_roles": edit_steps.lines(MAX_LINES, MAX_NAME),
        "projects": edit_steps.lines(MAX_LINES, MAX_NAME),
        "mission": edit_steps.lines(MAX_LINES, MAX_NAME),
        "note": edit_steps.text(MAX_TEXT, multiline=True),
        "reason": edit_steps.text(500),
        "previewed": edit_steps.text(64),
        "base": partial(inputs.parse_whole, low=0, high=10**12),
    }
    members = ListField(required=False)


@dataclass(frozen=True)
class Directory:
    """One of the two files: what its items are called and which fields its form has."""

    file: str
    slug: str  # in the addresses: org-units, teams
    fields: tuple[str, ...]  # as the file names them
    lists: tuple[str, ...]  # fields holding several lines or codes
    title: Any
    add_title: Any
    change_title: Any


UNITS = Directory(
    ORG_UNITS,
    "org-units",
    ("name", "name_en", "kind", "parent"),
    (),
    gettext_lazy("Org units"),
    gettext_lazy("Add an org unit"),
    gettext_lazy("Change an org unit"),
)
TEAMS_FILE = Directory(
    TEAMS,
    "teams",
    ("name", "kind", "started", "members", "member_roles", "projects", "mission", "note"),
    ("members", "member_roles", "projects", "mission"),
    gettext_lazy("Teams"),
    gettext_lazy("Add a team"),
    gettext_lazy("Change a team"),
)
DIRECTORIES = {d.slug: d for d in (UNITS, TEAMS_FILE)}


def _item(directory: Directory, stored: dict[str, Any], code: str, data: dict[str, Any]) -> dict[str, Any]:
    """The stored item with the form's fields in place (an empty field removes the key)."""
    fields = {key: data[key] for key in directory.fields}
    if "members" in fields:
        fields["members"] = inputs.parse_codes(data["members"], "members")
    item = {**stored, "code": code, **fields}
    return {k: v for k, v in item.items() if v not in (None, "", [])}


def _shown(directory: Directory, item: dict[str, Any]) -> dict[str, str]:
    shown = {}
    for key in directory.fields:
        value = item.get(key)
        shown[key] = "、".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return shown


def _initial(directory: Directory, stored: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {key: stored.get(key) or "" for key in ("code", *directory.fields)}
    for key in directory.lists:
        values = [str(v) for v in stored.get(key) or []]
        form[key] = values if key == "members" else "\n".join(values)
    return form


def _context(code: str, directory: Directory) -> dict[str, Any]:
    programme = evaluate_programme(code).programme
    return {
        "programme": programme,
        "directory": directory,
        "units": [u for u in programme.org_units],
        "unit_kinds": [k.value for k in OrgUnitKind],
        "team_kinds": [k.value for k in TeamKind],
        "back": reverse("dashboard:directory-list", args=[code, directory.slug]),
    }


@require_http_methods(["GET"])
@member_view
def directory_list(request: HttpRequest, programme: str, directory: str) -> HttpResponse:
    """Every org unit (or team) of the programme, with a link to change it and to add one."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    chosen = DIRECTORIES.get(directory)
    if chosen is None:
        raise Http404(directory)
    code = repository.resolve_programme(programme)
    context = _context(code, chosen)
    context.update(title=chosen.title, items=editing.stored_items(code, chosen.file))
    return render(request, "dashboard/directory_list.html", context)


@require_http_methods(["GET", "POST"])
@member_view
def directory_page(request: HttpRequest, programme: str, directory: str, item: str | None = None) -> HttpResponse:
    """GET: the form. POST action=preview / drop-preview: the checked change; save / drop: store it."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    chosen = DIRECTORIES.get(directory)
    if chosen is None:
        raise Http404(directory)
    code = repository.resolve_programme(programme)
    stored = {str(i["code"]): i for i in editing.stored_items(code, chosen.file)}
    if item is not None and item not in stored:
        raise Http404(item)
    context = _context(code, chosen)
    before = stored.get(item, {}) if item is not None else {}
    context.update(
        title=chosen.add_title if item is None else chosen.change_title,
        item_code=item,
        base=repository.read_definitions(code).revision_id,
        form=_initial(chosen, before),
    )
    if request.method == "GET":
        return render(request, "dashboard/directory_edit.html", context)
    action = request.POST.get("action", "preview")
    drop = action in ("drop-preview", "drop")
    if not drop:
        context["form"] = {**request.POST.dict(), "members": request.POST.getlist("members")}
    try:
        data = DirectoryForm(request.POST).parsed()
        if drop:
            if item is None:
                raise ValidationFailed(
                    [Problem("", None, "action", ja="追加中の項目は削除できません", en="nothing to drop")]
                )
            proposal = edit_steps.proposed(lambda: editing.propose_without(code, chosen.file, item), chosen.fields)
            changes: list[tuple[str, str, str]] = []
        else:
            item_code = item if item is not None else data["code"]
            if not item_code:
                raise ValidationFailed([Problem("", None, "code", ja="コードを入力してください", en="give it a code")])
            changed = _item(chosen, before, item_code, data)
            proposal = edit_steps.proposed(
                lambda: editing.propose(code, chosen.file, item, changed), ("code", *chosen.fields)
            )
            old, new = _shown(chosen, before), _shown(chosen, changed)
            changes = [(key, old[key], new[key]) for key in chosen.fields if old[key] != new[key]]
        done = edit_steps.preview_or_save(request, proposal, data, context, saving=action in ("save", "drop"))
        if done is not None:
            return done
        context.update(dropping=drop, field_changes=changes, dropped=[(chosen.slug, item)] if drop else [])
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/directory_edit.html", context, status=400)
    return render(request, "dashboard/directory_edit.html", context)
