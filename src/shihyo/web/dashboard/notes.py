"""The office writes on screen: commentary on an indicator (or the programme) and period, and the progress
of the roadmap's measures and tasks. Thin views over typed forms; the revisions go through
`shihyo.web.catalogue.notes`.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shihyo.core import clock, inputs
from shihyo.core.commentary import (
    ITEM_LIMIT,
    ITEMS_LIMIT,
    PROGRAMME_WIDE,
    REASON_LIMIT,
    TEXT_LIMIT,
    Commentary,
    MeasureProgress,
    NoteState,
    Progress,
    check_commentary,
    check_progress,
    measures_of,
    progress_label,
)
from shihyo.core.periods import Period
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.web import errors
from shihyo.web.catalogue import notes
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.catalogue.repository import resolve_programme
from shihyo.web.collection import permissions
from shihyo.web.collection.views import forbidden, member_view
from shihyo.web.dashboard.templatetags.shihyo import lang
from shihyo.web.forms import ParsedForm, Parser


def parse_items(text: str, field: str) -> tuple[str, ...]:
    """A list written one item per line (blank lines dropped), each within ITEM_LIMIT, at most ITEMS_LIMIT."""
    value = inputs.parse_text(text, field, max_length=ITEMS_LIMIT * (ITEM_LIMIT + 2), multiline=True)
    items = tuple(line.strip() for line in value.splitlines() if line.strip())
    if len(items) > ITEMS_LIMIT:
        raise inputs.InvalidInput(
            Problem(
                "",
                None,
                field,
                ja=f"項目が多すぎます（{len(items)}件。上限 {ITEMS_LIMIT}件）",
                en=f"too many items ({len(items)}; at most {ITEMS_LIMIT})",
            )
        )
    for item in items:
        inputs.parse_text(item, field, max_length=ITEM_LIMIT)
    return items


def _choice(kind: type[NoteState] | type[Progress], text: str, field: str) -> Any:
    try:
        return kind(text.strip())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise inputs.InvalidInput(
            Problem("", None, field, ja=f"選べる値: {allowed}", en=f"choose one of: {allowed}")
        ) from None


_reason = partial(inputs.parse_text, max_length=REASON_LIMIT, required=True)


class CommentaryForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "findings": partial(inputs.parse_text, max_length=TEXT_LIMIT, multiline=True),
        "issues": parse_items,
        "actions": parse_items,
        "state": partial(_choice, NoteState),
        "reason": _reason,
    }


def progress_form(subjects: list[str], data: Any) -> ParsedForm:
    """A state and a note per measure and task of the roadmap, and one reason for the whole change."""
    parsers: dict[str, Parser] = {"reason": _reason}
    for code in subjects:
        parsers[f"state:{code}"] = _optional_progress
        parsers[f"note:{code}"] = partial(inputs.parse_text, max_length=TEXT_LIMIT, multiline=True)
    form_class = type("ProgressForm", (ParsedForm,), {"parsers": parsers})
    return form_class(data)  # type: ignore[no-any-return]


def _optional_progress(text: str, field: str) -> Progress | None:
    return _choice(Progress, text, field) if text.strip() else None


def _period(text: str) -> Period:
    period = inputs.parse_period_input(text, "period")
    if period.key != text:  # one address per period
        raise Http404(text)
    return period


def _back(state: ProgrammeState, period: Period, subject: str) -> str:
    query = urlencode({"programme": state.code, "period": period.key})
    if subject == PROGRAMME_WIDE:
        return f"{reverse('dashboard:overview')}?{query}"
    return f"{reverse('dashboard:indicator', args=[subject])}?{query}"


@require_http_methods(["GET", "POST"])
@member_view
def commentary_page(request: HttpRequest, programme: str, period: str, subject: str = PROGRAMME_WIDE) -> HttpResponse:
    if not permissions.can_draft_some_commentary(request.user):
        return forbidden(request, _("Only the programme office and the team that owns an indicator write commentary."))
    state = evaluate_programme(resolve_programme(programme))
    chosen = _period(period)
    indicator = state.programme.indicator_by_code().get(subject) if subject else None
    if subject and indicator is None:
        raise Http404(subject)
    if not permissions.can_write_commentary(request.user, state.programme, subject):
        return forbidden(request, _("Only the programme office and the team that owns an indicator write commentary."))
    office = permissions.can_write_notes(request.user)
    current = state.notes.commentary_of(subject, chosen, drafts=True)
    context: dict[str, Any] = {
        "title": _("Commentary"),
        "programme": state.programme,
        "period": chosen,
        "indicator": indicator,
        "current": current,
        "history": list(reversed(state.notes.commentary_history(subject))),
        "form": request.POST if request.method == "POST" else _initial(current),
        "back": _back(state, chosen, subject),
        "limits": {"text": TEXT_LIMIT, "item": ITEM_LIMIT, "items": ITEMS_LIMIT},
        "publishes": office,  # a team member writes drafts; the office publishes them
    }
    if request.method == "POST":
        try:
            data = CommentaryForm(request.POST).parsed()
            if data["state"] is NoteState.PUBLISHED and not office:
                raise ValidationFailed(
                    [
                        Problem(
                            "",
                            None,
                            "state",
                            ja="公開は事務局が行います。下書きとして保存してください",
                            en="the programme office publishes commentary; save it as a draft",
                        )
                    ]
                )
            entry = Commentary(
                subject=subject,
                period=chosen,
                findings=data["findings"],
                issues=data["issues"],
                actions=data["actions"],
                state=data["state"],
                source=current.source if current else "",
            )
            found = check_commentary(state.programme, entry)
            if found:
                raise ValidationFailed([Problem("", None, p.field, ja=p.ja, en=p.en) for p in found])
            recorded = notes.record_commentary(
                state.code, [entry], by=request.user.get_username(), reason=data["reason"], now=clock.now()
            )
        except ValidationFailed as exc:
            if errors.wants_json(request):
                raise
            context["problems"] = exc.problems
            return render(request, "dashboard/commentary_edit.html", context, status=400)
        if recorded:
            messages.success(request, _("Published.") if entry.state is NoteState.PUBLISHED else _("Saved as a draft."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(context["back"])
    return render(request, "dashboard/commentary_edit.html", context)


def _initial(current: Commentary | None) -> dict[str, str]:
    if current is None:
        return {"state": NoteState.DRAFT.value}
    return {
        "findings": current.findings,
        "issues": "\n".join(current.issues),
        "actions": "\n".join(current.actions),
        "state": current.state.value,
    }


@require_http_methods(["GET", "POST"])
@member_view
def progress_page(request: HttpRequest, programme: str, period: str) -> HttpResponse:
    if not permissions.can_write_notes(request.user):
        return forbidden(request, _("Only the programme office records the progress of measures."))
    state = evaluate_programme(resolve_programme(programme))
    chosen = _period(period)
    rows = progress_rows(state, chosen, lang())
    subjects = [row["code"] for row in rows]
    context: dict[str, Any] = {
        "title": _("Progress of measures"),
        "programme": state.programme,
        "period": chosen,
        "rows": rows,
        "states": [(s.value, progress_label(s, lang())) for s in Progress],
        "form": request.POST,
        "back": f"{reverse('dashboard:roadmap')}?{urlencode({'programme': state.code, 'period': chosen.key})}",
    }
    if request.method == "POST":
        try:
            data = progress_form(subjects, request.POST).parsed()
            entries = []
            for code in subjects:
                chosen_state = data[f"state:{code}"]
                if chosen_state is None:
                    continue
                entry = MeasureProgress(code, chosen, chosen_state, data[f"note:{code}"])
                found = check_progress(state.programme, entry)
                if found:
                    raise ValidationFailed([Problem("", None, code, ja=p.ja, en=p.en) for p in found])
                entries.append(entry)
            recorded = notes.record_progress(
                state.code, entries, by=request.user.get_username(), reason=data["reason"], now=clock.now()
            )
        except ValidationFailed as exc:
            if errors.wants_json(request):
                raise
            context["problems"] = exc.problems
            return render(request, "dashboard/progress_edit.html", context, status=400)
        messages.success(request, _("%(n)d state(s) recorded.") % {"n": recorded})
        return redirect(context["back"])
    return render(request, "dashboard/progress_edit.html", context)


def progress_rows(state: ProgrammeState, period: Period, language: str) -> list[dict[str, Any]]:
    """Every measure and task of the roadmap with its state in `period` (or the latest before it)."""
    rows: list[dict[str, Any]] = []
    for pillar, area, measure in measures_of(state.programme):
        steps = [(measure.code, measure.name, False), *((t.code, t.name, True) for t in measure.tasks)]
        for code, name, is_task in steps:
            current = state.notes.progress_of(code, period)
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "task": is_task,
                    "pillar": pillar.name,
                    "area": area.name,
                    "current": current,
                    "carried": current is not None and current.period != period,
                    "label": progress_label(current.state, language) if current else "",
                    "history": list(reversed(state.notes.progress_history(code))),
                }
            )
    return rows
