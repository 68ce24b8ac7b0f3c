"""Definitions that rounds still need: a change may not drop a series or an org unit that a collection
round asks for while any unit of that round has not been approved yet.

Both ways of changing the definitions check it before saving — `shihyo load` and the office's editor — so a
round in progress never loses the series or units its forms and pages are built from.
"""

from __future__ import annotations

from shihyo.core.collection import State
from shihyo.core.model import Programme
from shihyo.core.problems import Problem
from shihyo.web.collection import models


def still_needed(code: str, programme: Programme) -> list[Problem]:
    """A problem for each series or org unit the new definitions drop that an unfinished round uses."""
    series, units = programme.series_by_code(), programme.org_unit_by_code()
    problems: list[Problem] = []
    for round_ in models.Round.objects.filter(programme__code=code).order_by("opened_at", "id"):
        approved = set(round_.submissions.filter(state=State.APPROVED.value).values_list("org_unit", flat=True))
        if set(round_.org_units) <= approved:
            continue  # every unit approved: the round's figures are published
        for item in round_.series:
            if item not in series:
                problems.append(_needed("series.yaml", item, round_, "系列", "series"))
        for item in round_.org_units:
            if item not in units:
                problems.append(_needed("org_units.yaml", item, round_, "所属", "org unit"))
    return problems


def _needed(file: str, item: str, round_: models.Round, ja: str, en: str) -> Problem:
    return Problem(
        file,
        None,
        item,
        ja=f"収集回「{round_.name}」（{round_.code}）が使っている{ja}「{item}」を削除しようとしています",
        en=f"the {en} '{item}' is used by the collection round '{round_.name}' ({round_.code}), which is not finished",
        hint_ja="収集回のすべての所属が承認されてから削除するか、定義に残してください",
        hint_en="keep it until every unit of the round is approved, or leave it in the definitions",
    )
