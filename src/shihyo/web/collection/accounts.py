"""Accounts and roles, for the accounts page, the CLI (`shihyo user add`) and the tests.
Every change is recorded as an AccountEvent: who changed whose role, org units, password or access, when."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from shihyo.core import clock
from shihyo.core.collection import Role, submitting_units
from shihyo.core.problems import UserError
from shihyo.web.catalogue.evaluation import definitions_of
from shihyo.web.catalogue.repository import programme_codes
from shihyo.web.collection.models import AccountEvent, Membership

USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")


def save_account(
    username: str,
    role: str,
    org_units: Sequence[str],
    password: str | None,
    programme: str | None = None,
    *,
    by: str = "",
    email: str | None = None,
    teams: Sequence[str] | None = None,
) -> bool:
    """Create or update an account; returns whether it was created. Checks the name, role, units, teams, mail
    address and password (None keeps the current password, address or teams; a new account needs a
    password)."""
    if email is not None:
        email = email.strip()
        if email and (len(email) > 254 or not EMAIL.match(email)):
            raise UserError(
                ja=f"メールアドレス「{email[:40]}」の形が正しくありません（例: tanaka@city.example.jp）",
                en=f"the mail address '{email[:40]}' is not valid (e.g. tanaka@city.example.jp)",
            )
    if not USERNAME.match(username):
        raise UserError(
            ja=f"ユーザー名「{username[:40]}」は使えません（英数字と . @ + - _、150字まで）",
            en=f"the user name '{username[:40]}' cannot be used (letters, digits and . @ + - _, up to 150)",
        )
    try:
        chosen = Role(role)
    except ValueError:
        raise UserError(
            ja=f"役割「{role}」はありません（admin, reviewer, submitter, viewer のいずれか）",
            en=f"unknown role '{role}' (use admin, reviewer, submitter or viewer)",
        ) from None
    if chosen is Role.SUBMITTER and not org_units:
        raise UserError(
            ja="submitter には所属を1つ以上指定してください（コマンドでは --org-unit）",
            en="a submitter needs at least one org unit (--org-unit on the command line)",
        )
    if org_units and programme_codes():
        known = {u.code for u in submitting_units(definitions_of(programme))}
        unknown = [u for u in org_units if u not in known]
        if unknown:
            raise UserError(
                ja=f"所属がありません: {', '.join(unknown)}", en=f"unknown org unit(s): {', '.join(unknown)}"
            )
    if teams and programme_codes():
        known_teams = {t.code for t in definitions_of(programme).teams}
        unknown = [t for t in teams if t not in known_teams]
        if unknown:
            raise UserError(
                ja=f"チームがありません: {', '.join(unknown)}（teams.yaml のコードを指定してください）",
                en=f"unknown team(s): {', '.join(unknown)} (use the codes of teams.yaml)",
            )
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        if password is None and created:
            raise UserError(ja="新しいアカウントにはパスワードが必要です", en="a new account needs a password")
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise UserError(
                    ja="パスワード: " + " ".join(exc.messages), en="password: " + " ".join(exc.messages)
                ) from None
            user.set_password(password)
        if email is not None:
            user.email = email
        if password is not None or email is not None:
            user.save()
        current = Membership.objects.filter(user=user).first()
        kept = list(teams) if teams is not None else list(current.teams) if current else []
        Membership.objects.update_or_create(
            user=user, defaults={"role": chosen.value, "org_units": list(org_units), "teams": kept}
        )
        action = "created" if created else "updated" if password is None else "password"
        AccountEvent.objects.create(
            username=username,
            action=action,
            role=chosen.value,
            org_units=list(org_units),
            teams=kept,
            at=clock.now(),
            by=by,
        )
    return created


def set_active(username: str, active: bool, *, by: str) -> None:
    """Let an account sign in again, or stop it (its history stays: accounts are never deleted)."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            raise UserError(
                ja=f"アカウント「{username[:40]}」はありません", en=f"there is no account '{username[:40]}'"
            )
        if user.is_active == active:
            return
        user.is_active = active
        user.save(update_fields=["is_active"])
        _record(user, "reactivated" if active else "deactivated", by)


def record_password_change(username: str) -> None:
    _record(get_user_model().objects.get(username=username), "password", username)


def _record(user: AbstractBaseUser, action: str, by: str) -> None:
    """An account change, with the role and org units the account has after it."""
    membership = getattr(user, "membership", None)
    AccountEvent.objects.create(
        username=user.get_username(),
        action=action,
        role=membership.role if membership else "",
        org_units=membership.org_units if membership else [],
        teams=membership.teams if membership else [],
        at=clock.now(),
        by=by,
    )


def account_events(limit: int = 200) -> list[AccountEvent]:
    return list(AccountEvent.objects.order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    org_units: list[str]
    teams: list[str]
    active: bool


def accounts() -> list[Account]:
    User = get_user_model()
    rows = []
    for user in User.objects.order_by("username").select_related("membership"):
        membership = getattr(user, "membership", None)
        rows.append(
            Account(
                user.get_username(),
                membership.role if membership else "",
                membership.org_units if membership else [],
                membership.teams if membership else [],
                user.is_active,
            )
        )
    return rows
