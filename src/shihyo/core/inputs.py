"""Typed inputs shared by the web forms and the CLI options.

Each parser takes the text as the user typed it and the name of the field (``due`` on the web, ``--due``
on the command line) and returns a typed value, or raises `InvalidInput` — a user error holding one
`Problem` that names the field, says what is wrong and how to fix it, in Japanese and English.

Bounds, the same on every surface:
- text: at most its documented length (codes 40, names 100, comments 1,000 characters, sign-in names 150,
  passwords 1,024, mail addresses 254); NUL and other control characters are refused (a comment may hold
  line breaks and tabs);
- numbers: finite (no NaN or Infinity) and within the field's range;
- dates and periods: within the Japanese eras shihyo names (fiscal years FY1869–FY9997, dates from
  1869-04-01), so that every period and the year before it have a wareki label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from shihyo.core.clock import TOKYO
from shihyo.core.numbers import NumberParseError, parse_japanese_number
from shihyo.core.periods import Period, PeriodParseError, parse_period
from shihyo.core.problems import Problem, ValidationFailed

MAX_CODE = 40
MAX_NAME = 100
MAX_COMMENT = 1000
MAX_USERNAME = 150  # the column of Django's user table
MAX_PASSWORD = 1024  # hashing is deliberately slow: a megabyte of password would tie up the server
MAX_EMAIL = 254
MAX_CODES = 500  # codes chosen in one box (series of a round, org units of an account)
MAX_PERIODS = 24  # periods asked in one round (two years of months)
FIRST_FISCAL_YEAR = 1869  # 明治2年度: the first fiscal year whose previous year also has an era name
LAST_FISCAL_YEAR = 9997  # the next year still fits the calendar
THRESHOLD_PERCENT = (Decimal("0.1"), Decimal(1000))  # a change against last period that needs a comment
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LINE_BREAKS = frozenset("\n\r\t")
_SCIENTIFIC = re.compile(r"^[+-]?[0-9]{1,20}(\.[0-9]{1,20})?[eE][+-]?[0-9]{1,4}$")


class InvalidInputs(ValidationFailed):
    """Inputs the user can correct (a form's or a command's); each problem names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        count = len(self.problems)
        self.ja = "入力を確認してください" if count == 1 else f"入力を確認してください（{count}件）"
        self.en = "please check this input" if count == 1 else f"please check these inputs ({count})"


class InvalidInput(InvalidInputs):
    """One input the user can correct; `problem` names its field."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])
        self.problem = problem


def _refuse(field: str, ja: str, en: str, hint_ja: str, hint_en: str) -> InvalidInput:
    return InvalidInput(Problem("", None, field, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en))


def _shown(text: str, limit: int = 30) -> str:
    """The user's text quoted back: printable, and cut when long."""
    clean = "".join(c if c.isprintable() else "�" for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def control_characters(text: str, allow_line_breaks: bool) -> bool:
    """Whether the text holds NUL or another control character (tab and line breaks allowed if asked)."""
    for c in text:
        if allow_line_breaks and c in _LINE_BREAKS:
            continue
        if unicodedata.category(c) in ("Cc", "Cs") or c in "\u2028\u2029":
            return True
    return False


def parse_text(text: str, field: str, *, max_length: int, required: bool = False, multiline: bool = False) -> str:
    """Free text (a name, a comment, a reason): stripped, within `max_length`, no control characters."""
    value = text.strip()
    # checked before stripping: str.strip would also remove control characters such as \x1f at the ends
    if control_characters(text.strip(" \t\r\n\u3000"), multiline):
        raise _refuse(
            field,
            "制御文字（NUL など）が含まれています",
            "the text holds control characters (such as NUL)",
            "文字だけで書いてください",
            "write plain text",
        )
    if len(value) > max_length:
        raise _refuse(
            field,
            f"長すぎます（{len(value):,}字。上限 {max_length:,}字）",
            f"too long ({len(value):,} characters; at most {max_length:,})",
            f"{max_length:,}字以内にしてください",
            f"shorten it to {max_length:,} characters",
        )
    if required and not value:
        raise _refuse(field, "入力されていません", "nothing was entered", "入力してください", "fill it in")
    return value


def parse_name(text: str, field: str) -> str:
    return parse_text(text, field, max_length=MAX_NAME, required=True)


def parse_comment(text: str, field: str) -> str:
    return parse_text(text, field, max_length=MAX_COMMENT, multiline=True)


def parse_code(text: str, field: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """A code used in addresses and files: lower-case letters, digits, - and _, at most 40 characters."""
    value = text.strip()
    if not value or len(value) > MAX_CODE or not CODE.match(value) or value in reserved:
        raise _refuse(
            field,
            f"コード「{_shown(value)}」は使えません",
            f"the code '{_shown(value)}' cannot be used",
            f"英小文字・数字・-・_ で{MAX_CODE}字まで（例: r4-h1）",
            f"use up to {MAX_CODE} lower-case letters, digits, - and _ (e.g. r4-h1)",
        )
    return value


def _supported_day(day: date, field: str, text: str) -> date:
    first = date(FIRST_FISCAL_YEAR, 4, 1)
    last = date(LAST_FISCAL_YEAR + 1, 3, 31)
    if not first <= day <= last:
        raise _refuse(
            field,
            f"「{_shown(text)}」は扱える範囲の外です（{first.isoformat()}〜{last.isoformat()}）",
            f"'{_shown(text)}' is outside the dates shihyo handles ({first.isoformat()} to {last.isoformat()})",
            "例: 2022-10-31",
            "e.g. 2022-10-31",
        )
    return day


def parse_date(text: str, field: str) -> date | None:
    """A date written YYYY-MM-DD (full-width digits too); empty is None."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise _refuse(
            field,
            f"「{_shown(value)}」を日付として読めません",
            f"cannot read '{_shown(value)}' as a date",
            "年-月-日 で書いてください（例: 2022-10-31）",
            "write year-month-day, e.g. 2022-10-31",
        ) from None
    return _supported_day(day, field, value)


def parse_as_of(text: str, field: str) -> datetime | None:
    """A moment: 2022-07-01 (the end of that day in Tokyo) or 2022-07-01T09:30; empty is None (latest)."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    try:
        if len(value) > 32:
            raise ValueError(value)
        if "T" in value or " " in value:
            moment = datetime.fromisoformat(value)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=TOKYO)
            _supported_day(moment.astimezone(TOKYO).date(), field, value)
            return moment
        day = date.fromisoformat(value)
    except ValueError:
        raise _refuse(
            field,
            f"「{_shown(value)}」を日時として読めません",
            f"cannot read '{_shown(value)}' as a date or moment",
            "2026-11-23 か 2026-11-23T09:30 のように書いてください",
            "write 2026-11-23 (end of that day) or 2026-11-23T09:30",
        ) from None
    return datetime.combine(_supported_day(day, field, value), time.max, tzinfo=TOKYO)


def parse_period_input(text: str, field: str) -> Period:
    """One period (R3, FY2021, 令和3年度上期 …) within the supported eras."""
    value = text.strip()
    if len(value) > MAX_NAME:
        raise _refuse(
            field,
            f"「{_shown(value)}」は期間として読み取れません（長すぎます）",
            f"cannot read '{_shown(value)}' as a period (it is too long)",
            "例: R4上期、FY2022",
            "e.g. R4上期, FY2022",
        )
    try:
        period = parse_period(value)
    except PeriodParseError as exc:
        raise _refuse(field, exc.message_ja, exc.message_en, "例: R4上期、FY2022", "e.g. R4上期, FY2022") from None
    if not FIRST_FISCAL_YEAR <= period.fiscal_year <= LAST_FISCAL_YEAR:
        raise _refuse(
            field,
            f"「{_shown(value)}」は和暦（明治以降）で呼べる年度ではありません",
            f"'{_shown(value)}' is outside the Japanese eras shihyo names (FY{FIRST_FISCAL_YEAR} onwards)",
            f"FY{FIRST_FISCAL_YEAR}〜FY{LAST_FISCAL_YEAR} の期間にしてください（例: R4上期）",
            f"use a period from FY{FIRST_FISCAL_YEAR} to FY{LAST_FISCAL_YEAR}, e.g. R4上期",
        )
    return period


def split_list(text: str) -> list[str]:
    """Items typed in one box: separated by commas (, 、，) or spaces."""
    return [item for item in re.split(r"[,、，\s]+", text) if item]


def parse_periods(items: list[str], field: str) -> list[Period]:
    """Several periods, each within the eras, without repeats, at most MAX_PERIODS."""
    if not items:
        raise _refuse(field, "期間がありません", "no period given", "例: R4上期", "e.g. R4上期")
    if len(items) > MAX_PERIODS:
        raise _refuse(
            field,
            f"期間が多すぎます（{len(items)}。上限 {MAX_PERIODS}）",
            f"too many periods ({len(items)}; at most {MAX_PERIODS})",
            "収集回を分けてください",
            "split them into several rounds",
        )
    periods: list[Period] = []
    for item in items:
        period = parse_period_input(item, field)
        if period not in periods:
            periods.append(period)
    return periods


@dataclass(frozen=True)
class Bounds:
    low: Decimal
    high: Decimal


def parse_number(text: str, field: str, bounds: Bounds, example: str) -> Decimal | None:
    """A finite number (Japanese notation too: ５０, 1万, ▲3) within `bounds`; empty is None."""
    value = text.strip()
    if not value:
        return None
    try:
        number = parse_japanese_number(value).value if len(value) <= MAX_NAME else None
    except NumberParseError:
        number = Decimal(value) if _SCIENTIFIC.match(value) else None  # 1e10, as a program might write it
    if number is None or not number.is_finite():
        raise _refuse(
            field,
            f"「{_shown(value)}」は数ではありません",
            f"'{_shown(value)}' is not a number",
            f"例: {example}",
            f"e.g. {example}",
        )
    if not bounds.low <= number <= bounds.high:
        raise _refuse(
            field,
            f"「{_shown(value)}」は範囲の外です（{bounds.low}〜{bounds.high}）",
            f"'{_shown(value)}' is out of range ({bounds.low} to {bounds.high})",
            f"{bounds.low}〜{bounds.high} の数にしてください（例: {example}）",
            f"use a number from {bounds.low} to {bounds.high}, e.g. {example}",
        )
    return number


def parse_threshold_percent(text: str, field: str) -> Decimal | None:
    """The change against last period that needs a comment, typed in % (50 → 0.5); empty is None."""
    low, high = THRESHOLD_PERCENT
    percent = parse_number(text.removesuffix("%").removesuffix("％"), field, Bounds(low, high), "50")
    return None if percent is None else percent / 100


def parse_whole(
    text: str,
    field: str,
    *,
    low: int,
    high: int,
    hint: tuple[str, str] = ("画面を再読み込みしてから、もう一度操作してください", "reload the page and try again"),
) -> int:
    """A whole number in ASCII digits within low..high (a version a page carries, a port)."""
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= len(str(high)) and low <= int(value) <= high:
        return int(value)
    raise _refuse(
        field,
        f"「{_shown(value)}」は {low}〜{high} の整数ではありません",
        f"'{_shown(value)}' is not a whole number from {low} to {high}",
        hint[0],
        hint[1],
    )


def parse_port(text: str, field: str) -> int:
    """A TCP port to listen on: 1–65535."""
    return parse_whole(text, field, low=1, high=65535, hint=("例: 8000", "e.g. 8000"))


def parse_threads(text: str, field: str) -> int:
    """Worker threads of the server: 1–64."""
    return parse_whole(text, field, low=1, high=64, hint=("例: 8", "e.g. 8"))


def parse_codes(items: Sequence[str], field: str) -> list[str]:
    """Several codes (series, org units) chosen in one box: each a code, without repeats, at most MAX_CODES."""
    if len(items) > MAX_CODES:
        raise _refuse(
            field,
            f"多すぎます（{len(items):,}件。上限 {MAX_CODES}件）",
            f"too many ({len(items):,}; at most {MAX_CODES})",
            "選び直してください",
            "choose fewer",
        )
    return list(dict.fromkeys(parse_code(item, field) for item in items))


def parse_username(text: str, field: str) -> str:
    """A sign-in name as typed at sign-in: printable text of at most 150 characters (an account's own name
    is checked further when it is made: letters, digits and . @ + - _)."""
    return parse_text(text, field, max_length=MAX_USERNAME, required=True)


def parse_password(text: str, field: str) -> str:
    """A password as typed (kept exactly, spaces included): 1–1,024 characters, no control characters."""
    if control_characters(text, allow_line_breaks=False):
        raise _refuse(
            field,
            "制御文字（NUL など）が含まれています",
            "the password holds control characters (such as NUL)",
            "文字だけで入力し直してください",
            "type it again as plain characters",
        )
    if not text or len(text) > MAX_PASSWORD:
        raise _refuse(
            field,
            "入力されていません" if not text else f"長すぎます（{MAX_PASSWORD:,}字まで）",
            "nothing was entered" if not text else f"too long (at most {MAX_PASSWORD:,} characters)",
            "パスワードを入力してください",
            "type the password",
        )
    return text


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(text: str, field: str) -> str:
    """A mail address for notices (tanaka@city.example.jp), or empty for none."""
    value = parse_text(text, field, max_length=MAX_EMAIL)
    if value and not _EMAIL.fullmatch(value):
        raise _refuse(
            field,
            f"メールアドレス「{_shown(value)}」の形が正しくありません",
            f"the mail address '{_shown(value)}' is not valid",
            "例: tanaka@city.example.jp",
            "e.g. tanaka@city.example.jp",
        )
    return value
