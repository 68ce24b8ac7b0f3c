"""The collection pages' inputs, each parsed by the shared parsers (`shihyo.core.inputs`)."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from django import forms

from shihyo.core import inputs
from shihyo.core.periods import Period
from shihyo.core.problems import Problem
from shihyo.web.forms import ListField, ParsedForm, Parser

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


class NewRoundForm(ParsedForm):
    parsers: ClassVar[dict[str, Parser]] = {
        "code": inputs.parse_code,
        "name": inputs.parse_name,
        "periods": _periods,
        "due": inputs.parse_date,
        "outlier_threshold": inputs.parse_threshold_percent,
    }
    programme = forms.CharField(required=False, max_length=inputs.MAX_CODE)
    series = ListField(required=False)
    org_units = ListField(required=False)


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
        "username": partial(inputs.parse_text, max_length=150, required=True),
        "role": partial(inputs.parse_text, max_length=20),
        "email": partial(inputs.parse_text, max_length=254),
    }
    action = forms.CharField(required=False, max_length=20)
    org_units = ListField(required=False)
    new_password = forms.BooleanField(required=False)
