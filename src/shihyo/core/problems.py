"""User errors: every problem names its place, what is wrong and how to fix it, in Japanese and English.

Bilingual text is always passed by keyword, Japanese first: ``Problem(file, line, where, ja=..., en=...,
hint_ja=..., hint_en=...)`` and ``UserError(ja=..., en=...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # file name (or sheet), relative to what the user gave
    line: int | None  # 1-based line (or row) in that file
    where: str  # the item: an indicator code, a column, a cell
    _: KW_ONLY
    ja: str
    en: str
    hint_ja: str = ""
    hint_en: str = ""

    def message(self, lang: str = "ja") -> str:
        return self.ja if lang == "ja" else self.en

    def hint(self, lang: str = "ja") -> str:
        return self.hint_ja if lang == "ja" else self.hint_en

    def place(self) -> str:
        line = f":{self.line}" if self.line is not None else ""
        where = f" [{self.where}]" if self.where else ""
        return f"{self.file}{line}{where}".strip()

    def render(self, lang: str = "ja") -> str:
        message, hint = self.message(lang), self.hint(lang)
        fix = f" — {hint}" if hint else ""
        place = self.place()
        return f"{place}: {message}{fix}" if place else f"{message}{fix}"


class UserError(Exception):
    """A problem the user can fix; shown without a traceback (CLI exit code 1, HTTP 4xx)."""

    def __init__(self, *, ja: str, en: str) -> None:
        super().__init__(en)
        self.ja = ja
        self.en = en

    def render(self, lang: str = "ja") -> str:
        return self.ja if lang == "ja" else self.en


class ValidationFailed(UserError):
    """Definitions, data or a submission with one or more problems; nothing was saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(
            ja=f"{count}件の問題が見つかりました。何も保存していません",
            en=f"{count} problem(s) found; nothing was saved",
        )
        self.problems = tuple(problems)

    def render(self, lang: str = "ja") -> str:
        head = super().render(lang)
        return "\n".join([head, *(p.render(lang) for p in self.problems)])
