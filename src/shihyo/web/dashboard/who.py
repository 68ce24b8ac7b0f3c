"""Who recorded a figure, as the public may read it: a role or an org unit, never a sign-in name.

Revisions keep the account that made them (the audit trail needs it, and the office and reviewers see it).
On the public pages each account is named by its role (推進チーム, 承認者) or, for a submitter, by the org units
it reports for (北区の提出者); a name that is no account (a `shihyo load --by …`) is the programme office's
data load. Reasons written by collection rounds ("承認（入力 kita）") get the same treatment."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from shihyo.core.collection import Role
from shihyo.core.labels import label_of
from shihyo.core.model import OrgUnit, Programme
from shihyo.web.collection.models import Membership
from shihyo.web.dashboard.pages import InputChange

ENTERED_BY = re.compile(r"（入力 ([^）]+)）")


def public_names(usernames: Iterable[str], programme: Programme, lang: str) -> dict[str, str]:
    """Each user name mapped to the role or org units it may be shown as."""
    wanted = set(usernames)
    units = programme.org_unit_by_code()
    shown: dict[str, str] = {}
    for membership in Membership.objects.filter(user__username__in=wanted).select_related("user"):
        role = label_of(Role, membership.role, lang)
        if membership.role == Role.SUBMITTER.value and membership.org_units:
            names = [_unit_name(units[c], lang) if c in units else c for c in membership.org_units]
            role = f"submitter of {', '.join(names)}" if lang == "en" else f"{'・'.join(names)}の提出者"
        shown[membership.user.get_username()] = role
    load = "programme office (data load)" if lang == "en" else "推進チーム（データ読込）"
    return {name: shown.get(name, load) for name in wanted}


def _unit_name(unit: OrgUnit, lang: str) -> str:
    return (unit.name_en or unit.name) if lang == "en" else unit.name


def for_public(changes: list[InputChange], programme: Programme, lang: str) -> list[InputChange]:
    """The history rows with accounts named by role or unit, in the recorder and in the reason."""
    names = {c.recorded_by for c in changes} | {m for c in changes for m in ENTERED_BY.findall(c.reason)}
    shown = public_names(names, programme, lang)
    return [
        replace(
            c,
            recorded_by=shown[c.recorded_by],
            reason=ENTERED_BY.sub(lambda m: f"（入力 {shown[m.group(1)]}）", c.reason),
        )
        for c in changes
    ]
