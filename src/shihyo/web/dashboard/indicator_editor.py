"""The office changes and adds indicators on screen, with a form per kind of indicator.

Each kind's form asks for the parameters of that kind only (docs/data-format.md, "indicators.yaml"); an
operand is chosen from the programme's series and indicators, never the indicator itself or one that
already depends on it (that would be a cycle). The change then takes the steps every definition change
takes (`edit_steps`): the files' rules judge it with the stored figures, the preview lists the fields and
every figure that moves, and a save with a reason is a definition revision. Fields the form does not show
(the chart) are kept.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shihyo.core import inputs
from shihyo.core.indicators import ChangeMode, IndicatorKind
from shihyo.core.model import Programme
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.definitions import KIND_KEYS
from shihyo.io.directory import INDICATORS
from shihyo.web import errors
from shihyo.web.catalogue import editing, repository
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard import edit_steps
from shihyo.web.forms import ListField, ParsedForm, Parser

MAX_NAME = 200
MAX_UNIT = 20
MAX_TEXT = 2000
MAX_EXPR = 500
OPERANDS = ("of", "numerator", "denominator", "part", "total", "headcount")  # one code each
NUMBERS = ("factor", "divisor", "universe")  # Japanese number text
BASES = ("base", "against")  # previous_year, a period, or a series (with the period it restates)
COMMON = ("name", "name_en", "unit", "decimals", "description", "footnotes", "note")
LABELS = {  # the parameters as the form names them
    "of": gettext_lazy("Of (the series or indicator it is computed from)"),
    "numerator": gettext_lazy("Numerator"),
    "denominator": gettext_lazy("Denominator"),
    "factor": gettext_lazy("Factor (e.g. 100, 1000, 5)"),
    "divisor": gettext_lazy("Divisor (e.g. 60 for minutes → hours)"),
    "part": gettext_lazy("Part"),
    "total": gettext_lazy("Total"),
    "parts": gettext_lazy("Parts (all must have a value)"),
    "headcount": gettext_lazy("Headcount"),
    "universe": gettext_lazy("Universe (how many there are in all, e.g. 2,600 procedures)"),
    "mode": gettext_lazy("Change as"),
    "base": gettext_lazy("Base"),
    "against": gettext_lazy("Against"),
    "expr": gettext_lazy("Expression (codes, + - * /, parentheses, numbers, abs() min() max())"),
}






class IndicatorForm(ParsedForm):
    """Every field any kind's form may send; each kind uses its own (`KIND_KEYS`)."""

    parsers: ClassVar[dict[str, Parser]] = {
        "code": edit_steps.text(inputs.MAX_CODE),
        "kind": edit_steps.text(inputs.MAX_CODE, required=True),
        "name": edit_steps.text(MAX_NAME, required=True),
        "name_en": edit_steps.text(MAX_NAME),
        "unit": edit_steps.text(MAX_UNIT),  # may be empty: an index has no unit
        "decimals": partial(inputs.parse_whole, low=0, high=6),
        "description": edit_steps.text(MAX_TEXT, multiline=True),
        "footnotes": edit_steps.lines(20, MAX_TEXT),
        "note": edit_steps.text(MAX_TEXT, multiline=True),
        **{key: edit_steps.text(inputs.MAX_CODE) for key in OPERANDS},
        **{key: edit_steps.text(inputs.MAX_NAME) for key in NUMBERS},
        "mode": edit_steps.text(inputs.MAX_CODE),
        **{f"{key}_type": edit_steps.text(20) for key in BASES},
        **{f"{key}_period": edit_steps.text(inputs.MAX_NAME) for key in BASES},
        **{f"{key}_series": edit_steps.text(inputs.MAX_CODE) for key in BASES},
        "expr": edit_steps.text(MAX_EXPR),
        "reason": edit_steps.text(500),
        "previewed": edit_steps.text(64),
        "base": partial(inputs.parse_whole, low=0, high=10**12),
    }
    parts = ListField(required=False)


def _kind(text: str) -> IndicatorKind:
    try:
        return IndicatorKind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in IndicatorKind)
        raise ValidationFailed(
            [
                Problem(
                    "",
                    None,
                    "kind",
                    ja=f"種類「{text[:40]}」はありません（{allowed}）",
                    en=f"no kind '{text[:40]}' ({allowed})",
                )
            ]
        ) from None


def operand_choices(programme: Programme, code: str | None) -> list[tuple[str, str]]:
    """(code, name) of every series and indicator the indicator `code` may read: not itself, and no
    indicator that reads it, directly or through others (that would make a cycle)."""
    reads = {i.code: set(i.operands) for i in programme.indicators}
    blocked: set[str] = set()
    if code is not None:
        blocked.add(code)
        changed = True
        while changed:  # every indicator that reaches `code` through its operands
            changed = False
            for other, its in reads.items():
                if other not in blocked and its & blocked:
                    blocked.add(other)
                    changed = True
    series = [(s.code, s.name) for s in programme.series]
    return series + [(i.code, i.name) for i in programme.indicators if i.code not in blocked]


def _base_value(data: dict[str, Any], key: str) -> Any:
    chosen = data[f"{key}_type"] or ("previous_year" if key == "against" else "period")
    if chosen == "previous_year":
        return "previous_year"
    if chosen == "series":
        base: dict[str, Any] = {"series": data[f"{key}_series"]}
        if data[f"{key}_period"]:
            base["period"] = data[f"{key}_period"]
        return base
    return {"period": data[f"{key}_period"]}


def _item(stored: dict[str, Any], code: str, kind: IndicatorKind, data: dict[str, Any]) -> dict[str, Any]:
    """The indicator as `indicators.yaml` writes it: the stored item without the old kind's parameters, with
    the form's common fields and this kind's parameters."""
    old_kind = stored.get("kind")
    old_keys = set(KIND_KEYS.get(IndicatorKind(old_kind), ())) if old_kind in set(IndicatorKind) else set()
    item = {k: v for k, v in stored.items() if k not in old_keys}
    item.update({"code": code, "kind": kind.value, **{key: data[key] for key in COMMON}})
    for key in KIND_KEYS[kind]:
        if key in BASES:
            item[key] = _base_value(data, key)
        elif key == "parts":
            item[key] = [inputs.parse_code(p, "parts") for p in data["parts"]]
        else:
            item[key] = data[key]
    kept = {k: v for k, v in item.items() if v not in (None, "", [])}
    kept["unit"] = data["unit"]  # written even when empty (an index): the files require the key
    return kept


def _shown(item: dict[str, Any], kind: IndicatorKind) -> dict[str, str]:
    shown = {}
    for key in ("kind", *COMMON, *KIND_KEYS[kind]):
        value = item.get(key)
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        shown[key] = "" if value is None else str(value)
    return shown


def _initial(stored: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {key: stored.get(key, "") for key in ("code", "kind", *COMMON, *OPERANDS, *NUMBERS)}
    form["footnotes"] = "\n".join(stored.get("footnotes") or [])
    form["mode"] = stored.get("mode", "")
    form["expr"] = stored.get("expr", "")
    form["parts"] = list(stored.get("parts") or [])
    for key in BASES:
        value = stored.get(key)
        if value == "previous_year" or (value is None and key == "against"):
            form[f"{key}_type"] = "previous_year"
        elif isinstance(value, dict):
            form[f"{key}_type"] = "series" if "series" in value else "period"
            form[f"{key}_series"] = value.get("series", "")
            form[f"{key}_period"] = value.get("period", "")
    return form


def _base_forms(form: dict[str, Any], kind: IndicatorKind) -> dict[str, dict[str, str]]:
    """What each base field of the form shows: which choice is ticked, the period and the series."""
    found = {}
    for key in BASES:
        default = "previous_year" if key == "against" else "period"
        found[key] = {
            "type": str(form.get(f"{key}_type") or default),
            "period": str(form.get(f"{key}_period") or ""),
            "series": str(form.get(f"{key}_series") or ""),
        }
    return found


@require_http_methods(["GET", "POST"])
@member_view
def indicator_page(request: HttpRequest, programme: str, indicator: str | None = None) -> HttpResponse:
    """GET: the form of the indicator's kind (`?kind=` another one). POST action=preview: the checked change
    and the figures it moves; action=save: store it."""
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office changes the catalogue."))
    code = repository.resolve_programme(programme)
    stored_items = {str(i["code"]): i for i in editing.stored_items(code, INDICATORS)}
    if indicator is not None and indicator not in stored_items:
        raise Http404(indicator)
    stored = stored_items.get(indicator, {}) if indicator is not None else {}
    state = evaluate_programme(code)
    asked = request.POST.get("kind") or request.GET.get("kind") or stored.get("kind") or IndicatorKind.VALUE.value
    if asked not in set(IndicatorKind):
        raise Http404(str(asked)[:40])
    kind = IndicatorKind(asked)
    context: dict[str, Any] = {
        "title": _("Add an indicator") if indicator is None else _("Change an indicator"),
        "programme": state.programme,
        "indicator_code": indicator,
        "kind": kind.value,
        "kinds": [k.value for k in IndicatorKind],
        "keys": KIND_KEYS[kind],
        "labels": LABELS,
        "operand_keys": OPERANDS,
        "base_keys": BASES,
        "operands": operand_choices(state.programme, indicator),
        "modes": [m.value for m in ChangeMode],
        "back": reverse("dashboard:series-list", args=[code]),
        "base": repository.read_definitions(code).revision_id,
        "form": {**_initial(stored), "kind": kind.value} if stored else {"kind": kind.value, "decimals": 1},
    }
    if request.method == "GET":
        context["base_forms"] = _base_forms(context["form"], kind)
        return render(request, "dashboard/indicator_edit.html", context)
    context["form"] = {**request.POST.dict(), "parts": request.POST.getlist("parts")}
    context["base_forms"] = _base_forms(context["form"], kind)
    try:
        data = IndicatorForm(request.POST).parsed()
        kind = _kind(data["kind"])
        item_code = indicator if indicator is not None else data["code"]
        if not item_code:
            raise ValidationFailed([Problem("", None, "code", ja="コードを入力してください", en="give it a code")])
        allowed = {c for c, _name in context["operands"]}
        for key in (k for k in KIND_KEYS[kind] if k in OPERANDS):
            if data[key] and data[key] not in allowed:
                raise ValidationFailed(
                    [Problem("", None, key, ja=f"「{data[key]}」は使えません（自分自身か、これを使う指標です）",
                             en=f"'{data[key]}' cannot be used (it is this indicator or one that reads it)")]
                )  # fmt: skip
        changed = _item(stored, item_code, kind, data)
        fields = ("code", "kind", *COMMON, *KIND_KEYS[kind], *(f"{k}_period" for k in BASES))
        whole = (item_code, "expr") if kind is IndicatorKind.EXPRESSION else None
        proposal = edit_steps.proposed(lambda: editing.propose(code, INDICATORS, indicator, changed), fields, whole)
        done = edit_steps.preview_or_save(request, proposal, data, context, saving=request.POST.get("action") == "save")
        if done is not None:
            return done
        before = _shown(stored, kind) if stored else dict.fromkeys(_shown(changed, kind), "")
        after = _shown(changed, kind)
        context["field_changes"] = [(k, before.get(k, ""), v) for k, v in after.items() if before.get(k, "") != v]
    except ValidationFailed as exc:
        if errors.wants_json(request):
            raise
        context["problems"] = exc.problems
        return render(request, "dashboard/indicator_edit.html", context, status=400)
    return render(request, "dashboard/indicator_edit.html", context)
