"""Collection rounds over the API, for signed-in accounts (a token): rounds and their progress, a unit's
figures, a submission and review steps. Each write goes through `shihyo.web.collection.services` — the
functions the web form calls — with the same checks, the same version guard (409 when stale) and the same
roles and org-unit scopes as the web (`shihyo.web.collection.permissions`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from shihyo.core.collection import Action, EntryInput
from shihyo.core.inputs import InvalidInput, parse_period_input
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.web.api import schemas
from shihyo.web.api.auth import api_language, caller_of, require_member, require_reviewer, require_unit
from shihyo.web.api.errors import ERRORS
from shihyo.web.api.reads import state_of
from shihyo.web.collection import models, permissions, services

router = Router(tags=["collection rounds"])


def _round(programme: str, code: str) -> models.Round:
    state_of(programme)  # 404 for a programme that is not loaded
    return get_object_or_404(models.Round.objects.select_related("programme"), programme__code=programme, code=code)


def _round_out(round_: models.Round, progress: services.Progress) -> dict[str, object]:
    return {
        "programme": round_.programme.code,
        "code": round_.code,
        "name": round_.name,
        "periods": list(round_.periods),
        "series": list(round_.series),
        "due": round_.due,
        "opened_at": round_.opened_at,
        "progress": {
            "total": progress.total,
            "counts": {state.value: n for state, n in progress.counts.items()},
            "overdue": progress.overdue,
        },
    }


@router.get("/programmes/{code}/rounds", response={200: list[schemas.RoundOut], **ERRORS}, summary="Rounds")
def rounds(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """The programme's collection rounds with their progress (any role)."""
    require_member(caller_of(request))
    state_of(code)
    found = list(models.Round.objects.select_related("programme").filter(programme__code=code))
    progress = services.progress(found)
    return [_round_out(r, progress[r.pk]) for r in found]


@router.get(
    "/programmes/{code}/rounds/{round_code}", response={200: schemas.RoundDetailOut, **ERRORS}, summary="A round"
)
def round_detail(request: HttpRequest, code: str, round_code: str) -> dict[str, object]:
    """A round and the state of each org unit the caller may read."""
    caller = caller_of(request)
    require_member(caller)
    round_ = _round(code, round_code)
    prog = services.programme_of(round_)
    lines = [line for line in services.status(round_) if permissions.can_read_unit(caller.user, prog, line.code)]
    return {
        **_round_out(round_, services.progress([round_])[round_.pk]),
        "units": [
            {
                "code": line.code,
                "name": line.name,
                "depth": line.depth,
                "state": line.state.value,
                "version": line.version,
                "changed_at": line.changed_at,
                "changed_by": line.changed_by,
                "overdue": line.overdue,
            }
            for line in lines
        ],
    }


def _unit(request: HttpRequest, code: str, round_code: str, org_unit: str, *, write: bool) -> models.Round:
    round_ = _round(code, round_code)
    if org_unit not in round_.org_units:
        raise Http404(org_unit)
    require_unit(caller_of(request), services.programme_of(round_), org_unit, write=write)
    return round_


def _submission_out(round_: models.Round, org_unit: str, lang: str) -> dict[str, object]:
    template = services.template_of(round_, org_unit, lang)
    submission = services.submission_of(round_, org_unit)
    return {
        "programme": round_.programme.code,
        "round": round_.code,
        "org_unit": org_unit,
        "org_unit_name": template.org_unit_name,
        "state": submission.state,
        "version": submission.version,
        "rows": [
            {
                "code": row.series.code,
                "name": row.series.name,
                "unit": row.series.unit,
                "period": row.period.key,
                "period_label": row.period_label,
                "previous": None if row.previous is None else float(row.previous),
                "previous_label": row.previous_label,
                "value": row.value,
                "comment": row.comment,
            }
            for row in template.rows
        ],
        "events": [
            {
                "action": e.action,
                "state": e.state,
                "version": e.version,
                "at": e.at,
                "by": e.by,
                "comment": e.comment,
                "via": e.via,
            }
            for e in services.events(round_, org_unit)
        ],
    }


UNIT = "/programmes/{code}/rounds/{round_code}/units/{org_unit}"


@router.get(UNIT, response={200: schemas.SubmissionOut, **ERRORS}, summary="An org unit's figures in a round")
def unit(request: HttpRequest, code: str, round_code: str, org_unit: str) -> dict[str, object]:
    """What the unit is asked for, last period's values, what it has entered, its state, version and steps."""
    lang = api_language(request)
    round_ = _unit(request, code, round_code, org_unit, write=False)
    return _submission_out(round_, org_unit, lang)


def _inputs(body: schemas.SubmissionIn) -> list[EntryInput]:
    found, problems = [], []
    for i, entry in enumerate(body.entries):
        try:
            period = parse_period_input(entry.period, f"entries[{i}].period")
        except InvalidInput as exc:
            problems.append(exc.problem)
            continue
        found.append(EntryInput(entry.code, period, entry.value, entry.comment, "api", None, f"entries[{i}].value"))
    if problems:
        raise ValidationFailed(problems)
    return found


def _outcome(round_: models.Round, org_unit: str, outcome: services.Outcome) -> dict[str, object]:
    return {
        "version": outcome.version,
        "changed": outcome.changed,
        "state": services.submission_of(round_, org_unit).state,
    }


@router.post(
    f"{UNIT}/submission",
    response={200: schemas.OutcomeOut, **ERRORS},
    summary="Submit (or save a draft of) an org unit's figures",
)
def submit(
    request: HttpRequest, code: str, round_code: str, org_unit: str, body: schemas.SubmissionIn
) -> dict[str, object]:
    """The same checks as the web form; any problem saves nothing (400, each problem with its place). A
    version older than the stored one is a conflict (409): reload and re-enter."""
    round_ = _unit(request, code, round_code, org_unit, write=True)
    known = {(c, p.key) for c in round_.series for p in services.spec_of(round_).periods}
    inputs = _inputs(body)
    unknown = [
        Problem(
            "api",
            None,
            f"entries[{i}]",
            ja=f"系列「{x.code[:40]}」の {x.period.key} はこの収集回で求められていません",
            en=f"series '{x.code[:40]}' for {x.period.key} is not asked in this round",
            hint_ja="GET で求められている系列と期間を確認してください",
            hint_en="GET this unit to see the series and periods asked",
        )
        for i, x in enumerate(inputs)
        if (x.code, x.period.key) not in known
    ]
    if unknown:
        raise ValidationFailed(unknown)
    outcome = services.submit(
        round_,
        org_unit,
        inputs,
        base_version=body.version,
        by=caller_of(request).user.get_username(),
        via="api",
        draft=body.draft,
    )
    return _outcome(round_, org_unit, outcome)


@router.post(f"{UNIT}/review", response={200: schemas.OutcomeOut, **ERRORS}, summary="Approve, return or reopen")
def review(
    request: HttpRequest, code: str, round_code: str, org_unit: str, body: schemas.ReviewIn
) -> dict[str, object]:
    """A reviewer's step: approve (units below first), return with a reason, or reopen approved figures."""
    round_ = _unit(request, code, round_code, org_unit, write=False)
    require_reviewer(caller_of(request))
    outcome = services.review(
        round_,
        org_unit,
        Action(body.action),
        comment=body.comment,
        base_version=body.version,
        by=caller_of(request).user.get_username(),
    )
    return _outcome(round_, org_unit, outcome)
