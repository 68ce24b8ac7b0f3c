"""Thin views of collection rounds: read the request, check the role, call `services`, render."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.views import PasswordChangeView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shihyo.core.collection import Action, Change, Role, State, change_of, is_percentage
from shihyo.core.model import Programme
from shihyo.core.numbers import NumberParseError, parse_japanese_number
from shihyo.core.problems import Problem, UserError, ValidationFailed
from shihyo.io import submissions as files
from shihyo.web import errors
from shihyo.web.catalogue.evaluation import definitions_of
from shihyo.web.catalogue.repository import resolve_programme
from shihyo.web.collection import accounts, forms, models, notices, permissions, services, throttle
from shihyo.web.dashboard.templatetags.shihyo import lang

View = Callable[..., HttpResponse]


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or reverse("collection:rounds")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("collection:rounds")
    context: dict[str, Any] = {"title": _("Sign in"), "next": target, "username": ""}
    if request.method == "POST":
        try:  # before throttling and authentication see the name: nothing unbounded reaches the database
            signed = forms.SignInForm(request.POST).parsed()
        except ValidationFailed as exc:
            context["problems"] = exc.problems
            return render(request, "collection/login.html", context, status=400)
        username, password = signed["username"], signed["password"]
        context["username"] = username
        address = _client_address(request)
        verdict = throttle.reserve(username, address)
        if verdict is not throttle.Verdict.ALLOWED:
            context["error"] = (
                _("Too many failed sign-ins. Wait 15 minutes and try again, or ask the programme office.")
                if verdict is throttle.Verdict.LOCKED
                else _("Many failed sign-ins come from your network. Wait a few seconds and try again.")
            )
            response = render(request, "collection/login.html", context, status=429)
            response["Retry-After"] = str(throttle.retry_after(verdict))
            return response
        user = authenticate(request, username=username, password=password)
        succeeded = user is not None and user.is_active
        throttle.settle(username, address, succeeded=succeeded)
        if user is None or not succeeded:
            context["error"] = _("The user name or password is wrong.")
            return render(request, "collection/login.html", context, status=401)
        login(request, user)
        return redirect(target)
    return render(request, "collection/login.html", context)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("dashboard:overview")


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """403 as a page in the user's language, saying why."""
    return errors.forbidden_response(request, reason)


def member_view(view: View) -> View:
    """Signed-in users with a role only (user errors become readable pages in `shihyo.web.errors`)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('collection:login')}?next={request.path}")
        if not permissions.can_use_collection(request.user):
            return forbidden(request, _("Your account has no role yet: ask the programme office."))
        return view(request, *args, **kwargs)

    return wrapped


def _chosen_programme(request: HttpRequest) -> Programme:
    """The programme a page works on: the one posted or asked for (?programme=), else the dashboard's default
    (several may be loaded: the office's pages never refuse for that)."""
    asked = (request.POST.get("programme") or request.GET.get("programme") or "").strip()[:64] or None
    default = getattr(settings, "SHIHYO_DEFAULT_PROGRAMME", "") or None
    return definitions_of(resolve_programme(asked, default=default, several_ok=True))


def _round(programme: str, code: str) -> models.Round:
    return get_object_or_404(models.Round.objects.select_related("programme"), programme__code=programme, code=code)


@require_GET
@member_view
def rounds_page(request: HttpRequest) -> HttpResponse:
    rounds = list(models.Round.objects.select_related("programme").all())
    progress = services.progress(rounds)
    return render(
        request,
        "collection/rounds.html",
        {
            "title": _("Collection rounds"),
            "rounds": [(r, progress[r.pk]) for r in rounds],
            "can_open": permissions.can_open_rounds(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def new_round_page(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_rounds(request.user):
        return forbidden(request, _("Only the programme office opens rounds."))
    programme = _chosen_programme(request)
    context: dict[str, Any] = {"title": _("Open a collection round"), "programme": programme, "form": request.POST}
    if request.method == "POST":
        try:
            data = forms.NewRoundForm(request.POST).parsed()
            round_ = services.open_round(
                programme.code,
                code=data["code"],
                name=data["name"],
                periods=[p.key for p in data["periods"]],
                series=data["series"],
                org_units=data["org_units"],
                due=data["due"],
                outlier_threshold=data["outlier_threshold"],
                by=request.user.get_username(),
            )
        except ValidationFailed as exc:
            if errors.wants_json(request):
                raise
            context["problems"] = exc.problems
            return render(request, "collection/new_round.html", context, status=400)
        messages.success(request, _("The round is open."))
        return redirect("collection:round", programme=programme.code, code=round_.code)
    return render(request, "collection/new_round.html", context)


@require_GET
@member_view
def round_page(request: HttpRequest, programme: str, code: str) -> HttpResponse:
    round_ = _round(programme, code)
    prog = services.programme_of(round_)
    lines = [line for line in services.status(round_) if permissions.can_read_unit(request.user, prog, line.code)]
    return render(
        request,
        "collection/round.html",
        {
            "title": round_.name,
            "round": round_,
            "lines": lines,
            "overdue": [line for line in lines if line.overdue],
            "can_open": permissions.can_open_rounds(request.user),
        },
    )


def _unit_access(request: HttpRequest, round_: models.Round, org_unit: str, write: bool) -> None:
    prog = services.programme_of(round_)
    allowed = (permissions.can_submit if write else permissions.can_read_unit)(request.user, prog, org_unit)
    if not allowed:
        raise PermissionError


def unit_view(write: bool) -> Callable[[View], View]:
    """Submission pages: the round and org unit must exist, and the user may read (or write) that unit."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, programme: str, code: str, org_unit: str, **kwargs: Any) -> HttpResponse:
            round_ = _round(programme, code)
            if org_unit not in round_.org_units:
                raise Http404(org_unit)
            try:
                _unit_access(request, round_, org_unit, write)
            except PermissionError:
                return forbidden(request, _("You may not see or change the figures of this org unit."))
            return view(request, round_, org_unit, **kwargs)

        return member_view(wrapped)

    return decorate


def _base_version(request: HttpRequest) -> int:
    """The version of the figures the user's page showed: every write needs it, so no update is lost."""
    version: int = forms.VersionForm(request.POST).parsed()["version"]
    return version


@require_http_methods(["GET", "POST"])
@unit_view(write=False)
def submission_page(request: HttpRequest, round_: models.Round, org_unit: str) -> HttpResponse:
    prog = services.programme_of(round_)
    can_write = permissions.can_submit(request.user, prog, org_unit)
    status = 200
    problems: tuple[Problem, ...] = ()
    posted: dict[str, str] = {}
    if request.method == "POST":
        if not can_write:
            return forbidden(request, _("You may not see or change the figures of this org unit."))
        try:
            form = forms.SubmissionForm(request.POST, services.spec_of(round_), _("form")).parsed()
            draft = form["action"] == "draft"
            outcome = services.submit(
                round_,
                org_unit,
                form["entries"],
                base_version=form["version"],
                by=request.user.get_username(),
                via="web",
                draft=draft,
            )
        except ValidationFailed as exc:
            if errors.wants_json(request):
                raise
            problems, status, posted = exc.problems, 400, {key: str(value) for key, value in request.POST.items()}
        else:
            done = _("Draft saved: %(n)d value(s) changed.") if draft else _("Submitted: %(n)d value(s) changed.")
            messages.success(request, done % {"n": outcome.changed})
            return redirect(request.path)
    template = services.template_of(round_, org_unit, lang())
    submission = services.submission_of(round_, org_unit)
    rows = []
    for row in template.rows:
        field = f"{row.series.code}-{row.period.key}"
        value = posted.get(f"v-{field}", row.value) if posted else row.value
        comment = posted.get(f"c-{field}", row.comment) if posted else row.comment
        empty = not value.strip()
        rows.append(
            {
                "row": row,
                "field": field,
                "value": value,
                "comment": comment,
                "change": _change(row, value),
                "empty": empty,
                "points": is_percentage(row.series),
            }
        )
    return render(
        request,
        "collection/submission.html",
        {
            "title": f"{round_.name} — {template.org_unit_name}",
            "round": round_,
            "org_unit": org_unit,
            "template": template,
            "submission": submission,
            "rows": rows,
            "problems": problems,
            "problem_fields": {p.where for p in problems},
            "can_write": can_write and submission.state != "approved",
            "can_review": permissions.can_review(request.user),
            "events": services.events(round_, org_unit),
            "submission_state": State(submission.state),
            "empty_count": sum(1 for r in rows if r["empty"]),
        },
        status=status,
    )


def _change(row: files.TemplateRow, text: str) -> Change | None:
    """The change against last period shown beside the input (the page updates it as the user types)."""
    if row.previous is None or not text.strip():
        return None
    try:
        value = parse_japanese_number(text).value
    except NumberParseError:
        return None
    return change_of(row.series, value, row.previous)


@require_POST
@unit_view(write=True)
def upload_page(request: HttpRequest, round_: models.Round, org_unit: str) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(
            [
                Problem(
                    "",
                    None,
                    "file",
                    ja="ファイルが選ばれていません",
                    en="no file chosen",
                    hint_ja="Excel（.xlsx）か CSV を選んでください",
                    hint_en="choose an Excel (.xlsx) or CSV file",
                )
            ]
        )
    name = upload.name or "upload"
    raw = upload.read(files.MAX_BYTES + 1)
    problems: list[Problem] = []
    version: int | None
    if name.lower().endswith(".csv"):
        content, via, version = files.read_csv(raw, name, problems), "csv", _base_version(request)
    else:
        expected = {"programme": round_.programme.code, "round": round_.code, "org_unit": org_unit}
        content = files.read_template(raw, name, expected, problems)
        via, version = "xlsx", content.version
        if version is None and not problems:
            problems.append(
                Problem(
                    name,
                    None,
                    f"{files.META_SHEET}!B5",
                    ja="テンプレートの版が読み取れません",
                    en="the template's version cannot be read",
                    hint_ja="この提出画面からテンプレートをダウンロードし直して入力してください",
                    hint_en="download the template from this submission page again and fill it in",
                )
            )
    if problems or version is None:
        raise ValidationFailed(problems)
    outcome = services.submit(
        round_, org_unit, content.inputs, base_version=version, by=request.user.get_username(), via=via
    )
    messages.success(request, _("Uploaded %(name)s: %(n)d value(s) changed.") % {"name": name, "n": outcome.changed})
    return redirect("collection:submission", programme=round_.programme.code, code=round_.code, org_unit=org_unit)


@require_GET
@unit_view(write=False)
def template_download(request: HttpRequest, round_: models.Round, org_unit: str, fmt: str) -> HttpResponse:
    template = services.template_of(round_, org_unit)
    stem = f"shihyo-{round_.code}-{org_unit}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(files.write_template(template), content_type=content_type)
    elif fmt == "csv":
        response = HttpResponse(files.write_csv(template), content_type="text/csv; charset=utf-8")
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@require_POST
@unit_view(write=False)
def review_page(request: HttpRequest, round_: models.Round, org_unit: str) -> HttpResponse:
    if not permissions.can_review(request.user):
        return forbidden(request, _("Only reviewers and the programme office approve or return figures."))
    data = forms.ReviewForm(request.POST).parsed()
    try:
        action = Action(data["action"])
    except ValueError:
        raise Http404("action") from None
    services.review(
        round_, org_unit, action, comment=data["comment"], base_version=data["version"], by=request.user.get_username()
    )
    done = {Action.APPROVE: _("Approved."), Action.RETURN: _("Returned."), Action.REOPEN: _("Reopened.")}
    messages.success(request, done.get(action, ""))
    return redirect("collection:submission", programme=round_.programme.code, code=round_.code, org_unit=org_unit)


@require_GET
@member_view
def history_page(request: HttpRequest, programme: str) -> HttpResponse:
    prog = definitions_of(programme)
    query = forms.HistoryQuery(request.GET).parsed()
    code, org_unit, period = query["code"], query["org_unit"], query["period"]
    if code not in prog.series_by_code() and code not in prog.indicator_by_code():
        raise Http404(code)
    if not permissions.can_read_unit(request.user, prog, org_unit):
        return forbidden(request, _("You may not see or change the figures of this org unit."))
    lines = services.value_history(programme, code, org_unit, period.key)
    return render(
        request,
        "collection/history.html",
        {
            "title": _("History of a value"),
            "lines": lines,
            "code": code,
            "org_unit": prog.org_unit_by_code().get(org_unit),
            "org_unit_code": org_unit,
            "period": period,
            "name": (prog.series_by_code().get(code) or prog.indicator_by_code()[code]).name,
            "prog": prog,
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def accounts_page(request: HttpRequest) -> HttpResponse:
    """The programme office's list of accounts: add one, change its role or org units, issue a new password,
    stop or restart it. A new password is shown once, on this response only."""
    if not permissions.can_open_rounds(request.user):
        return forbidden(request, _("Only the programme office manages accounts."))
    programme = _chosen_programme(request)
    issued: tuple[str, str] | None = None
    me = request.user.get_username()
    if request.method == "POST":
        data = forms.AccountForm(request.POST).parsed()
        username, action = data["username"], data["action"]
        if action == "save":
            exists = get_user_model().objects.filter(username=username).exists()
            password = secrets.token_urlsafe(12) if data["new_password"] or not exists else None
            accounts.save_account(
                username,
                data["role"],
                data["org_units"],
                password,
                programme.code,
                by=me,
                email=data["email"] or None,
                teams=data["teams"],
            )
            issued = (username, password) if password else None
            messages.success(request, _("Saved the account %(name)s.") % {"name": username})
        elif action in ("deactivate", "reactivate"):
            if username == me and action == "deactivate":
                raise UserError(ja="自分のアカウントは停止できません", en="you cannot stop your own account")
            accounts.set_active(username, action == "reactivate", by=me)
            messages.success(request, _("Saved the account %(name)s.") % {"name": username})
        else:
            raise Http404("action")
    names = {u.code: u.name for u in programme.org_units}
    team_names = {t.code: t.name for t in programme.teams}
    rows = [
        {
            "username": a.username,
            "role": a.role,
            "units": [names.get(c, c) for c in a.org_units],
            "teams": [team_names.get(c, c) for c in a.teams],
            "active": a.active,
        }
        for a in accounts.accounts()
    ]
    response = render(
        request,
        "collection/accounts.html",
        {
            "title": _("Accounts"),
            "rows": rows,
            "roles": [r.value for r in Role],
            "units": [u for u in programme.org_units if u.kind != "benchmark"],
            "teams": programme.teams,
            "issued": issued,
            "events": accounts.account_events(),
            "me": me,
        },
    )
    response["Cache-Control"] = "no-store"  # a new password must not stay in a cache
    return response


@require_GET
@member_view
def outbox_page(request: HttpRequest, programme: str) -> HttpResponse:
    """The office's view of the mail a round sent: notices and reminders, to whom, when, or why not."""
    if not permissions.can_open_rounds(request.user):
        return forbidden(request, _("Only the programme office reads the outbox."))
    rounds = list(models.Round.objects.filter(programme__code=programme).order_by("-opened_at", "-id"))
    chosen = next((r for r in rounds if r.code == request.GET.get("round", "")), rounds[0] if rounds else None)
    return render(
        request,
        "collection/outbox.html",
        {
            "title": _("Mail sent"),
            "programme_code": programme,
            "rounds": rounds,
            "chosen": chosen,
            "messages_sent": notices.outbox(chosen) if chosen else [],
        },
    )


class PasswordPage(PasswordChangeView):
    """Any signed-in user changes their own password; the change is recorded (not the password)."""

    template_name = "collection/password.html"
    success_url = reverse_lazy("collection:rounds")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        accounts.record_password_change(self.request.user.get_username())
        messages.success(self.request, _("Your password is changed."))
        return response
