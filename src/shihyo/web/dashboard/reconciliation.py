"""The office's reconciliation page: every published figure against its recomputation, and the decisions.

GET lists the cases (filter: differs / agrees / not computable / all) with their history of decisions;
POST records one decision (keep the published figure, or correct it to the recomputation) with a reason.
Only the programme office (admin) reaches it; a refused form saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shihyo.core import clock, inputs
from shihyo.core.inputs import InvalidInputs
from shihyo.core.labels import label
from shihyo.core.model import ShowPolicy
from shihyo.core.official import REASON_MAX, Case, Decision, OfficialFigure
from shihyo.core.official_rows import basis_label
from shihyo.core.problems import Problem, UserError
from shihyo.core.reconcile import Basis, Verdict, show_like
from shihyo.web.catalogue.evaluation import ProgrammeState
from shihyo.web.catalogue.official import decide
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard.templatetags.shihyo import lang
from shihyo.web.dashboard.views import BadRequest, _common
from shihyo.web.forms import ParsedForm, Parser

FILTERS = ("differs", "agrees", "not_computable", "all")


def _choice(allowed: tuple[str, ...], text: str, field: str) -> str:
    value = text.strip()
    if value not in allowed:
        shown = value[:30]
        raise inputs.InvalidInput(
            Problem(
                "",
                None,
                field,
                ja=f"「{shown}」は選べません",
                en=f"'{shown}' is not a choice",
                hint_ja=f"選べる値: {', '.join(allowed)}",
                hint_en=f"choose one of: {', '.join(allowed)}",
            )
        )
    return value


class DecisionForm(ParsedForm):
    """One decision on a case: which figure (code, org unit, period, basis), keep what, and why."""

    parsers: ClassVar[dict[str, Parser]] = {
        "programme": partial(inputs.parse_text, max_length=inputs.MAX_CODE, required=True),
        "code": partial(inputs.parse_text, max_length=inputs.MAX_NAME, required=True),
        "org_unit": partial(inputs.parse_text, max_length=inputs.MAX_NAME, required=True),
        "period": inputs.parse_period_input,
        "basis": partial(_choice, tuple(b.value for b in Basis)),
        "keep": partial(_choice, tuple(s.value for s in ShowPolicy)),
        "reason": partial(inputs.parse_text, max_length=REASON_MAX, required=True, multiline=True),
    }
    reason = forms.CharField(required=False, widget=forms.Textarea)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    name: str
    org_unit_name: str
    period_label: str
    basis_label: str
    verdict_label: str
    prints: tuple[tuple[str, str], ...]  # (published text, source)
    recomputed: str
    working: str
    figure: OfficialFigure | None
    note: str
    beside: str
    history: tuple[Decision, ...]

    @property
    def form_id(self) -> str:
        code, org_unit, period, basis = self.case.key
        return f"decide-{code}-{org_unit}-{period}-{basis.value}"


def case_rows(state: ProgrammeState, chosen: str, language: str) -> list[CaseRow]:
    programme = state.programme
    en = language == "en"
    names = {s.code: (s.name_en or s.name) if en else s.name for s in programme.series}
    names.update({i.code: (i.name_en or i.name) if en else i.name for i in programme.indicators})
    units = {u.code: (u.name_en or u.name) if en else u.name for u in programme.org_units}
    rows = []
    for case in state.resolutions.cases:
        if chosen != "all" and case.verdict.value != chosen:
            continue
        published = case.published
        figure = case.figure()
        rows.append(
            CaseRow(
                case=case,
                name=names.get(published.code, published.code),
                org_unit_name=units.get(published.org_unit, published.org_unit),
                period_label=published.period.label(programme.wareki_style, language),
                basis_label=basis_label(published.basis, language),
                verdict_label=label(case.verdict, language) if language == "ja" else case.verdict.value,
                prints=tuple((r.reported_text, r.source) for r in case.reconciliations),
                recomputed=show_like(published.reported_text, published.computed_rounded),
                working=published.working,
                figure=figure,
                note=figure.note(language) if figure else "",
                beside=figure.beside(language) if figure else "",
                history=case.history,
            )
        )
    return rows


def _render(request: HttpRequest, problems: list[Problem], status: int = 200) -> HttpResponse:
    state, context = _common(request)
    chosen = request.GET.get("verdict", "differs").strip() or "differs"
    if chosen not in FILTERS:
        raise BadRequest(ja=f"絞り込み「{chosen[:30]}」は使えません", en=f"no filter '{chosen[:30]}'")
    rows = case_rows(state, chosen, lang())
    counts = {v.value: sum(1 for c in state.resolutions.cases if c.verdict is v) for v in Verdict}
    history = sorted(
        ((d, row) for row in case_rows(state, "all", lang()) for d in row.history),
        key=lambda item: item[0].decided_at,
        reverse=True,
    )
    context.update(
        title=_("Reconciliation"),
        rows=rows,
        chosen=chosen,
        filters=[(f, counts.get(f, len(state.resolutions.cases))) for f in FILTERS],
        history=history,
        policy=state.resolutions.policy.value,
        problems=problems,
        can_decide=not context["as_of"],
        reason_max=REASON_MAX,
    )
    response = render(request, "dashboard/reconciliation.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@member_view
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_rounds(request.user):
        return forbidden(request, _("Only the programme office resolves published figures."))
    if request.method == "GET":
        return _render(request, [])
    try:
        data: dict[str, Any] = DecisionForm(request.POST).parsed()
        decision = decide(
            data["programme"],
            data["code"],
            data["org_unit"],
            data["period"],
            Basis(data["basis"]),
            keep=ShowPolicy(data["keep"]),
            reason=data["reason"],
            by=request.user.get_username(),
            now=clock.now(),
        )
    except InvalidInputs as exc:
        return _render(request, list(exc.problems), status=400)
    except UserError as exc:
        return _render(request, [Problem("", None, "", ja=exc.ja, en=exc.en)], status=400)
    messages.success(
        request,
        _("Recorded: %(code)s %(period)s — %(keep)s.")
        % {
            "code": decision.code,
            "period": decision.period.label(lang=lang()),
            "keep": _("the published figure is official")
            if decision.keep is ShowPolicy.PUBLISHED
            else _("corrected to the recomputation"),
        },
    )
    return redirect(request.get_full_path())
