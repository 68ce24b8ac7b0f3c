"""User errors: every problem names its place, what is wrong and how to fix it, in Japanese and English."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # file name (or sheet), relative to what the user gave
    line: int | None  # 1-based line (or row) in that file
    where: str  # the item: an indicator code, a column, a cell
    message_ja: str
    message_en: str
    hint_ja: str = ""
    hint_en: str = ""

    def place(self) -> str:
        line = f":{self.line}" if self.line is not None else ""
        where = f" [{self.where}]" if self.where else ""
        return f"{self.file}{line}{where}".strip()

    def render(self, lang: str = "ja") -> str:
        message, hint = (self.message_ja, self.hint_ja) if lang == "ja" else (self.message_en, self.hint_en)
        fix = f" — {hint}" if hint else ""
        place = self.place()
        return f"{place}: {message}{fix}" if place else f"{message}{fix}"


class UserError(Exception):
    """A problem the user can fix; shown without a traceback (CLI exit code 1, HTTP 4xx)."""

    def __init__(self, message_en: str, message_ja: str = "") -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja or message_en

    def render(self, lang: str = "ja") -> str:
        return self.message_ja if lang == "ja" else self.message_en


class ValidationFailed(UserError):
    """Definitions, data or a submission with one or more problems; nothing was saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(
            f"{count} problem(s) found; nothing was saved",
            f"{count}件の問題が見つかりました。何も保存していません",
        )
        self.problems = tuple(problems)

    def render(self, lang: str = "ja") -> str:
        head = super().render(lang)
        return "\n".join([head, *(p.render(lang) for p in self.problems)])
