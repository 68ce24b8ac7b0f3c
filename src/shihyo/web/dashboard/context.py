"""What every page's navigation needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from shihyo.web.collection import permissions


def office(request: HttpRequest) -> dict[str, bool]:
    """`office_writes`: the signed-in user is the programme office (may change the catalogue and notes)."""
    return {"office_writes": permissions.can_write_notes(request.user)}
