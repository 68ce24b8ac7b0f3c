"""Fiscal periods (年度) of a Japanese public body: years, halves, months and dates.

A fiscal year runs from April 1 to March 31 and is named by its starting calendar year
(FY2021 = 令和3年度 = April 2021 to March 2022). Halves are 上期 (April–September) and
下期 (October–March). Wareki (era) labels follow the era in force when a period starts;
FY2019 began in Heisei and ended in Reiwa, so it is labelled "H31/R1" by default.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "Grain",
    "Period",
    "PeriodParseError",
    "WarekiStyle",
    "as_of",
    "fiscal_year",
    "fiscal_year_of",
    "half",
    "month",
    "parse_period",
    "wareki_year",
]

MIN_FISCAL_YEAR = 1
MAX_FISCAL_YEAR = 9998  # FY9998 ends on 9999-03-31, the last fiscal year `date` can hold


class Grain(StrEnum):
    """Length of a period."""

    YEAR = "Y"
    HALF = "H"
    MONTH = "M"
    DATE = "D"


class WarekiStyle(StrEnum):
    """How a fiscal year that spans an era change is labelled (the values show FY2019)."""

    SLASH = "H31/R1"
    REIWA = "R1"
    KANJI = "令和元年度"


_GRAIN_RANK = {Grain.YEAR: 0, Grain.HALF: 1, Grain.MONTH: 2, Grain.DATE: 3}
_HALF_JA = {1: "上期", 2: "下期"}
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- eras -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Era:
    letter: str
    kanji: str
    start: date  # first day of the era
    offset: int  # calendar year = offset + era year


_ERAS = (
    _Era("M", "明治", date(1868, 10, 23), 1867),
    _Era("T", "大正", date(1912, 7, 30), 1911),
    _Era("S", "昭和", date(1926, 12, 25), 1925),
    _Era("H", "平成", date(1989, 1, 8), 1988),
    _Era("R", "令和", date(2019, 5, 1), 2018),
)
_ERA_BY_NAME = {e.letter: e for e in _ERAS} | {e.kanji: e for e in _ERAS}


def _era_end(era: _Era) -> date | None:
    """Last day of an era, None for the current one."""
    i = _ERAS.index(era)
    return _ERAS[i + 1].start - timedelta(days=1) if i + 1 < len(_ERAS) else None


def _era_at(d: date) -> _Era | None:
    """The era in force on a date, None before Meiji."""
    found = None
    for era in _ERAS:
        if era.start <= d:
            found = era
    return found


def _in_force(era: _Era, first: date, last: date) -> bool:
    """Whether an era covers at least one day of first..last."""
    end = _era_end(era)
    return era.start <= last and (end is None or end >= first)


def _era_number(n: int, kanji: bool) -> str:
    return "元" if kanji and n == 1 else str(n)


def _fiscal_year_eras(y: int) -> list[_Era]:
    """Eras naming fiscal year y: the one in force on April 1, then any that begins later in year y."""
    april = date(y, 4, 1)
    eras: list[_Era] = []
    first = _era_at(april)
    if first is not None:
        eras.append(first)
    eras.extend(e for e in _ERAS if april < e.start and e.start.year == y)
    return eras


def wareki_year(fy_or_calendar_year: int, style: WarekiStyle = WarekiStyle.SLASH) -> str:
    """Wareki label of a fiscal year: 2017 → "H29", 2019 → "H31/R1" (SLASH), "R1" (REIWA),
    "令和元年度" (KANJI, which includes 年度), 1988 → "S63".

    A year in which an era begins after April 1 gets both eras in SLASH style and the new
    era otherwise. Raises ValueError for years before Meiji.
    """
    y = fy_or_calendar_year
    style = WarekiStyle(style)
    eras = _fiscal_year_eras(y)
    if not eras:
        raise ValueError(f"no Japanese era for year {y}")
    if style is WarekiStyle.SLASH:
        return "/".join(f"{e.letter}{y - e.offset}" for e in eras)
    era = eras[-1]
    if style is WarekiStyle.REIWA:
        return f"{era.letter}{y - era.offset}"
    return f"{era.kanji}{_era_number(y - era.offset, True)}年度"


def _wareki_date_prefix(d: date, kanji: bool) -> str:
    era = _era_at(d)
    if era is None:
        raise ValueError(f"no Japanese era for {d.isoformat()}")
    n = d.year - era.offset
    return f"{era.kanji}{_era_number(n, True)}年" if kanji else f"{era.letter}{n}"


# --- periods -----------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Period:
    """A fiscal year, half, month or date.

    index: YEAR 0; HALF 1 (上期) or 2 (下期); MONTH fiscal month 1..12 (April = 1, March = 12);
    DATE days since April 1 of the fiscal year. Periods sort by start date, longer grain first.
    """

    grain: Grain
    fiscal_year: int
    index: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "grain", Grain(self.grain))
        if not _is_int(self.fiscal_year) or not MIN_FISCAL_YEAR <= self.fiscal_year <= MAX_FISCAL_YEAR:
            raise ValueError(
                f"fiscal year must be an integer from {MIN_FISCAL_YEAR} to {MAX_FISCAL_YEAR}, got {self.fiscal_year!r}"
            )
        if not _is_int(self.index):
            raise ValueError(f"index must be an integer, got {self.index!r}")
        if self.grain is Grain.YEAR:
            valid = self.index == 0
        elif self.grain is Grain.HALF:
            valid = self.index in (1, 2)
        elif self.grain is Grain.MONTH:
            valid = 1 <= self.index <= 12
        else:
            valid = 0 <= self.index < (date(self.fiscal_year + 1, 4, 1) - date(self.fiscal_year, 4, 1)).days
        if not valid:
            raise ValueError(f"index {self.index} is out of range for grain {self.grain.name}")

    # ordering

    @property
    def sort_key(self) -> tuple[date, int]:
        """Start date, then grain (YEAR < HALF < MONTH < DATE)."""
        return (self.start, _GRAIN_RANK[self.grain])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # calendar

    def _calendar_month(self) -> tuple[int, int]:
        cal_month = (self.index + 2) % 12 + 1
        return (self.fiscal_year if cal_month >= 4 else self.fiscal_year + 1, cal_month)

    @property
    def start(self) -> date:
        if self.grain is Grain.YEAR:
            return date(self.fiscal_year, 4, 1)
        if self.grain is Grain.HALF:
            return date(self.fiscal_year, 4 if self.index == 1 else 10, 1)
        if self.grain is Grain.MONTH:
            y, m = self._calendar_month()
            return date(y, m, 1)
        return date(self.fiscal_year, 4, 1) + timedelta(days=self.index)

    @property
    def end(self) -> date:
        """Last day (inclusive)."""
        if self.grain is Grain.YEAR:
            return date(self.fiscal_year + 1, 3, 31)
        if self.grain is Grain.HALF:
            return date(self.fiscal_year, 9, 30) if self.index == 1 else date(self.fiscal_year + 1, 3, 31)
        if self.grain is Grain.MONTH:
            y, m = self._calendar_month()
            return date(y, m, calendar.monthrange(y, m)[1])
        return self.start

    @property
    def months(self) -> int:
        return {Grain.YEAR: 12, Grain.HALF: 6, Grain.MONTH: 1, Grain.DATE: 0}[self.grain]

    @property
    def key(self) -> str:
        """Canonical text: "FY2021", "FY2021H1", "2021-04", "2022-04-01"."""
        if self.grain is Grain.YEAR:
            return f"FY{self.fiscal_year:04d}"
        if self.grain is Grain.HALF:
            return f"FY{self.fiscal_year:04d}H{self.index}"
        if self.grain is Grain.MONTH:
            y, m = self._calendar_month()
            return f"{y:04d}-{m:02d}"
        return self.start.isoformat()

    def __str__(self) -> str:
        return self.key

    def label(self, style: WarekiStyle = WarekiStyle.SLASH, lang: str = "ja") -> str:
        """Display label.

        ja: "R3", "R3上期", "R3年4月", "R4.4.1" (KANJI style: "令和3年度", "令和3年度上期",
        "令和3年4月", "令和4年4月1日"); months and dates use the era in force on their first day; a period
        before the eras (FY1500) gets its western label.
        en: "FY2021", "FY2021 H1", "Apr 2021", "2022-04-01".
        """
        if lang == "en":
            if self.grain is Grain.YEAR:
                return f"FY{self.fiscal_year}"
            if self.grain is Grain.HALF:
                return f"FY{self.fiscal_year} H{self.index}"
            if self.grain is Grain.MONTH:
                y, m = self._calendar_month()
                return f"{_MONTH_EN[m - 1]} {y}"
            return self.start.isoformat()
        if lang != "ja":
            raise ValueError(f"unsupported language {lang!r}; use 'ja' or 'en'")
        style = WarekiStyle(style)
        kanji = style is WarekiStyle.KANJI
        named = bool(_fiscal_year_eras(self.fiscal_year)) if self.grain in (Grain.YEAR, Grain.HALF) else None
        if named is False or (named is None and _era_at(self.start) is None):
            return self.label(style, "en")  # before the eras (stored by an older version): never a failure
        if self.grain is Grain.YEAR:
            return wareki_year(self.fiscal_year, style)
        if self.grain is Grain.HALF:
            return wareki_year(self.fiscal_year, style) + _HALF_JA[self.index]
        d = self.start
        prefix = _wareki_date_prefix(d, kanji)
        if self.grain is Grain.MONTH:
            return f"{prefix}{d.month}月" if kanji else f"{prefix}年{d.month}月"
        return f"{prefix}{d.month}月{d.day}日" if kanji else f"{prefix}.{d.month}.{d.day}"

    # arithmetic

    def shift_years(self, n: int) -> Period:
        """The same period n fiscal years later (earlier if negative); Feb 29 becomes Feb 28."""
        if self.grain is not Grain.DATE:
            return Period(self.grain, self.fiscal_year + n, self.index)
        d = self.start
        y = d.year + n
        if not MIN_FISCAL_YEAR <= y <= MAX_FISCAL_YEAR + 1:
            raise ValueError(f"shifting {self.key} by {n} years leaves the supported range")
        day = 28 if (d.month, d.day) == (2, 29) and not calendar.isleap(y) else d.day
        return as_of(date(y, d.month, day))

    def previous_year(self) -> Period:
        return self.shift_years(-1)

    def year(self) -> Period:
        """The fiscal year containing this period."""
        return Period(Grain.YEAR, self.fiscal_year, 0)

    def contains(self, other: Period) -> bool:
        """Whether other lies entirely within this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end


def fiscal_year_of(d: date) -> int:
    """Fiscal year of a date: 2022-03-31 → 2021, 2022-04-01 → 2022."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year(y: int) -> Period:
    return Period(Grain.YEAR, y, 0)


def half(y: int, h: int) -> Period:
    """Half h of fiscal year y: 1 = 上期 (Apr–Sep), 2 = 下期 (Oct–Mar)."""
    return Period(Grain.HALF, y, h)


def month(calendar_year: int, calendar_month: int) -> Period:
    """A calendar month: month(2022, 1) is fiscal month 10 of FY2021."""
    if not _is_int(calendar_month) or not 1 <= calendar_month <= 12:
        raise ValueError(f"month must be 1..12, got {calendar_month!r}")
    fy = calendar_year if calendar_month >= 4 else calendar_year - 1
    return Period(Grain.MONTH, fy, (calendar_month - 4) % 12 + 1)


def as_of(d: date) -> Period:
    """The DATE period of a day."""
    fy = fiscal_year_of(d)
    if not MIN_FISCAL_YEAR <= fy <= MAX_FISCAL_YEAR:
        raise ValueError(f"date {d.isoformat()} is outside the supported fiscal years")
    return Period(Grain.DATE, fy, (d - date(fy, 4, 1)).days)


# --- parsing -----------------------------------------------------------------------------------

_ACCEPTED_EN = (
    "fiscal years FY2021, 2021年度, R3, R03, 令和3年度, 令和元年度, H31/R1; "
    "halves FY2021H1, 2021年度上期, R3上期, 令和3年度下期; months 2021-04, 2021/4, R3年4月, 令和3年4月; "
    "dates 2022-04-01, 2022/4/1, R4.4.1, 令和4年4月1日"
)
_ACCEPTED_JA = (
    "年度: FY2021、2021年度、R3、R03、令和3年度、令和元年度、H31/R1／"
    "半期: FY2021H1、2021年度上期、R3上期、令和3年度下期／月: 2021-04、2021/4、R3年4月、令和3年4月／"
    "日付: 2022-04-01、2022/4/1、R4.4.1、令和4年4月1日"
)


class PeriodParseError(ValueError):
    """Text that is not a period; str() is the English message."""

    def __init__(self, text: str, *, message_en: str, message_ja: str) -> None:
        super().__init__(message_en)
        self.text = text
        self.message_en = message_en
        self.message_ja = message_ja


def _error(text: str, en: str, ja: str) -> PeriodParseError:
    return PeriodParseError(
        text,
        message_en=f"Cannot read {text!r} as a period: {en}. Accepted forms: {_ACCEPTED_EN}.",
        message_ja=f"「{text}」は期間として読み取れません。{ja}。使える書き方: {_ACCEPTED_JA}",
    )


_ERA_ALT = "[MTSHR]|明治|大正|昭和|平成|令和"
_ERA = rf"({_ERA_ALT})([0-9]{{1,3}}|元)"
_HALF_ALT = "(上期|下期|上半期|下半期)"
_HALF_WORDS = {"上期": 1, "下期": 2, "上半期": 1, "下半期": 2}
_MONTH_NAMES_EN = (
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
    "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
)  # fmt: skip
_MONTH_WORDS = (
    {name.upper(): i for i, name in enumerate(_MONTH_EN, 1)}
    | {name: i for i, name in enumerate(_MONTH_NAMES_EN, 1)}
    | {"SEPT": 9}
)

_RE_ERA_FY = re.compile(rf"{_ERA}(?:/{_ERA})?(?:年度)?{_HALF_ALT}?")
_RE_ERA_MONTH = re.compile(rf"{_ERA}年([0-9]{{1,2}})月")
_RE_ERA_DATE = re.compile(rf"{_ERA}(?:([./])([0-9]{{1,2}})\3([0-9]{{1,2}})|年([0-9]{{1,2}})月([0-9]{{1,2}})日)")
_RE_AD_FY = re.compile(rf"(?:FY([0-9]{{4}})|([0-9]{{4}})年度)(?:H([12])|{_HALF_ALT})?")
_RE_AD_MONTH = re.compile(r"([0-9]{4})(?:[-/]([0-9]{1,2})|年([0-9]{1,2})月)")
_RE_AD_DATE = re.compile(r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日)")
_RE_EN_MONTH = re.compile(r"([A-Z]{3,9})\.?,?([0-9]{4})")
_RE_AMBIGUOUS_YEAR = re.compile(rf"(?:[0-9]{{4}}|{_ERA})年?")


def _era_year(token: str) -> int:
    return 1 if token == "元" else int(token)


def _era_calendar_year(text: str, name: str, token: str) -> tuple[_Era, int]:
    """Era and calendar year of an era year such as "R3" or "令和元"; rejects year 0."""
    era = _ERA_BY_NAME[name]
    n = _era_year(token)
    if n < 1:
        en = f"era years start at 1 (元), not {token}"
        raise _error(text, en, f"元号の年は1（元）から始まります（{token}は不可）")
    return era, era.offset + n


def _check_era_fiscal_year(text: str, name: str, token: str) -> int:
    """Fiscal year named by one era year ("H31", "令和3"); rejects years outside the era."""
    era, y = _era_calendar_year(text, name, token)
    kanji = len(name) > 1
    if y > MAX_FISCAL_YEAR:
        raise _error(text, f"{name}{token} is too far in the future", f"{name}{token}は範囲外です")
    if era not in _fiscal_year_eras(y):
        style = WarekiStyle.KANJI if kanji else WarekiStyle.REIWA
        correct = wareki_year(y, style) if _fiscal_year_eras(y) else f"FY{y}"
        raise _error(
            text,
            f"{era.kanji} ({era.letter}) does not name fiscal year {y}; use {correct}",
            f"{name}{token}年度という年度はありません。{correct}と書いてください",
        )
    return y


def _era_fiscal_year(text: str, m: re.Match[str]) -> Period:
    y = _check_era_fiscal_year(text, m[1], m[2])
    if m[3] is not None:
        y2 = _check_era_fiscal_year(text, m[3], m[4])
        if y2 != y or _ERA_BY_NAME[m[1]] == _ERA_BY_NAME[m[3]]:
            raise _error(
                text,
                f"{m[1]}{m[2]} and {m[3]}{m[4]} are not two names of one fiscal year (like H31/R1)",
                f"{m[1]}{m[2]}と{m[3]}{m[4]}は同じ年度の別名ではありません（例: H31/R1）",
            )
    if m[5] is None:
        return fiscal_year(y)
    return half(y, _HALF_WORDS[m[5]])


def _hint_label(p: Period, *, kanji: bool) -> str:
    """The label to suggest instead of a wrong era; the key where no era applies."""
    try:
        return p.label(WarekiStyle.KANJI if kanji else WarekiStyle.SLASH)
    except ValueError:
        return p.key


def _era_month(text: str, m: re.Match[str]) -> Period:
    era, y = _era_calendar_year(text, m[1], m[2])
    p = month(y, int(m[3]))
    if not _in_force(era, p.start, p.end):
        correct = _hint_label(p, kanji=len(m[1]) > 1)
        raise _error(
            text,
            f"{era.kanji} ({era.letter}) was not in force in {p.label(lang='en')}; use {correct}",
            f"{y}年{p.start.month}月は{era.kanji}ではありません。{correct}と書いてください",
        )
    return p


def _era_date(text: str, m: re.Match[str]) -> Period:
    era, y = _era_calendar_year(text, m[1], m[2])
    mo, dd = (m[4], m[5]) if m[3] is not None else (m[6], m[7])
    p = as_of(date(y, int(mo), int(dd)))
    if _era_at(p.start) != era:
        correct = _hint_label(p, kanji=len(m[1]) > 1)
        raise _error(
            text,
            f"{era.kanji} ({era.letter}) was not in force on {p.key}; use {correct}",
            f"{p.key}は{era.kanji}ではありません。{correct}と書いてください",
        )
    return p


def parse_period(text: str) -> Period:
    """Read a period from text (NFKC-normalised, so full-width forms work).

    Accepts the canonical keys, wareki and 年度 forms, halves, calendar months and dates
    (see the accepted-forms list in error messages). A bare year such as "2021" is rejected
    as ambiguous. Raises PeriodParseError.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_period expects str, got {type(text).__name__}")
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    if not s:
        raise _error(text, "the text is empty", "空欄です")
    try:
        return _parse(text, s)
    except PeriodParseError:
        raise
    except ValueError as e:  # out-of-range day, month or year from the constructors
        raise _error(text, str(e), f"日付・月・年度の値が正しくありません（{e}）") from e


def _parse(text: str, s: str) -> Period:
    if m := _RE_AD_DATE.fullmatch(s):
        mo, dd = (m[3], m[4]) if m[2] is not None else (m[5], m[6])
        return as_of(date(int(m[1]), int(mo), int(dd)))
    if m := _RE_AD_MONTH.fullmatch(s):
        return month(int(m[1]), int(m[2] if m[2] is not None else m[3]))
    if m := _RE_AD_FY.fullmatch(s):
        y = int(m[1] or m[2])
        if m[3] is not None:
            return half(y, int(m[3]))
        if m[4] is not None:
            return half(y, _HALF_WORDS[m[4]])
        return fiscal_year(y)
    if (m := _RE_EN_MONTH.fullmatch(s)) and m[1] in _MONTH_WORDS:
        return month(int(m[2]), _MONTH_WORDS[m[1]])
    if m := _RE_ERA_DATE.fullmatch(s):
        return _era_date(text, m)
    if m := _RE_ERA_MONTH.fullmatch(s):
        return _era_month(text, m)
    if m := _RE_ERA_FY.fullmatch(s):
        return _era_fiscal_year(text, m)
    if m := _RE_AMBIGUOUS_YEAR.fullmatch(s):
        year = s.removesuffix("年")
        if m[1] is None:
            fy, first = f"FY{year} or {year}年度", f"{year}-04"
        else:
            fy, first = f"{year}年度", f"{year}年4月"
        raise _error(
            text,
            f"a bare year is ambiguous; write {fy} for the fiscal year or {first} for a month",
            f"年だけでは年度か暦年か分かりません。年度なら{year}年度、月なら{year}年4月のように書いてください",
        )
    raise _error(text, "the format is not recognised", "書き方を認識できません")
