"""Collection rounds: what a department must send, and the checks every submission passes.

Framework-free. The web form, the Excel template and the CSV upload all turn what the user wrote into
`EntryInput`s and call `check_entries`; the same rules, the same messages, wherever the figures came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shihyo.core import assignments
from shihyo.core.inputs import MAX_COMMENT, control_characters
from shihyo.core.model import OrgUnit, OrgUnitKind, PartRelation, Programme, Series
from shihyo.core.numbers import NumberParseError, is_missing, parse_japanese_number
from shihyo.core.periods import Grain, Period
from shihyo.core.problems import Problem

PERCENT_UNITS = frozenset({"%", "％", "パーセント"})
DEFAULT_OUTLIER_THRESHOLD = Decimal("0.5")  # a change of more than 50 % against last period needs a comment
MAX_TEXT = 100  # characters of a value as written: what the entry and observation revisions keep
MAX_DIGITS = 30  # digits of a value (兆 is 13 digits): its exact text fits the 60 characters stored
QUOTED = 40  # characters of the user's text quoted back in a message


class Role(StrEnum):
    ADMIN = "admin"  # programme office (推進チーム)
    REVIEWER = "reviewer"
    SUBMITTER = "submitter"  # scoped to their org units
    VIEWER = "viewer"


class State(StrEnum):
    NOT_SUBMITTED = "not_submitted"  # 未提出
    DRAFT = "draft"  # 入力中 (saved, not yet submitted)
    SUBMITTED = "submitted"  # 提出済
    RETURNED = "returned"  # 差戻し
    APPROVED = "approved"  # 承認済


class Action(StrEnum):
    SAVE = "save"  # keep unfinished figures as a draft
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    REOPEN = "reopen"


STATE_AFTER = {
    Action.SAVE: State.DRAFT,
    Action.SUBMIT: State.SUBMITTED,
    Action.RETURN: State.RETURNED,
    Action.APPROVE: State.APPROVED,
    Action.REOPEN: State.RETURNED,
}
ALLOWED_FROM = {
    Action.SAVE: {State.NOT_SUBMITTED, State.DRAFT, State.SUBMITTED, State.RETURNED},
    Action.SUBMIT: {State.NOT_SUBMITTED, State.DRAFT, State.SUBMITTED, State.RETURNED},
    Action.RETURN: {State.SUBMITTED},
    Action.APPROVE: {State.SUBMITTED},
    Action.REOPEN: {State.APPROVED},
}

Key = tuple[str, str]  # (series code, period key)


@dataclass(frozen=True)
class EntryInput:
    """One value as the user wrote it, and where: a form field, a CSV line or a spreadsheet cell."""

    code: str
    period: Period
    text: str
    comment: str = ""
    file: str = ""  # form, file or sheet name
    line: int | None = None
    where: str = ""  # field name or cell reference (E5)


@dataclass(frozen=True)
class Entry:
    code: str
    period: Period
    value: Decimal | None  # None: left empty
    text: str
    comment: str = ""

    @property
    def key(self) -> Key:
        return (self.code, self.period.key)


@dataclass(frozen=True)
class RoundSpec:
    """What a round asks for: series × periods from each org unit."""

    code: str
    name: str
    series: tuple[str, ...]
    periods: tuple[Period, ...]
    org_units: tuple[str, ...]
    outlier_threshold: Decimal = DEFAULT_OUTLIER_THRESHOLD


def previous_period(period: Period) -> Period | None:
    """The period just before, of the same grain: R4上期 → R3下期, R4 → R3, 2022-10 → 2022-09."""
    if period.grain is Grain.YEAR:
        return period.shift_years(-1)
    if period.grain is Grain.HALF:
        return (
            Period(Grain.HALF, period.fiscal_year, 1)
            if period.index == 2
            else Period(Grain.HALF, period.fiscal_year - 1, 2)
        )
    if period.grain is Grain.MONTH:
        if period.index > 1:
            return Period(Grain.MONTH, period.fiscal_year, period.index - 1)
        return Period(Grain.MONTH, period.fiscal_year - 1, 12)
    return None


def children_in_round(programme: Programme, org_units: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each org unit of the round with its children that are also in the round."""
    listed = set(org_units)
    by_parent: dict[str, list[str]] = {code: [] for code in org_units}
    for unit in programme.org_units:
        if unit.code in listed and unit.parent in listed:
            by_parent[unit.parent].append(unit.code)
    return {code: tuple(kids) for code, kids in by_parent.items()}


def submitting_units(programme: Programme) -> tuple[OrgUnit, ...]:
    """Org units that can be asked for figures: everything but benchmarks (全国, 指定都市)."""
    return tuple(u for u in programme.org_units if u.kind is not OrgUnitKind.BENCHMARK)


def is_percentage(series: Series) -> bool:
    return series.unit.strip() in PERCENT_UNITS


def is_count(series: Series) -> bool:
    """Whole numbers of things (件, 人, 枚): no decimals written and not a rate."""
    return series.decimals == 0 and not is_percentage(series)


def value_range(series: Series) -> tuple[Decimal | None, Decimal | None]:
    """The values a submission may give: the series' `range`, else 0–100 for shares and 0 or more otherwise."""
    low = series.minimum if series.minimum is not None else Decimal(0)
    high = series.maximum if series.maximum is not None else (Decimal(100) if is_percentage(series) else None)
    return low, high


def asked_series(programme: Programme, spec: RoundSpec, org_unit: str) -> tuple[str, ...]:
    """The round's series that this org unit reports (a unit whose descendants report a series never gets it)."""
    return assignments.series_reported_by(programme, org_unit, spec.series)


@dataclass(frozen=True)
class Change:
    """A value against last period's: in points for shares (51.1 → 67.0 is +15.9), in % and absolute otherwise."""

    difference: Decimal
    ratio: Decimal | None  # (value − previous) ÷ |previous|; None for shares and when previous is 0
    points: bool


def change_of(series: Series, value: Decimal, previous: Decimal) -> Change:
    if is_percentage(series):
        return Change(value - previous, None, True)
    return Change(value - previous, change_ratio(value, previous), False)


def _problem(entry: EntryInput, ja: str, en: str, hint_ja: str, hint_en: str) -> Problem:
    return Problem(entry.file, entry.line, entry.where, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)


def quoted(text: str, limit: int = QUOTED) -> str:
    """The user's text as quoted in a message: on one line (a line break or other control character becomes a
    space), cut so that a whole cell or file is never echoed back."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(period: Period, lang: str = "ja") -> str:
    """A period's label; its key when no era names it (a file may ask for FY1500)."""
    try:
        return period.label(lang=lang)
    except ValueError:
        return period.key


def _storable(entry: EntryInput, problems: list[Problem]) -> bool:
    """Whether the value and comment can be kept as written: no control characters (a comment may hold line
    breaks and tabs), a value of at most MAX_TEXT characters, a comment of at most MAX_COMMENT."""
    if control_characters(entry.text.strip(), allow_line_breaks=False) or control_characters(
        entry.comment, allow_line_breaks=True
    ):
        problems.append(
            _problem(
                entry,
                "値かコメントに制御文字（NUL など）が含まれています",
                "the value or comment contains a control character (such as NUL)",
                "文字だけを入力し直してください",
                "enter it again as plain text",
            )
        )
        return False
    if len(entry.text.strip()) > MAX_TEXT:
        problems.append(
            _problem(
                entry,
                f"値が長すぎます（{len(entry.text.strip()):,}字、{MAX_TEXT}字まで）: 「{quoted(entry.text.strip())}」",
                f"the value is too long ({len(entry.text.strip()):,} characters, at most {MAX_TEXT}): "
                f"'{quoted(entry.text.strip())}'",
                "数値だけを入力してください（例: 1,234、1.5万）",
                "enter just the figure (e.g. 1,234 or 1.5万)",
            )
        )
        return False
    if len(entry.comment.strip()) > MAX_COMMENT:
        problems.append(
            _problem(
                entry,
                f"コメントが長すぎます（{len(entry.comment.strip()):,}字、{MAX_COMMENT:,}字まで）",
                f"the comment is too long ({len(entry.comment.strip()):,} characters, at most {MAX_COMMENT:,})",
                f"{MAX_COMMENT:,}字以内にまとめてください",
                f"shorten it to {MAX_COMMENT:,} characters",
            )
        )
        return False
    return True


def _parse(entry: EntryInput, series: Series, problems: list[Problem]) -> Decimal | None:
    if is_missing(entry.text):
        return None
    try:
        parsed = parse_japanese_number(entry.text)
    except NumberParseError as exc:
        problems.append(
            _problem(
                entry,
                exc.message_ja,
                exc.message_en,
                "半角・全角の数字で入力してください（例: 1,234、▲12、1.5万）",
                "enter a number (e.g. 1,234, ▲12 or 1.5万)",
            )
        )
        return None
    unit = parsed.unit.strip()
    if unit and unit not in {series.unit.strip(), *(PERCENT_UNITS if is_percentage(series) else ())}:
        problems.append(
            _problem(
                entry,
                f"単位「{quoted(unit)}」はこの系列の単位（{series.unit}）と違います",
                f"the unit '{quoted(unit)}' differs from the series' unit ({series.unit})",
                f"{series.unit} の数値を単位なしで入力してください",
                f"enter the figure in {series.unit}, without a unit",
            )
        )
        return None
    value = parsed.value
    if len(value.as_tuple().digits) > MAX_DIGITS:
        problems.append(
            _problem(
                entry,
                f"桁数が多すぎます（{MAX_DIGITS}桁まで）: 「{quoted(entry.text.strip())}」",
                f"the figure has more than {MAX_DIGITS} digits: '{quoted(entry.text.strip())}'",
                f"{series.unit} の数値を確認してください",
                f"check the figure in {series.unit}",
            )
        )
        return None
    low, high = value_range(series)
    if (low is not None and value < low) or (high is not None and value > high):
        problems.append(_out_of_range(entry, series, low, high))
    elif is_count(series) and value != value.to_integral_value():
        problems.append(
            _problem(
                entry,
                f"{series.unit}の数は整数です（{entry.text}）",
                f"a count of {series.unit} is a whole number ({entry.text})",
                "小数点以下のない数を入力してください",
                "enter a whole number",
            )
        )
    return value


def _out_of_range(entry: EntryInput, series: Series, low: Decimal | None, high: Decimal | None) -> Problem:
    if series.minimum is not None or series.maximum is not None:
        bounds = f"{'' if low is None else f'{low:,}'}〜{'' if high is None else f'{high:,}'}"
        return _problem(
            entry,
            f"この系列の値は {bounds} の範囲です（{entry.text}）",
            f"this series' values lie within {bounds} ({entry.text})",
            "数値を確認してください（負の値は ▲ を付けて入力します）",
            "check the figure (write a negative value with ▲ or -)",
        )
    if is_percentage(series):
        return _problem(
            entry,
            f"割合は 0〜100％ です（{entry.text}）",
            f"a share lies between 0 and 100 % ({entry.text})",
            "百分率（例: 36.8）で入力してください",
            "enter a percentage such as 36.8",
        )
    if is_count(series):
        return _problem(
            entry,
            f"件数・人数は負になりません（{entry.text}）",
            f"a count cannot be negative ({entry.text})",
            "0 以上の数を入力してください",
            "enter 0 or more",
        )
    return _problem(
        entry,
        f"この系列の値は負になりません（{entry.text}）",
        f"this series' values are not negative ({entry.text})",
        "0 以上の数を入力してください（負の値を認める系列は range を定義します）",
        "enter 0 or more (a series that allows negative values declares a range)",
    )


def check_entries(
    programme: Programme,
    spec: RoundSpec,
    org_unit: str,
    inputs: Sequence[EntryInput],
    previous: Mapping[Key, Decimal],
    *,
    draft: bool = False,
) -> tuple[list[Entry], list[Problem]]:
    """Parse and check one org unit's figures for a round. Returns the entries and every problem found.

    Rules: only the series the unit reports, for the round's periods; numbers in Japanese notation;
    counts whole; values within the series' range (default: 0 or more, shares 0–100 %); parts (うち) not
    above their whole; breakdowns (内訳) adding up to a stated total; and, except in a draft, every value
    required and a change beyond the round's threshold against last period explained in a comment.
    """
    series_of = programme.series_by_code()
    asked = asked_series(programme, spec, org_unit)
    wanted = {(code, p.key) for code in asked for p in spec.periods}
    problems: list[Problem] = []
    entries: dict[Key, Entry] = {}
    where: dict[Key, EntryInput] = {}
    for item in inputs:
        key = (item.code, item.period.key)
        if key not in wanted:
            problems.append(
                _problem(
                    item,
                    f"系列「{quoted(item.code)}」・期間 {_label(item.period)} はこの回の提出対象ではありません",
                    f"series '{quoted(item.code)}' for {_label(item.period, 'en')} is not asked for in this round",
                    "配布されたテンプレートの行だけを入力してください",
                    "fill in only the rows of the template you were given",
                )
            )
            continue
        if key in where:
            problems.append(
                _problem(
                    item,
                    f"系列「{item.code}」・期間 {item.period.label()} が2回あります",
                    f"series '{item.code}' for {item.period.label(lang='en')} appears twice",
                    "1行にまとめてください",
                    "keep one row for it",
                )
            )
            continue
        where[key] = item
        value = _parse(item, series_of[item.code], problems) if _storable(item, problems) else None
        entries[key] = Entry(item.code, item.period, value, item.text.strip(), item.comment.strip())
    if not draft:
        _check_required(programme, asked, spec.periods, entries, where, problems)
    _check_parts(series_of, entries, where, problems)
    if not draft:  # a draft keeps work in progress: a large change needs its comment only on submission
        _check_outliers(spec, entries, where, previous, problems)
    ordered = [entries[(c, p.key)] for c in asked for p in spec.periods if (c, p.key) in entries]
    return ordered, problems


def _check_required(
    programme: Programme,
    asked: Sequence[str],
    periods: Sequence[Period],
    entries: Mapping[Key, Entry],
    where: Mapping[Key, EntryInput],
    problems: list[Problem],
) -> None:
    series_of = programme.series_by_code()
    for code in asked:
        for period in periods:
            entry = entries.get((code, period.key))
            if entry is not None and entry.value is not None:
                continue
            place = where.get((code, period.key))
            if place is not None and place.text.strip() and entry is not None:
                continue  # unreadable: already reported by the parser
            name = series_of[code].name
            problems.append(
                Problem(
                    place.file if place else "",
                    place.line if place else None,
                    place.where if place else f"{code} {period.key}",
                    ja=f"「{name}」（{period.label()}）が未入力です",
                    en=f"'{series_of[code].name_en or name}' for {period.label(lang='en')} is missing",
                    hint_ja="数値を入力してください。該当がなければ 0 を入力してください",
                    hint_en="enter the figure; enter 0 if there is none",
                )
            )


def _check_parts(
    series_of: Mapping[str, Series],
    entries: Mapping[Key, Entry],
    where: Mapping[Key, EntryInput],
    problems: list[Problem],
) -> None:
    breakdowns: dict[tuple[str, str], list[Entry]] = {}
    for key, entry in entries.items():
        series = series_of[entry.code]
        if series.part_of is None or entry.value is None:
            continue
        whole = entries.get((series.part_of, key[1]))
        if whole is None or whole.value is None:
            continue
        if series.relation is PartRelation.BREAKDOWN:
            breakdowns.setdefault((series.part_of, key[1]), []).append(entry)
        elif entry.value > whole.value:
            whole_name = series_of[series.part_of].name
            problems.append(
                _problem(
                    where[key],
                    f"うち数 {quoted(entry.text)} が全体「{whole_name}」の {quoted(whole.text)} を超えています",
                    f"the part {quoted(entry.text)} is larger than its whole '{whole_name}' ({quoted(whole.text)})",
                    "うち数は全体以下になります。どちらかの数値を確認してください",
                    "a part cannot exceed its whole: check both figures",
                )
            )
    all_parts = {
        whole: {s.code for s in series_of.values() if s.part_of == whole and s.relation is PartRelation.BREAKDOWN}
        for whole, _ in breakdowns
    }
    for (whole_code, period_key), parts in breakdowns.items():
        if {p.code for p in parts} != all_parts[whole_code]:
            continue  # not every part given: nothing to add up
        whole = entries[(whole_code, period_key)]
        assert whole.value is not None
        total = sum((p.value for p in parts if p.value is not None), Decimal(0))
        if total != whole.value:
            problems.append(
                _problem(
                    where[(whole_code, period_key)],
                    f"内訳の合計 {total:,} が「{series_of[whole_code].name}」の {whole.text} と一致しません",
                    f"the breakdown adds up to {total:,}, not to the stated total {whole.text}",
                    "内訳か合計のどちらかを直してください",
                    "correct either the parts or the total",
                )
            )


def change_ratio(value: Decimal, previous: Decimal) -> Decimal | None:
    """(value − previous) ÷ |previous|; None when there is nothing to compare against."""
    if previous == 0:
        return None
    return (value - previous) / abs(previous)


def _check_outliers(
    spec: RoundSpec,
    entries: Mapping[Key, Entry],
    where: Mapping[Key, EntryInput],
    previous: Mapping[Key, Decimal],
    problems: list[Problem],
) -> None:
    threshold = spec.outlier_threshold
    percent = f"{threshold * 100:.0f}"
    for key, entry in entries.items():
        before = previous.get(key)
        if entry.value is None or before is None or entry.comment:
            continue
        ratio = change_ratio(entry.value, before)
        jump = (ratio is not None and abs(ratio) > threshold) or (ratio is None and entry.value != 0)
        if jump:
            problems.append(
                _problem(
                    where[key],
                    f"前期（{before:,}）から {percent}％ を超えて変わっています（{entry.text}）",
                    f"the figure changed by more than {percent} % from last period ({before:,} → {entry.text})",
                    "数値を確認し、理由をコメント欄に書いてください",
                    "check the figure and give the reason in the comment",
                )
            )
