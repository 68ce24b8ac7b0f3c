"""Typed reading of one YAML mapping; every problem is collected with its file and line, never raised."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from shihyo.core.inputs import InvalidInput, parse_period_input
from shihyo.core.numbers import NumberParseError, parse_japanese_number
from shihyo.core.periods import Period
from shihyo.core.problems import Problem
from shihyo.io.yaml_source import LocatedDict, LocatedList

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
E = TypeVar("E", bound=StrEnum)


class Fields:
    """Reads the fields of one mapping in one file; problems go to the shared list."""

    def __init__(self, problems: list[Problem], file: str, data: Any, where: str = "", line: int | None = None):
        self.problems = problems
        self.file = file
        self.where = where
        if isinstance(data, LocatedDict):
            self.data: LocatedDict = data
            self.line = data.line
        else:
            self.data = LocatedDict()
            self.data.key_lines = {}
            self.line = line or getattr(data, "line", None) or 1
            self.problem(
                None,
                f"ここには項目の対応表（キー: 値）が必要ですが、{_type_ja(data)}があります",
                f"expected a mapping (key: value) here, found {_type_en(data)}",
            )

    def line_of(self, key: str | None) -> int:
        return self.data.line_of(key) if key is not None else self.line

    def problem(self, key: str | None, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> None:
        where = self.where if key is None else (f"{self.where}.{key}" if self.where else key)
        self.problems.append(
            Problem(self.file, self.line_of(key), where, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)
        )

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                self.problem(
                    key,
                    f"未知の項目「{key}」があります",
                    f"unknown field '{key}'",
                    f"使える項目: {', '.join(allowed)}",
                    f"allowed fields: {', '.join(allowed)}",
                )

    def _missing(self, key: str) -> None:
        self.problem(
            key,
            f"必須の項目「{key}」がありません",
            f"the required field '{key}' is missing",
            f"「{key}:」を追加してください",
            f"add '{key}:'",
        )

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ""
        if isinstance(value, (dict, list)):
            self.problem(key, f"「{key}」は文字列にしてください", f"'{key}' must be text")
            return ""
        return str(value)

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else None

    def code(self, key: str = "code", required: bool = True, item: bool = False) -> str:
        value = self.text(key, required)
        pattern = ITEM_CODE_PATTERN if item else CODE_PATTERN
        if value and not pattern.match(value):
            form = "英数字・「.」「-」「_」" if item else "英小文字で始まる英小文字・数字・「_」"
            form_en = "letters, digits, '.', '-' and '_'" if item else "a-z first, then a-z, 0-9 or '_'"
            self.problem(
                key,
                f"コード「{value}」は使えません",
                f"code '{value}' is not allowed",
                f"{form}で書いてください",
                f"use {form_en}",
            )
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"「{key}」は整数にしてください（{value!r}）", f"'{key}' must be an integer ({value!r})")
            return default
        return int(value)

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.problem(key, f"「{key}」は true / false / null のいずれかです", f"'{key}' must be true, false or null")
        return None

    def enum(self, key: str, kind: type[E], default: E | None = None) -> E | None:
        value = self.data.get(key)
        if value is None:
            if default is None:
                self._missing(key)
            return default
        try:
            return kind(str(value))
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            self.problem(
                key,
                f"「{key}」の値「{value}」は使えません",
                f"'{value}' is not a valid {key}",
                f"使える値: {allowed}",
                f"allowed: {allowed}",
            )
            return default

    def period(self, key: str, required: bool = False) -> Period | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        try:  # within the eras shihyo names (FY1869–FY9997), as every input of a period
            return parse_period_input(str(value), key)
        except InvalidInput as exc:
            self.problem(
                key,
                exc.problem.ja,
                exc.problem.en,
                "例: FY2021, R3, 令和3年度, FY2021H1",
                "e.g. FY2021, R3, 令和3年度, FY2021H1",
            )
            return None

    def number(self, key: str, required: bool = False) -> tuple[Decimal, str] | None:
        """A Japanese number text; returns the exact value and the text as written."""
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        text = str(value)
        try:
            return parse_japanese_number(text).value, text
        except NumberParseError as exc:
            self.problem(key, exc.message_ja, exc.message_en)
            return None

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(
                key, f"「{key}」はリストにしてください", f"'{key}' must be a list", "例: [a, b]", "e.g. [a, b]"
            )
            return ()
        return tuple(str(v) for v in value)

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"「{key}」はリストにしてください", f"'{key}' must be a list")
            return []
        return list(value)

    def child(self, key: str, data: Any, index: int | None = None) -> Fields:
        where = f"{self.where}.{key}" if self.where else key
        if index is not None:
            where = f"{where}[{index}]"
        line = data.line if isinstance(data, (LocatedDict, LocatedList)) else self.line_of(key)
        return Fields(self.problems, self.file, data, where, line)


def _type_en(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def _type_ja(value: Any) -> str:
    if isinstance(value, list):
        return "リスト"
    if isinstance(value, str):
        return "文字列"
    return "値"


def list_items(problems: list[Problem], file: str, data: Any) -> list[Any]:
    """The top level of a file that must be a list."""
    if data is None:
        return []
    if isinstance(data, list):
        return list(data)
    problems.append(
        Problem(
            file,
            getattr(data, "line", 1),
            "",
            ja="ファイルの最上位はリスト（- で始まる項目）にしてください",
            en="the top level of this file must be a list (items starting with '- ')",
        )
    )
    return []
