"""The steps every on-screen change of the definitions shares: check, preview, save with a reason.

A view builds the changed files into a `Proposal` (the files' own rules judge it); `preview_or_save` then
either stores it — when the office pressed save on exactly the change it previewed, with a reason — or puts
the preview (figures that move, the digest a save must carry) into the page. Problems the files' rules find
in the changed item are moved to the form's fields, so the office reads "[owner_team]", not a file line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shihyo.core import clock, inputs
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.web.catalogue import editing
from shihyo.web.forms import Parser

INDEX = re.compile(r"\[\d+\]")


def text(limit: int, *, required: bool = False, multiline: bool = False) -> Parser:
    """A form field's parser: text of at most `limit` characters."""
    return partial(inputs.parse_text, max_length=limit, required=required, multiline=multiline)


def lines(most: int, longest: int) -> Parser:
    """A form field's parser: one item per line (blank lines dropped), at most `most` of up to `longest`."""

    def parse(raw: str, field: str) -> list[str]:
        parsed = inputs.parse_text(raw, field, max_length=most * (longest + 2), multiline=True)
        items = [line.strip() for line in parsed.splitlines() if line.strip()]
        if len(items) > most or any(len(item) > longest for item in items):
            raise inputs.InvalidInput(
                Problem(
                    "",
                    None,
                    field,
                    ja=f"{most}行まで、1行{longest}字までにしてください（{len(items)}行）",
                    en=f"at most {most} lines of up to {longest} characters ({len(items)} lines)",
                )
            )
        return items

    return parse


def on_the_form(
    problems: Sequence[Problem], fields: Collection[str], whole: tuple[str, str] | None = None
) -> list[Problem]:
    """The files' problems of the changed item, named by the form's field (the stored files were valid, so
    every problem comes from the change): `pillars[0].areas[3].code` → `code`, `x.base.period` → `base_period`;
    a problem placed on the item as a whole goes to `whole` when given (an expression's unknown code)."""
    moved = []
    for problem in problems:
        if whole is not None and problem.where == whole[0]:
            moved.append(dataclasses.replace(problem, file="", line=None, where=whole[1]))
            continue
        parts = INDEX.sub("", problem.where or "").split(".")
        for key in (parts[-1], "_".join(parts[-2:])):  # `code`, or `base.period` → `base_period`
            if key in fields:
                problem = dataclasses.replace(problem, file="", line=None, where=key)
                break
        moved.append(problem)
    return moved


def proposed(
    build: Callable[[], editing.Proposal], fields: Collection[str], whole: tuple[str, str] | None = None
) -> editing.Proposal:
    """`build()`, its problems moved to the form's fields."""
    try:
        return build()
    except ValidationFailed as exc:
        raise ValidationFailed(on_the_form(exc.problems, fields, whole)) from None


def required_reason(reason: str) -> None:
    if not reason:
        raise ValidationFailed(
            [
                Problem(
                    "",
                    None,
                    "reason",
                    ja="変更の理由を書いてください",
                    en="say why you make the change",
                    hint_ja="履歴に残ります",
                    hint_en="it is kept in the history",
                )
            ]
        )


def preview_or_save(
    request: HttpRequest,
    proposal: editing.Proposal,
    data: dict[str, Any],
    context: dict[str, Any],
    *,
    saving: bool,
) -> HttpResponse | None:
    """Save (and answer with a redirect to `context["back"]`) when `saving` and the form carries the digest
    of this very change; else fill the preview into `context` and answer None (the view renders)."""
    if saving and data["previewed"] == proposal.digest:
        required_reason(data["reason"])
        by = request.user.get_username()
        saved = editing.save(proposal, base=data["base"], by=by, reason=data["reason"], now=clock.now())
        messages.success(request, _("Saved as a new version of the definitions.") if saved else _("Nothing changed."))
        return redirect(context["back"])
    context.update(changes=editing.preview(proposal), digest=proposal.digest, previewed=True, base=data["base"])
    return None
