"""Department submissions as files: the Excel template (write and read back) and CSV (read and write).

The template is one sheet per org unit and round: locked labels, yellow input cells with data validation,
last period's values beside them, and a hidden sheet naming the programme, round and org unit so a file
cannot be uploaded to the wrong place. Reading returns `EntryInput`s for `core.collection.check_entries`;
every problem names the sheet and cell (or the CSV line and column).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import xlsxwriter
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs

from shihyo.core.collection import EntryInput, RoundSpec, is_count, is_percentage, quoted
from shihyo.core.inputs import InvalidInput, parse_period_input
from shihyo.core.model import Series
from shihyo.core.periods import Period
from shihyo.core.problems import Problem
from shihyo.io.cells import neutralise
from shihyo.io.observations_csv import decode, encoding_problem, row_length_problem

SHEET = "提出"
META_SHEET = "shihyo"
FORMAT = "shihyo-submission/1"
HEADER_ROW = 6  # 1-based row of the column headings; values start below it
COLUMNS = ("コード", "期間コード", "項目", "単位", "期間", "前期", "前期の値", "今回の値", "コメント")
VALUE_COLUMN, COMMENT_COLUMN = 7, 8  # 0-based: H and I
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_EXPANDED = 50 * 1024 * 1024  # bytes of the unzipped workbook: a 5 MB zip can hold 5 GB of XML to parse
MAX_PERIOD_TEXT = 40  # characters of a period as written (令和4年度上期 is 7)
CSV_COLUMNS = ("code", "period", "name", "unit", "previous", "value", "comment")
CSV_REQUIRED = ("code", "period", "value")


@dataclass(frozen=True)
class TemplateRow:
    series: Series
    period: Period
    period_label: str
    previous: Decimal | None
    previous_label: str
    value: str = ""  # what is already entered, as written
    comment: str = ""


@dataclass(frozen=True)
class Template:
    programme_code: str
    programme_name: str
    round: RoundSpec
    org_unit: str
    org_unit_name: str
    due: date | None
    version: int
    rows: tuple[TemplateRow, ...]


@dataclass(frozen=True)
class Upload:
    """What a file holds: the figures and, for a template, the version it was filled in against."""

    inputs: tuple[EntryInput, ...]
    version: int | None = None


def cell_name(row: int, column: int) -> str:
    """A1 reference of 0-based row and column (columns A–Z are enough for the template)."""
    return f"{chr(ord('A') + column)}{row + 1}"


def _validation(series: Series, cell: str) -> dict[str, Any]:
    """Numbers within the series' range, or text (▲1,234 and 1.5万 are checked on upload)."""
    if is_percentage(series):
        rule, message = f"OR(ISTEXT({cell}),AND({cell}>=0,{cell}<=100))", "0〜100 の数を入力してください。"
    elif is_count(series):
        rule, message = f"OR(ISTEXT({cell}),AND({cell}>=0,{cell}=INT({cell})))", "0 以上の整数を入力してください。"
    else:
        rule, message = f"OR(ISTEXT({cell}),ISNUMBER({cell}))", "数値を入力してください。"
    return {
        "validate": "custom",
        "value": rule,
        "ignore_blank": True,
        "input_title": "入力",
        "input_message": f"{message}▲・全角数字・万・カンマも使えます。",
        "error_title": "入力できない値です",
        "error_message": message,
        "error_type": "stop",
    }


def _number_format(series: Series) -> str:
    decimals = "." + "0" * series.decimals if series.decimals else ""
    return f'#,##0{decimals};"▲"#,##0{decimals}'


def write_template(template: Template) -> bytes:
    """The Excel file a department fills in: labels locked, input cells yellow and validated."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    font = {"font_name": "BIZ UDゴシック", "font_size": 10}
    locked = book.add_format({**font, "border": 1, "bg_color": "#F2F2F2", "text_wrap": True, "valign": "top"})
    heading = book.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E2F3", "text_wrap": True})
    title = book.add_format({**font, "bold": True, "font_size": 14})
    plain = book.add_format(font)
    sheet = book.add_worksheet(SHEET)
    sheet.write_string(0, 0, neutralise(f"{template.programme_name}　{template.round.name}　提出シート"), title)
    sheet.write_string(1, 0, neutralise(f"所属: {template.org_unit_name}"), plain)
    due = f"{template.due:%Y-%m-%d}" if template.due else "—"
    sheet.write_string(2, 0, f"提出期限: {due}", plain)
    sheet.write_string(
        3,
        0,
        "黄色のセルに入力してください。▲（マイナス）、全角数字、万・千、カンマも使えます。変更の理由はコメントへ。",
        plain,
    )
    for col, label in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW - 1, col, label, heading)
    for i, row in enumerate(template.rows):
        r = HEADER_ROW + i
        value_format = book.add_format(
            {**font, "border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": _number_format(row.series)}
        )
        comment_format = book.add_format({**font, "border": 1, "bg_color": "#FFF2CC", "locked": False})
        previous_format = book.add_format(
            {**font, "border": 1, "bg_color": "#F2F2F2", "num_format": _number_format(row.series)}
        )
        sheet.write_string(r, 0, row.series.code, locked)
        sheet.write_string(r, 1, row.period.key, locked)
        sheet.write_string(r, 2, neutralise(row.series.name), locked)
        sheet.write_string(r, 3, neutralise(row.series.unit), locked)
        sheet.write_string(r, 4, row.period_label, locked)
        sheet.write_string(r, 5, row.previous_label, locked)
        if row.previous is None:
            sheet.write_blank(r, 6, None, previous_format)
        else:
            sheet.write_number(r, 6, float(row.previous), previous_format)
        _write_entered(sheet, r, row.value, value_format)
        sheet.write_string(r, COMMENT_COLUMN, neutralise(row.comment), comment_format)
        sheet.data_validation(r, VALUE_COLUMN, r, VALUE_COLUMN, _validation(row.series, cell_name(r, VALUE_COLUMN)))
    sheet.set_column(0, 1, 10)
    sheet.set_column(2, 2, 44)
    sheet.set_column(3, 5, 11)
    sheet.set_column(6, 7, 14)
    sheet.set_column(8, 8, 40)
    sheet.freeze_panes(HEADER_ROW, 3)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
    meta = book.add_worksheet(META_SHEET)
    for r, (name, value) in enumerate(
        (
            ("format", FORMAT),
            ("programme", template.programme_code),
            ("round", template.round.code),
            ("org_unit", template.org_unit),
            ("version", str(template.version)),
        )
    ):
        meta.write_string(r, 0, name)
        meta.write_string(r, 1, neutralise(value))
    meta.protect()
    meta.very_hidden()
    sheet.activate()
    book.close()
    return out.getvalue()


def _plain_number(text: str) -> bool:
    try:
        return Decimal(text.replace(",", "")).is_finite()
    except ArithmeticError:
        return False


def _write_entered(sheet: Any, row: int, text: str, fmt: Any) -> None:
    """What is already entered: a number when it is a plain number, else the text as written."""
    if text and _plain_number(text):
        sheet.write_number(row, VALUE_COLUMN, float(Decimal(text.replace(",", ""))), fmt)
    else:
        sheet.write_string(row, VALUE_COLUMN, neutralise(text), fmt)


def _unreadable(name: str, where: str = "") -> Problem:
    return Problem(
        name,
        None,
        where,
        ja="Excel ファイル（.xlsx）として読めません",
        en="cannot read the file as an Excel workbook (.xlsx)",
        hint_ja="shihyo からダウンロードしたテンプレートに入力し、.xlsx 形式のまま保存してください",
        hint_en="fill in the template downloaded from shihyo and keep it as .xlsx",
    )


def _cell_text(value: object, data_type: str | None) -> tuple[str, str | None]:
    """A cell's value as text, or a problem kind: 'formula', 'date', 'bool'."""
    if value is None:
        return "", None
    if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return "", "formula"
    if isinstance(value, bool):
        return "", "bool"
    if isinstance(value, datetime | date | time):
        return "", "date"
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "", None
    return str(value).strip(), None


CELL_PROBLEMS = {
    "formula": (
        "数式は使えません",
        "formulas are not accepted",
        "計算結果の数値を入力してください",
        "enter the resulting number",
    ),
    "date": ("日付として入力されています", "the cell holds a date", "数値を入力してください", "enter a number"),
    "bool": (
        "TRUE/FALSE は数値ではありません",
        "TRUE/FALSE is not a number",
        "数値を入力してください",
        "enter a number",
    ),
}


def _expanded_size(raw: bytes) -> int:
    """What the workbook's members unzip to, as the zip declares it (zipfile never reads past that size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except Exception:  # not a zip at all: load_workbook reports it
        return 0


def read_template(raw: bytes, name: str, expected: dict[str, str], problems: list[Problem]) -> Upload:
    """The figures of a filled-in template; `expected` holds the programme, round and org unit it must be for."""
    if len(raw) > MAX_BYTES:
        problems.append(_too_big(name))
        return Upload(())
    if _expanded_size(raw) > MAX_EXPANDED:
        problems.append(
            Problem(
                name,
                None,
                "",
                ja=f"ファイルを展開すると大きすぎます（上限 {MAX_EXPANDED // 1024 // 1024} MB）",
                en=f"the file unzips to too much data (at most {MAX_EXPANDED // 1024 // 1024} MB)",
                hint_ja="shihyo からダウンロードしたテンプレートに入力し、.xlsx 形式のまま保存してください",
                hint_en="fill in the template downloaded from shihyo and keep it as .xlsx",
            )
        )
        return Upload(())
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # a hostile or broken file can fail anywhere inside the zip and XML readers
        problems.append(_unreadable(name))
        return Upload(())
    try:
        return _read_book(book, name, expected, problems)
    except Exception:
        problems.append(_unreadable(name))
        return Upload(())
    finally:
        book.close()


def _read_book(book: Any, name: str, expected: dict[str, str], problems: list[Problem]) -> Upload:
    if SHEET not in book.sheetnames or META_SHEET not in book.sheetnames:
        problems.append(
            Problem(
                name,
                None,
                "",
                ja=f"シート「{SHEET}」が見つかりません。shihyo のテンプレートではないようです",
                en=f"no sheet '{SHEET}': this is not a shihyo template",
                hint_ja="この提出画面からテンプレートをダウンロードして入力してください",
                hint_en="download the template from this submission page and fill it in",
            )
        )
        return Upload(())
    meta: dict[str, str] = {}
    for row in book[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and len(row) >= 2 and isinstance(row[0], str):
            meta[row[0]] = str(row[1] or "").lstrip("'")
    for key, label_ja, label_en in (
        ("programme", "プログラム", "programme"),
        ("round", "収集回", "round"),
        ("org_unit", "所属", "org unit"),
    ):
        if meta.get(key) != expected[key]:
            problems.append(
                Problem(
                    name,
                    None,
                    f"{META_SHEET}!B",
                    ja=f"このファイルは別の{label_ja}（{quoted(meta.get(key) or '不明')}）のテンプレートです"
                    f"（この画面は {expected[key]}）",
                    en=f"this file is the template of another {label_en} ({quoted(meta.get(key) or 'unknown')}; "
                    f"this page is {expected[key]})",
                    hint_ja="この提出画面からダウンロードしたテンプレートを使ってください",
                    hint_en="use the template downloaded from this submission page",
                )
            )
    if problems:
        return Upload(())
    written = meta.get("version", "")
    version = int(written) if written.isascii() and written.isdigit() and len(written) < 20 else None
    inputs: list[EntryInput] = []
    where = f"{name} / {SHEET}"
    for r, row in enumerate(book[SHEET].iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + MAX_ROWS, max_col=9)):
        index = HEADER_ROW + r  # 0-based row
        cells = list(row) + [None] * (9 - len(row))
        code = _cell_text(getattr(cells[0], "value", None), None)[0]
        period_text = _cell_text(getattr(cells[1], "value", None), None)[0]
        if not code and not period_text:
            continue
        period = _read_period(period_text, problems, where, None, cell_name(index, 1))
        if period is None:
            continue
        value_cell, comment_cell = cells[VALUE_COLUMN], cells[COMMENT_COLUMN]
        text, issue = _cell_text(getattr(value_cell, "value", None), getattr(value_cell, "data_type", None))
        if issue:
            ja, en, hint_ja, hint_en = CELL_PROBLEMS[issue]
            problems.append(
                Problem(where, None, cell_name(index, VALUE_COLUMN), ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)
            )
            continue
        comment, issue = _cell_text(getattr(comment_cell, "value", None), getattr(comment_cell, "data_type", None))
        if issue == "formula":
            ja, en, _, _ = CELL_PROBLEMS[issue]
            problems.append(
                Problem(
                    where,
                    None,
                    cell_name(index, COMMENT_COLUMN),
                    ja=ja,
                    en=en,
                    hint_ja="文章で書いてください",
                    hint_en="write text",
                )
            )
            continue
        inputs.append(
            EntryInput(
                code,
                period,
                text.removeprefix("'"),
                comment.removeprefix("'"),
                where,
                None,
                cell_name(index, VALUE_COLUMN),
            )
        )
    return Upload(tuple(inputs), version)


def _read_period(text: str, problems: list[Problem], file: str, line: int | None, where: str) -> Period | None:
    """The period of a row, or None with a problem; a long text is not quoted back in full."""
    if len(text) > MAX_PERIOD_TEXT:
        problems.append(
            Problem(
                file,
                line,
                where,
                ja=f"「{quoted(text)}」は期間として読み取れません（長すぎます）",
                en=f"cannot read '{quoted(text)}' as a period (it is too long)",
                hint_ja="例: R4上期、FY2022H1",
                hint_en="e.g. R4上期 or FY2022H1",
            )
        )
        return None
    try:  # within the eras shihyo names (FY1869–FY9997), as every input of a period
        return parse_period_input(text, where)
    except InvalidInput as exc:
        p = exc.problem
        problems.append(Problem(file, line, where, ja=p.ja, en=p.en, hint_ja=p.hint_ja, hint_en=p.hint_en))
        return None


def _too_big(name: str) -> Problem:
    return Problem(
        name,
        None,
        "",
        ja=f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024 // 1024} MB）",
        en=f"the file is too large (at most {MAX_BYTES // 1024 // 1024} MB)",
        hint_ja="提出テンプレートの行だけを残してください",
        hint_en="keep only the rows of the submission template",
    )


def read_csv(raw: bytes, name: str, problems: list[Problem]) -> Upload:
    """A CSV of figures: code, period, value and comment (name, unit and previous are for reading only).
    UTF-8 with or without BOM, or CP932."""
    if len(raw) > MAX_BYTES:
        problems.append(_too_big(name))
        return Upload(())
    try:
        text, _ = decode(raw)
    except UnicodeDecodeError:
        problems.append(encoding_problem(name))
        return Upload(())
    if "\x00" in text:
        problems.append(_not_csv(name))
        return Upload(())
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        problems.append(_not_csv(name))
        return Upload(())
    if not rows:
        problems.append(_header_problem(name, []))
        return Upload(())
    header = [h.strip() for h in rows[0]]
    if any(c not in header for c in CSV_REQUIRED) or any(h not in CSV_COLUMNS for h in header if h):
        problems.append(_header_problem(name, header))
        return Upload(())
    inputs = []
    for line, row in enumerate(rows[1 : MAX_ROWS + 1], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(row_length_problem(name, line, len(row), len(header)))
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        period = _read_period(cells["period"], problems, name, line, "period")
        if period is None:
            continue
        value, comment = cells["value"].removeprefix("'"), cells.get("comment", "").removeprefix("'")
        inputs.append(EntryInput(cells["code"], period, value, comment, name, line, "value"))
    return Upload(tuple(inputs))


def _not_csv(name: str) -> Problem:
    return Problem(
        name,
        None,
        "",
        ja="CSV として読めません",
        en="cannot read the file as CSV",
        hint_ja="Excel で「CSV UTF-8」として保存してください",
        hint_en="save it from Excel as 'CSV UTF-8'",
    )


def _header_problem(name: str, header: list[str]) -> Problem:
    # the cells as written, on one line: a line break or other control character in a cell becomes a space
    shown = "".join(ch if ch.isprintable() else " " for ch in ",".join(header)[:200]) or "（空）"
    return Problem(
        name,
        1,
        "header",
        ja=f"見出し行が違います（{shown}）",
        en=f"the header row is wrong ({shown})",
        hint_ja=f"見出しは {','.join(CSV_COLUMNS)} です（code,period,value は必須）",
        hint_en=f"the header is {','.join(CSV_COLUMNS)} (code, period and value are required)",
    )


def write_csv(template: Template) -> bytes:
    """The CSV a department can fill in instead of the Excel file: UTF-8 with BOM, CRLF."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in template.rows:
        previous = "" if row.previous is None else str(row.previous)
        writer.writerow(
            [
                row.series.code,
                row.period.key,
                neutralise(row.series.name),
                neutralise(row.series.unit),
                previous,
                row.value if _plain_number(row.value) else neutralise(row.value),
                neutralise(row.comment),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
