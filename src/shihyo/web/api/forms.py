"""The token page's form, over the shared parsers of `shihyo.core.inputs`."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from shihyo.core import inputs
from shihyo.web.api.tokens import MAX_DAYS
from shihyo.web.forms import ParsedForm, Parser


def _days(text: str, field: str) -> int:
    return inputs.parse_whole(text or "90", field, low=1, high=MAX_DAYS)


def _token_id(text: str, field: str) -> int:
    return inputs.parse_whole(text or "0", field, low=0, high=2**62)


class TokenForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "action": partial(inputs.parse_text, max_length=16),
        "name": partial(inputs.parse_text, max_length=200),
        "scope": partial(inputs.parse_text, max_length=16),
        "days": _days,
        "token": _token_id,
    }
