"""Who may read and write what. The permission matrix test walks every URL with every role against these.

- admin (programme office): everything, including opening rounds and entering figures for any unit;
- reviewer: reads every unit, approves, returns and reopens; never enters figures;
- submitter: reads and enters the figures of their own org units (and the units below them) only;
- viewer: reads rounds and figures; writes nothing;
- anonymous: the public dashboard only.

The office (admin) also writes the commentary and the progress of measures. An account of any role may
belong to teams of the programme (`Membership.teams`); a team member writes drafts of the commentary of
the indicators their team owns (`core.commentary.owning_teams`), which the office publishes.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from shihyo.core.collection import Role
from shihyo.core.commentary import owning_teams
from shihyo.core.model import Programme

User = AbstractBaseUser | AnonymousUser


def role_of(user: User) -> Role | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    membership = getattr(user, "membership", None)
    return Role(membership.role) if membership is not None else None


def units_of(user: User, programme: Programme) -> frozenset[str]:
    """The org units a user's membership names, with every unit below them."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return frozenset()
    children: dict[str, list[str]] = {}
    for unit in programme.org_units:
        if unit.parent:
            children.setdefault(unit.parent, []).append(unit.code)
    found: set[str] = set()
    stack = list(membership.org_units)
    while stack:
        code = stack.pop()
        if code not in found:
            found.add(code)
            stack.extend(children.get(code, ()))
    return frozenset(found)


def can_use_collection(user: User) -> bool:
    return role_of(user) is not None


def can_open_rounds(user: User) -> bool:
    return role_of(user) is Role.ADMIN


def can_write_notes(user: User) -> bool:
    """Commentary on indicators and the progress of measures: the programme office."""
    return role_of(user) is Role.ADMIN


def teams_of(user: User) -> frozenset[str]:
    """The team codes an active account belongs to (none for visitors)."""
    if not user.is_authenticated:
        return frozenset()
    membership = getattr(user, "membership", None)
    return frozenset(membership.teams) if membership is not None else frozenset()


def can_write_commentary(user: User, programme: Programme, subject: str) -> bool:
    """The office writes every commentary; a member of a team that owns the indicator writes its drafts."""
    return can_write_notes(user) or bool(teams_of(user) & owning_teams(programme, subject))


def can_draft_some_commentary(user: User) -> bool:
    """Whether pages should offer commentary links at all (the office, or a member of some team)."""
    return can_write_notes(user) or bool(teams_of(user))


def can_review(user: User) -> bool:
    return role_of(user) in (Role.ADMIN, Role.REVIEWER)


def can_read_unit(user: User, programme: Programme, org_unit: str) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.REVIEWER, Role.VIEWER):
        return True
    return role is Role.SUBMITTER and org_unit in units_of(user, programme)


def can_submit(user: User, programme: Programme, org_unit: str) -> bool:
    role = role_of(user)
    return role is Role.ADMIN or (role is Role.SUBMITTER and org_unit in units_of(user, programme))
