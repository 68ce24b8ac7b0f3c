"""observations.csv: read (UTF-8 with or without BOM, or CP932) and write (canonical)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from shihyo.core.inputs import InvalidInput, parse_period_input
from shihyo.core.model import Observation, ObservationKind
from shihyo.core.numbers import NumberParseError, is_missing, parse_japanese_number
from shihyo.core.problems import Problem

COLUMNS = ("code", "org_unit", "period", "kind", "value", "note", "source", "method")
REQUIRED = ("code", "org_unit", "period", "kind", "value")


def decode(raw: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was in: UTF-8 (BOM or not) first, then CP932."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp932"), "cp932"


def encoding_problem(name: str) -> Problem:
    return Problem(
        name,
        None,
        "",
        ja="文字コードを判別できません",
        en="cannot tell the file's encoding",
        hint_ja="UTF-8 か Shift_JIS（CP932）で保存してください",
        hint_en="save it as UTF-8 or CP932",
    )


def row_length_problem(name: str, line: int, cells: int, header: int) -> Problem:
    return Problem(
        name,
        line,
        "",
        ja=f"列の数が {cells} です（見出しは {header} 列）",
        en=f"the row has {cells} cells, the header {header}",
        hint_ja='カンマを含む値は "…" で囲んでください',
        hint_en="quote values that contain commas",
    )


def read_observations(raw: bytes, name: str, problems: list[Problem]) -> list[tuple[Observation, int]]:
    """Parse every row (with its line); each bad cell becomes a problem naming the line and column."""
    try:
        text, _ = decode(raw)
    except UnicodeDecodeError:
        problems.append(encoding_problem(name))
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        problems.append(
            Problem(
                name,
                1,
                "header",
                ja=f"見出し行の列が違います（不足: {', '.join(missing) or 'なし'}、"
                f"不明: {', '.join(unknown) or 'なし'}）",
                en=f"the header row is wrong (missing: {', '.join(missing) or 'none'}, "
                f"unknown: {', '.join(unknown) or 'none'})",
                hint_ja=f"見出しは {','.join(COLUMNS)} です",
                hint_en=f"the header is {','.join(COLUMNS)}",
            )
        )
        return []
    observations = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if len(row) != len(header):
            problems.append(row_length_problem(name, line, len(row), len(header)))
            continue
        observation = _row(name, line, cells, problems)
        if observation is not None:
            observations.append((observation, line))
    return observations


def _row(name: str, line: int, cells: dict[str, str], problems: list[Problem]) -> Observation | None:
    before = len(problems)

    def bad(column: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> None:
        problems.append(Problem(name, line, column, ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en))

    for column in REQUIRED:
        if not cells.get(column) and column != "value":
            bad(column, f"「{column}」が空です", f"'{column}' is empty")
    try:
        kind = ObservationKind(cells.get("kind", ""))
    except ValueError:
        allowed = ", ".join(k.value for k in ObservationKind)
        bad(
            "kind",
            f"種別「{cells.get('kind')}」は使えません",
            f"kind '{cells.get('kind')}' is not allowed",
            f"使える種別: {allowed}",
            f"allowed: {allowed}",
        )
        kind = ObservationKind.ACTUAL
    period = None
    try:  # within the eras shihyo names (FY1869–FY9997), as every input of a period
        period = parse_period_input(cells.get("period", ""), "period")
    except InvalidInput as exc:
        p = exc.problem
        bad("period", p.ja, p.en, p.hint_ja, p.hint_en)
    text = cells.get("value", "")
    parsed = None
    if is_missing(text):
        bad(
            "value", "値が空です（欠測の行は書かないでください）", "the value is empty (leave out rows without a value)"
        )
    else:
        try:
            parsed = parse_japanese_number(text)
        except NumberParseError as exc:
            bad("value", exc.message_ja, exc.message_en)
    if kind is ObservationKind.ESTIMATE and not cells.get("method"):
        bad(
            "method",
            "推計値には推計方法（method）が必要です",
            "an estimate needs its method",
            "例: 5区集計値×9/5",
            "e.g. 5区集計値×9/5",
        )
    if len(problems) > before or period is None or parsed is None:
        return None
    return Observation(
        code=cells["code"],
        org_unit=cells["org_unit"],
        period=period,
        kind=kind,
        value=parsed.value,
        text=text,
        precision=parsed.precision,
        note=cells.get("note", ""),
        source=cells.get("source", ""),
        method=cells.get("method", ""),
    )


def sort_key(o: Observation) -> tuple[str, str, str, str, str]:
    return (o.code, o.org_unit, o.period.key, o.kind.value, o.source)


def write_observations(observations: Iterable[Observation]) -> str:
    """Canonical CSV: the header, rows sorted by code, org unit, period, kind and source; LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for o in sorted(observations, key=sort_key):
        writer.writerow((o.code, o.org_unit, o.period.key, o.kind.value, o.text, o.note, o.source, o.method))
    return out.getvalue()
