"""The collection pages' inputs, each parsed by the shared parsers (`shihyo.core.inputs`)."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from shihyo.core import inputs
from shihyo.core.collection import MAX_TEXT, EntryInput, RoundSpec
from shihyo.core.periods import Period
from shihyo.core.problems import Problem
from shihyo.web.forms import ListParser, ParsedForm, Parser, RawText

MAX_VERSION = 10**9


def _periods(text: str, field: str) -> list[Period]:
    return inputs.parse_periods(inputs.split_list(text), field)


def _version(text: str, field: str) -> int:
    try:
        return inputs.parse_whole(text, field, low=0, high=MAX_VERSION)
    except inputs.InvalidInput:
        raise inputs.InvalidInput(
            Problem(
                "",
                None,
                field,
                ja="どの版の数値を元にした操作か分かりません",
                en="the request does not say which version of the figures it started from",
                hint_ja="画面を再読み込みしてから、もう一度操作してください",
                hint_en="reload the page and try again",
            )
        ) from None


class SignInForm(ParsedForm):
    """Sign-in: the name and password are bounded and free of control characters before anything else
    (throttling, authentication) sees them."""

    parsers: ClassVar[dict[str, Parser]] = {"username": inputs.parse_username, "password": inputs.parse_password}


class NewRoundForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "code": inputs.parse_code,
        "name": inputs.parse_name,
        "periods": _periods,
        "due": inputs.parse_date,
        "outlier_threshold": inputs.parse_threshold_percent,
    }
    list_parsers: ClassVar[dict[str, ListParser]] = {"series": inputs.parse_codes, "org_units": inputs.parse_codes}
    programme = forms.CharField(required=False, max_length=inputs.MAX_CODE)


class ReviewForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {"comment": inputs.parse_comment, "version": _version}
    action = forms.CharField(required=False, max_length=20)


class VersionForm(ParsedForm):
    """The version of the figures a page showed: every write carries it, so no update is lost."""

    parsers: ClassVar[dict[str, Parser]] = {"version": _version}


class HistoryQuery(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "code": partial(inputs.parse_text, max_length=inputs.MAX_CODE, required=True),
        "org_unit": partial(inputs.parse_text, max_length=inputs.MAX_CODE, required=True),
        "period": inputs.parse_period_input,
    }


class AccountForm(ParsedForm):
    """The accounts page: the account's checks themselves are `accounts.save_account`'s (shared with the CLI)."""

    parsers: ClassVar[dict[str, Parser]] = {
        "username": inputs.parse_username,
        "role": partial(inputs.parse_text, max_length=20),
        "email": inputs.parse_email,
    }
    list_parsers: ClassVar[dict[str, ListParser]] = {"org_units": inputs.parse_codes, "teams": inputs.parse_codes}
    action = forms.CharField(required=False, max_length=20)
    new_password = forms.BooleanField(required=False)


class SubmissionForm(ParsedForm):
    """The submission form: one value field (v-<series>-<period>) and one comment field (c-…) per series and
    period the round asks; each value is single-line text of at most MAX_TEXT characters, each comment at
    most MAX_COMMENT (the numbers themselves are judged by the round's rules in `core.collection`)."""

    parsers: ClassVar[dict[str, Parser]] = {"version": _version, "action": partial(inputs.parse_text, max_length=20)}

    def __init__(self, data: QueryDict, spec: RoundSpec, source: str) -> None:
        super().__init__(data)
        self.source = source
        self.cells = [(s, p) for s in spec.series for p in spec.periods if f"v-{s}-{p.key}" in data]
        for series, period in self.cells:
            self.fields[f"v-{series}-{period.key}"] = RawText(required=False)
            self.fields[f"c-{series}-{period.key}"] = RawText(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        entries = []
        for series, period in self.cells:
            field = f"v-{series}-{period.key}"
            try:
                text = inputs.parse_text(cleaned.get(field) or "", field, max_length=MAX_TEXT)
                comment = inputs.parse_comment(cleaned.get(f"c-{series}-{period.key}") or "", field)
            except inputs.InvalidInput as exc:
                self.problems.append(exc.problem)
                self.add_error(field, exc.problem.en)
                continue
            entries.append(EntryInput(series, period, text, comment, self.source, None, field))
        cleaned["entries"] = entries
        return cleaned
