"""As-of dates for anonymous visitors, limited to the moments the published data changed.

A visitor may ask for the figures as of any date. Each distinct moment would be its own evaluation (about a
second for a city's programme) and its own report files, so anonymous requests are clamped: an as-of moment
becomes the time of the newest revision recorded at or before it (`repository.latest_revision_at`). By the as-of
rule the figures are the same, so the page shows exactly what was asked for, while the number of distinct
evaluations is bounded by the number of times the data changed. A moment before the programme existed is left
alone (it only produces the message that the programme did not exist yet). Signed-in users are not clamped.
"""

from __future__ import annotations

from datetime import datetime

from shihyo.web.catalogue.repository import latest_revision_at


def published_moment(code: str, as_of: datetime | None) -> datetime | None:
    """The moment an anonymous request for `as_of` is evaluated at (None, "latest", stays None)."""
    if as_of is None:
        return None
    return latest_revision_at(code, as_of) or as_of
