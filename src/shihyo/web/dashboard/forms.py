"""The dashboard's query parameters (programme, period, data date), read by the shared parsers."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from shihyo.core import inputs
from shihyo.core.periods import Period
from shihyo.web.forms import ParsedForm, Parser


def _period(text: str, field: str) -> Period | None:
    return inputs.parse_period_input(text, field) if text.strip() else None


class DashboardQuery(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "programme": partial(inputs.parse_text, max_length=inputs.MAX_CODE),
        "period": _period,
        "as_of": inputs.parse_as_of,
    }
