"""The office keeps its roadmap on screen: pillars, areas, measures and tasks of `programme.yaml`.

A node is changed, added under its parent, or dropped (with everything below it) through the same steps as
a series: the form, the change checked by the files' own rules (problems by field), a preview — what the
node was and becomes, and the figures that move (none, unless the change does) — then a save with a
reason, stored as a definition revision. Fields the form does not show (e.g. English names) are kept.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import yaml
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shihyo.core import inputs
from shihyo.core.model import TaskPhase
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.directory import PROGRAMME
from shihyo.web import errors
from shihyo.web.catalogue import editing, repository
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard import edit_steps
from shihyo.web.forms import ListField, ParsedForm, Parser

LEVELS = ("pillar", "area", "measure", "task")
CHILDREN = {"pillar": "areas", "area": "measures", "measure": "tasks"}  # the list of the level below
PARENT = {"area": "pillar", "measure": "area", "task": "measure"}
TEXT_FIELDS = {  # the text fields of each level, as programme.yaml names them
    "pillar": ("name", "subtitle", "aim"),
    "area": ("name", "heading"),
    "measure": ("name", "note"),
    "task": ("name", "note"),
}
MAX_NAME = 200
MAX_TEXT = 2000
MAX_LINES = 20






class RoadmapNodeForm(ParsedForm):
    """One node of the roadmap as the office fills it in; `programme.yaml`'s rules then judge the whole."""

    parsers: ClassVar[dict[str, Parser]] = {
        "code": edit_steps.text(inputs.MAX_CODE),
        "parent": edit_steps.text(inputs.MAX_CODE),
        "name": edit_steps.text(MAX_NAME, required=True),
        "subtitle": edit_steps.text(MAX_NAME),
        "aim": edit_steps.text(MAX_NAME),
        "heading": edit_steps.text(MAX_NAME),
        "note": edit_steps.text(MAX_TEXT, multiline=True),
        "summary": edit_steps.lines(MAX_LINES, MAX_NAME),
        "phase": edit_steps.text(inputs.MAX_CODE),
        "new": edit_steps.text(8),
        "owner_team": edit_steps.text(inputs.MAX_CODE),
        "reason": edit_steps.text(500),
        "previewed": edit_steps.text(64),
        "base": partial(inputs.parse_whole, low=0, high=10**12),
    }
    indicators = ListField(required=False)


@dataclass(frozen=True)
class Place:
    """Where a node sits in the programme document: the list holding it and its index there."""

    siblings: list[dict[str, Any]]
    index: int

    @property
    def node(self) -> dict[str, Any]:
        return self.siblings[self.index]


def _walk(document: dict[str, Any]) -> dict[tuple[str, str], Place]:
    """Every node of the roadmap by (level, code)."""
    found: dict[tuple[str, str], Place] = {}

    def visit(level: str, siblings: list[dict[str, Any]]) -> None:
        for index, node in enumerate(siblings):
            found[(level, str(node.get("code")))] = Place(siblings, index)
            below = CHILDREN.get(level)
            if below and isinstance(node.get(below), list):
                visit(LEVELS[LEVELS.index(level) + 1], node[below])

    pillars = document.get("pillars")
    if isinstance(pillars, list):
        visit("pillar", pillars)
    return found


def _descendants(level: str, node: dict[str, Any]) -> list[tuple[str, str]]:
    """(level, code) of every node below `node`."""
    below = CHILDREN.get(level)
    if not below:
        return []
    child_level = LEVELS[LEVELS.index(level) + 1]
    found = []
    for child in node.get(below) or []:
        found.append((child_level, str(child.get("code"))))
        found.extend(_descendants(child_level, child))
    return found


def _fields(level: str, data: dict[str, Any]) -> dict[str, Any]:
    """The fields the form sets on a node of `level` (an empty field removes the key)."""
    fields: dict[str, Any] = {key: data[key] for key in TEXT_FIELDS[level]}
    if level == "area":
        fields["indicators"] = [inputs.parse_code(v, "indicators") for v in data["indicators"]]
    elif level == "measure":
        fields["summary"] = data["summary"]
    elif level == "task":
        fields["phase"] = data["phase"] or None
        fields["new"] = {"true": True, "false": False}.get(data["new"])
        fields["owner_team"] = data["owner_team"] or None
    return fields


def _shown(level: str, node: dict[str, Any]) -> dict[str, str]:
    """A node's fields as the preview lists them."""
    keys = [*TEXT_FIELDS[level], *{"area": ["indicators"], "measure": ["summary"]}.get(level, [])]
    if level == "task":
        keys += ["phase", "new", "owner_team"]
    shown = {}
    for key in keys:
        value = node.get(key)
        shown[key] = "、".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return shown


FORM_FIELDS = frozenset(("code", "name", "subtitle", "aim", "heading", "indicators", "summary", "phase", "new"))
FORM_FIELDS |= {"owner_team", "note"}


def _problem(field: str, ja: str, en: str) -> ValidationFailed:
    return ValidationFailed([Problem("", None, field, ja=ja, en=en)])


def _changed_document(
    document: dict[str, Any], level: str, node_code: str | None, data: dict[str, Any], drop: bool
) -> tuple[dict[str, Any], list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The programme document with the change made; the fields that change (name, old, new) and the nodes
    dropped. Raises ValidationFailed for a code taken, a parent missing, or nothing to drop."""
    changed = copy.deepcopy(document)
    places = _walk(changed)
    if node_code is not None:
        place = places[(level, node_code)]
        before = _shown(level, place.node)
        if drop:
            dropped = [(level, node_code), *_descendants(level, place.node)]
            del place.siblings[place.index]
            return changed, [], dropped
        updated = {**place.node, **_fields(level, data)}
        place.siblings[place.index] = {k: v for k, v in updated.items() if v not in (None, "", [])}
        after = _shown(level, place.siblings[place.index])
        return changed, [(k, before[k], after[k]) for k in before if before[k] != after[k]], []
    code = data["code"]
    if not code:
        raise _problem("code", "コードを入力してください", "give the new node a code")
    if any(c == code for _level, c in places):
        raise _problem(
            "code", f"コード「{code}」はロードマップにすでにあります", f"the code '{code}' is already in the roadmap"
        )
    if level == "pillar":
        siblings = changed.setdefault("pillars", [])
    else:
        parent = places.get((PARENT[level], data["parent"]))
        if parent is None:
            raise _problem("parent", "追加する場所（上の階層）がありません", "there is no such node to add it under")
        siblings = parent.node.setdefault(CHILDREN[PARENT[level]], [])
    node = {"code": code, **{k: v for k, v in _fields(level, data).items() if v not in (None, "", [])}}
    siblings.append(node)
    after = _shown(level, node)
    return changed, [(k, "", v) for k, v in after.items() if v], []


@require_http_methods(["GET"])
@member_view
def roadmap_list(request: HttpRequest, programme: str) -> HttpResponse:
    """The roadmap as the office edits it: every node with a link to change it and to add one below."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    state = evaluate_programme(code)
    return render(
        request,
        "dashboard/roadmap_list.html",
        {"title": _("Roadmap"), "programme": state.programme, "teams": {t.code: t for t in state.programme.teams}},
    )


@require_http_methods(["GET", "POST"])
@member_view
def node_page(request: HttpRequest, programme: str, level: str, node: str | None = None) -> HttpResponse:
    """GET: the form. POST action=preview / drop-preview: the checked change; action=save / drop: store it."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    if level not in LEVELS:
        raise Http404(level)
    code = repository.resolve_programme(programme)
    document = yaml.safe_load(repository.definition_documents(code)[PROGRAMME]) or {}
    places = _walk(document)
    if node is not None and (level, node) not in places:
        raise Http404(node)
    state = evaluate_programme(code)
    parent = request.POST.get("parent") or request.GET.get("parent") or ""
    stored = places[(level, node)].node if node is not None else {}
    context: dict[str, Any] = {
        "title": _("Add to the roadmap") if node is None else _("Change the roadmap"),
        "programme": state.programme,
        "level": level,
        "node_code": node,
        "parent": parent[: inputs.MAX_CODE],
        "indicators": state.programme.indicators,
        "teams": state.programme.teams,
        "phase_choices": [p.value for p in TaskPhase],
        "back": reverse("dashboard:roadmap-list", args=[code]),
        "base": repository.read_definitions(code).revision_id,
        "form": _initial(level, stored),
        "below": len(_descendants(level, stored)) if stored else 0,
    }
    if level != "pillar" and node is None and (PARENT[level], parent) not in places:
        raise Http404(parent)
    if request.method == "GET":
        return render(request, "dashboard/roadmap_edit.html", context)
    action = request.POST.get("action", "preview")
    drop = action in ("drop-preview", "drop")
    if not drop:
        context["form"] = {**request.POST.dict(), "indicators": request.POST.getlist("indicators")}
    try:
        data = RoadmapNodeForm(request.POST).parsed()
        if drop and node is None:
            raise _problem("action", "追加中の項目は削除できません", "a node being added cannot be dropped")
        changed, fields, dropped = _changed_document(document, level, node, data, drop)
        proposal = edit_steps.proposed(
            lambda: editing.propose_files(code, {PROGRAMME: changed}, base=data["base"]), FORM_FIELDS
        )
        done = edit_steps.preview_or_save(request, proposal, data, context, saving=action in ("save", "drop"))
        if done is not None:
            return done
        context.update(dropping=drop, field_changes=fields, dropped=dropped)
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/roadmap_edit.html", context, status=400)
    return render(request, "dashboard/roadmap_edit.html", context)


def _initial(level: str, stored: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {key: stored.get(key) or "" for key in (*TEXT_FIELDS[level], "code")}
    form["indicators"] = list(stored.get("indicators") or [])
    form["summary"] = "\n".join(stored.get("summary") or [])
    form["phase"] = stored.get("phase") or ""
    form["new"] = {True: "true", False: "false"}.get(stored.get("new"), "")  # type: ignore[arg-type]
    form["owner_team"] = stored.get("owner_team") or ""
    return form
