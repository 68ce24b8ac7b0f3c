"""Thin views: read the request, ask `evaluate_programme` for the evaluation, render."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shihyo.core.charts import build_chart, chart_table, vega_lite
from shihyo.core.commentary import owning_teams, roadmap_subjects
from shihyo.core.indicators import Indicator, describe
from shihyo.core.official_rows import mark_table
from shihyo.core.overview import AreaCards, card, main_org_unit, overview
from shihyo.core.periods import Grain, Period
from shihyo.core.problems import UserError
from shihyo.core.reconcile import Verdict
from shihyo.core.summary_table import summary_notes
from shihyo.web import errors
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.catalogue.repository import resolve_programme
from shihyo.web.collection import permissions
from shihyo.web.dashboard import downloads, pages, published, report_files, report_jobs, who
from shihyo.web.dashboard.forms import DashboardQuery
from shihyo.web.dashboard.templatetags.shihyo import lang


class BadRequest(UserError):
    """A query parameter the dashboard cannot use."""


def _unit(request: HttpRequest, state: ProgrammeState) -> str:
    """The org unit the pages show (?unit=): the main unit by default, any unit with figures."""
    text = request.GET.get("unit", "").strip()
    if not text:
        return main_org_unit(state.programme)
    if text not in {u.code for u in pages.unit_choices(state)}:
        shown = text[:40]
        raise BadRequest(ja=f"所属「{shown}」の数値はありません", en=f"there are no figures of an org unit '{shown}'")
    return text


def _audience(user: permissions.User, office: bool) -> str:
    """Who a cached page fragment is for: the office that writes, members of some teams (who see links to
    the commentary of their teams' indicators), reviewers, or the public."""
    if permissions.can_write_notes(user):
        return "writer"
    teams = permissions.teams_of(user)
    if teams:
        return "team:" + ",".join(sorted(teams)) + (":office" if office else "")
    return "office" if office else "public"


def _commentary_url(context: dict[str, Any], subject: str = "") -> str:
    """Where the office writes the commentary of `subject` ("" for the programme) in the shown period."""
    if "notes_base" not in context:
        return ""
    code, period = context["notes_base"]
    teams = context.get("notes_teams")  # None: the office, who writes everything
    if teams is not None and not (subject and teams & owning_teams(context["programme"], subject)):
        return ""
    if subject:
        return reverse("dashboard:commentary", args=[code, period, subject])
    return reverse("dashboard:programme-commentary", args=[code, period])


def _common(request: HttpRequest) -> tuple[ProgrammeState, dict[str, Any]]:
    office = permissions.can_review(request.user)
    query = DashboardQuery(request.GET).parsed()
    default = getattr(settings, "SHIHYO_DEFAULT_PROGRAMME", "") or None
    code = resolve_programme(query["programme"] or None, default=default, several_ok=True)

    def moment(programme: str) -> datetime | None:  # anonymous visitors: the moments the published data changed
        asked: datetime | None = query["as_of"]
        return asked if request.user.is_authenticated else published.published_moment(programme, asked)

    state = evaluate_programme(code, moment(code))
    period: Period | None = query["period"] or state.result.programme.report_period
    if query["period"] and period not in pages.available_periods(state):
        asked = query["period"]
        raise BadRequest(
            ja=f"{asked.label()} の数値はありません", en=f"there are no figures for {asked.label(lang='en')}"
        )
    unit = _unit(request, state)
    context = {
        "programme": state.result.programme,
        "state": state,
        "period": period,
        "periods": pages.available_periods(state),
        "as_of": request.GET.get("as_of", ""),
        "lang": lang(),
        "query": pages.query_string(request.GET, state.code),
        "programmes": pages.programme_choices(state, period, request.GET, lang(), moment),
        "unit": unit,
        "units": pages.unit_choices(state),
        # the office and reviewers also see figures entered but not yet approved (never cached for the public)
        "office": office,
        "office_admin": permissions.can_open_rounds(request.user),  # the reconciliation page is theirs
        # what a cached page fragment depends on: the data version, the moment, the period, unit and language
        "fragment_key": f"{state.result.programme.code}:{state.version}:{request.GET.get('as_of', '')}:"
        f"{period.key if period else ''}:{unit}:{lang()}:{_audience(request.user, office)}",
    }
    if period is not None and permissions.can_draft_some_commentary(request.user):
        context["notes_base"] = (state.code, period.key)
        if not permissions.can_write_notes(request.user):
            context["notes_teams"] = permissions.teams_of(request.user)
    return state, context


@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    state, context = _common(request)

    @cache
    def groups() -> tuple[AreaCards, ...]:  # computed only when the cached page fragment is missing
        return overview(
            state.result,
            state.evaluations,
            state.reconciliations,
            context["period"],
            context["unit"],
            state.resolutions,
        )

    context.update(
        groups=groups,
        counts=lambda: pages.status_counts(groups()),
        title=_("Overview"),
        note=state.notes.commentary_of("", context["period"], drafts=context["office"]),
        edit_url=_commentary_url(context),
    )
    return render(request, "dashboard/overview.html", context)


@require_GET
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    state, context = _common(request)
    programme = state.result.programme
    indicator = programme.indicator_by_code().get(code)
    if indicator is None:
        raise Http404(code)
    unit = context["unit"]
    period = context["period"]
    chart = cache(lambda: build_chart(state.result, indicator, unit, state.resolutions))
    unit_rows = cache(lambda: _unit_rows(state, indicator, unit, period, context["office"]))  # table and chart
    # the year-by-year table shows official figures, the other value beside each disputed one
    marked_table = cache(lambda: mark_table(chart_table(chart(), lang()), state, lang()))
    # each part is computed once, and only when the cached page fragment is missing
    context.update(
        title=indicator.name_en or indicator.name if lang() == "en" else indicator.name,
        indicator=indicator,
        card=cache(
            lambda: card(
                state.result, indicator, unit, period, state.evaluations, state.reconciliations, state.resolutions
            )
        ),
        spec=cache(lambda: vega_lite(chart(), lang())),
        table=cache(lambda: marked_table()[0]),
        table_notes=cache(lambda: marked_table()[1]),
        formula=cache(
            lambda: describe(indicator.formula, pages.names(programme, lang()), lang(), programme.wareki_style)
        ),
        inputs=cache(lambda: _history(state, indicator, unit, context["office"])),
        unit_rows=unit_rows,
        units_spec=cache(lambda: pages.units_chart_spec(state, indicator, unit, unit_rows(), lang())),
        reconciliations=cache(lambda: [r for r in state.reconciliations if r.code == code]),
        differs=Verdict.DIFFERS,
        targets=programme.targets_of(code),
        # drafts: for the office and reviewers, and for the team that owns the indicator (it writes them)
        note=state.notes.commentary_of(code, period, drafts=context["office"] or bool(_commentary_url(context, code))),
        edit_url=_commentary_url(context, code),
    )
    return render(request, "dashboard/indicator.html", context)


def _history(state: ProgrammeState, indicator: Indicator, unit: str, office: bool) -> list[pages.InputChange]:
    """The revision history of the inputs; the public reads roles and units where the office reads accounts."""
    changes = pages.input_history(state, indicator, unit)
    return changes if office else who.for_public(changes, state.programme, lang())


def _unit_rows(
    state: ProgrammeState, indicator: Indicator, unit: str, period: Period | None, office: bool
) -> list[pages.UnitRow]:
    """The figures of the units below, for the selected half, or the latest year that has the indicator."""
    if period is not None and period.grain is Grain.HALF:
        return pages.unit_rows(state, indicator, unit, period, lang(), office)
    latest = card(state.result, indicator, unit, period, state.evaluations, state.reconciliations).latest
    return pages.unit_rows(state, indicator, unit, latest.period, lang(), office) if latest else []


@require_GET
def roadmap_page(request: HttpRequest) -> HttpResponse:
    state, context = _common(request)
    context.update(
        title=_("Roadmap"),
        indicators=state.result.programme.indicator_by_code(),
        teams={t.code: t for t in state.result.programme.teams},
        progress={code: state.notes.progress_of(code, context["period"]) for code in roadmap_subjects(state.programme)},
        progress_url=reverse("dashboard:progress", args=context["notes_base"])
        if "notes_base" in context and "notes_teams" not in context
        else "",
    )
    return render(request, "dashboard/roadmap.html", context)


@require_GET
def organisation_page(request: HttpRequest) -> HttpResponse:
    state, context = _common(request)
    context.update(title=_("Organisation"), tree=pages.org_tree(state.result.programme))
    return render(request, "dashboard/organisation.html", context)


@require_GET
def summary_page(request: HttpRequest) -> HttpResponse:
    state, context = _common(request)
    years = pages.summary_years(state)
    sections = cache(lambda: pages.summary_sections(state, years, lang()))
    context.update(
        title=_("Summary table"),
        years=years,
        sections=sections,
        has_published=lambda: any(c.kind == "reported" for s in sections() for r in s.rows for c in r.cells),
        # ※n: the cells whose published figure and recomputation differ, the other value and why
        official_notes=lambda: summary_notes(sections()),
    )
    return render(request, "dashboard/summary.html", context)


@require_GET
def indicator_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    state, _context = _common(request)
    indicator = state.result.programme.indicator_by_code().get(code)
    if indicator is None:
        raise Http404(code)
    return downloads.download(state, indicator, fmt, lang())


REPORT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual report of the selected period and data date, written on request."""
    if fmt not in REPORT_TYPES:
        raise Http404(fmt)
    state, context = _common(request)
    period = context["period"]
    if period is None:
        raise BadRequest(ja="対象期間を選んでください", en="choose a period")
    key = downloads.report_key(state, period, fmt, lang())
    if report_jobs.in_background(state) and report_jobs.on_disk(key) is None:
        build = report_jobs.request(key, again=request.GET.get("again") == "1")
        if build.state != build.State.DONE:  # the page waits on the job and reloads itself
            again = request.GET.copy()
            again["again"] = "1"
            context.update(
                title=_("Writing the report"),
                build=build,
                waited=report_jobs.waiting_seconds(build),
                again=f"{request.path}?{again.urlencode()}",
            )
            response = render(request, "dashboard/report_build.html", context, status=202)
            response["Cache-Control"] = "no-store"
            return response
    try:
        # a half chosen on the page gives the report of that half (its figures, compared with the same half before)
        return downloads.report_file(state, period, fmt, REPORT_TYPES[fmt], lang())
    except report_files.Busy as busy:
        heading = _("Busy writing reports")
        response = errors.error_response(request, 503, busy.ja if lang() == "ja" else busy.en, heading=heading)
        response["Retry-After"] = str(busy.retry_after)
        return response


@require_GET
def vega_bundle(request: HttpRequest) -> HttpResponse:
    """vega, vega-lite and vega-embed, served from the installed vl-convert package (no CDN)."""
    response = HttpResponse(downloads.vega_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
