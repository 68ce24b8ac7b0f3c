"""Accounts and roles, for the CLI (`shihyo user add`) and the tests."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from shihyo.core.collection import Role, submitting_units
from shihyo.core.problems import UserError
from shihyo.web.catalogue.repository import programme_codes, resolve_programme
from shihyo.web.collection.models import Membership
from shihyo.web.dashboard.services import current_state


def save_account(
    username: str, role: str, org_units: Sequence[str], password: str, programme: str | None = None
) -> bool:
    """Create or update an account; returns whether it was created. Checks the role, units and password."""
    try:
        chosen = Role(role)
    except ValueError:
        raise UserError(
            f"unknown role '{role}' (use admin, reviewer, submitter or viewer)",
            f"役割「{role}」はありません（admin, reviewer, submitter, viewer のいずれか）",
        ) from None
    if chosen is Role.SUBMITTER and not org_units:
        raise UserError(
            "a submitter needs at least one --org-unit", "submitter には --org-unit で所属を1つ以上指定してください"
        )
    if org_units and programme_codes():
        known = {u.code for u in submitting_units(current_state(resolve_programme(programme)).result.programme)}
        unknown = [u for u in org_units if u not in known]
        if unknown:
            raise UserError(f"unknown org unit(s): {', '.join(unknown)}", f"所属がありません: {', '.join(unknown)}")
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise UserError("password: " + " ".join(exc.messages), "パスワード: " + " ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"role": chosen.value, "org_units": list(org_units)})
    return created


def accounts() -> list[tuple[str, str, list[str], bool]]:
    User = get_user_model()
    rows = []
    for user in User.objects.order_by("username").select_related("membership"):
        membership = getattr(user, "membership", None)
        rows.append(
            (
                user.get_username(),
                membership.role if membership else "",
                membership.org_units if membership else [],
                user.is_active,
            )
        )
    return rows
