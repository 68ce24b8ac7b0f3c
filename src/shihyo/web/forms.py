"""Django forms over the shared parsers of `shihyo.core.inputs`.

A form reads the request's fields, runs each through its parser and collects every `Problem` (each names
its field), so a view is: permission, form, service call, render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from shihyo.core.inputs import InvalidInput, InvalidInputs
from shihyo.core.problems import Problem

Parser = Callable[[str, str], Any]
ListParser = Callable[[list[str], str], Any]


class ListField(forms.Field):
    """Every value of a repeated field (checkboxes, ?x=a&x=b), as text."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


class RawText(forms.Field):
    """The text exactly as sent; its parser judges it (Django's own checks would answer without a place)."""

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)


class ParsedForm(forms.Form):
    """A form whose text fields are parsed by `parsers` (field name → parser of text and field name).

    Every field not listed is a plain string; `parsed()` returns the typed values or raises
    InvalidInputs with every problem found (the handler renders it, or a view re-renders its form).
    """

    parsers: ClassVar[Mapping[str, Parser]] = {}
    list_parsers: ClassVar[Mapping[str, ListParser]] = {}  # repeated fields (checkboxes): every value at once

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name in self.parsers:
            self.fields.setdefault(name, RawText(required=False))
        for name in self.list_parsers:
            self.fields.setdefault(name, ListField(required=False))
        self.problems: list[Problem] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parsers: list[tuple[str, Callable[[Any, str], Any], Any]] = [
            (name, parser, str(cleaned.get(name) or "")) for name, parser in self.parsers.items()
        ]
        parsers += [(name, parser, list(cleaned.get(name) or [])) for name, parser in self.list_parsers.items()]
        for name, parse, raw in parsers:
            if name in self.errors:
                continue
            try:
                cleaned[name] = parse(raw, name)
            except InvalidInput as exc:
                self.problems.append(exc.problem)
                self.add_error(name, exc.problem.en)
        return cleaned

    def parsed(self) -> dict[str, Any]:
        if not self.is_valid():
            if not self.problems:  # a field Django refused itself (e.g. a list where text belongs)
                self.problems = [
                    Problem(
                        "",
                        None,
                        name,
                        ja="読み取れません",
                        en="cannot be read",
                        hint_ja="入力し直してください",
                        hint_en="enter it again",
                    )
                    for name in self.errors
                ]
            raise InvalidInputs(self.problems)
        return dict(self.cleaned_data)
