"""The catalogue as an Excel workbook the office edits and uploads: series (with who reports them),
indicators and targets, one row per series, per indicator and per target point, with drop-down lists where
a field has fixed values. Reading it back gives the items of `series.yaml`, `indicators.yaml` and
`targets.yaml` and the cell of every field, so a problem found by the files' own rules is named by sheet
and cell. An indicator's row has a column per parameter of every kind; a row fills those of its kind. A
base is written `previous_year`, a period (`FY2017`) or `series:CODE` (`series:CODE@FY2017` with the period
the series restates). A workbook without the indicators sheet (made before it existed) keeps the stored
indicators.

Row 1 holds the headings, row 2 the field names of the format (the reader goes by them, so columns may be
reordered), data from row 3. A sheet `shihyo` records the programme and the definition version the
workbook was made from; an upload made from an older version is refused rather than undoing a change.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs

from shihyo.core.assignments import KINDS
from shihyo.core.indicators import ChangeMode, IndicatorKind
from shihyo.core.model import Direction, OrgAggregation, PartRelation, TargetKind, TimeAggregation
from shihyo.core.problems import Problem
from shihyo.io.submissions import CELL_PROBLEMS, MAX_BYTES, MAX_EXPANDED, _cell_text, _expanded_size, cell_name

FORMAT = "shihyo-catalogue/1"
META = "shihyo"
SERIES_SHEET = "系列"
TARGETS_SHEET = "目標"
INDICATORS_SHEET = "指標"
MAX_ROWS = 5000
DATA_ROW = 3  # 1-based: headings, field names, then the data
SERIES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "コード"),
    ("name", "名称"),
    ("name_en", "英語名"),
    ("unit", "単位"),
    ("decimals", "小数桁"),
    ("time_aggregation", "期間の集計"),
    ("org_aggregation", "所属の集計"),
    ("part_of", "全体の系列"),
    ("relation", "全体との関係"),
    ("reported_by", "報告する所属（種類またはコード、読点区切り）"),
    ("range_min", "最小値"),
    ("range_max", "最大値"),
    ("note", "備考"),
    ("source", "出典"),
)
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "コード"),
    ("name", "名称"),
    ("name_en", "英語名"),
    ("unit", "単位"),
    ("decimals", "小数桁"),
    ("kind", "種類"),
    ("of", "対象（of）"),
    ("numerator", "分子"),
    ("denominator", "分母"),
    ("factor", "係数"),
    ("divisor", "除数"),
    ("part", "内訳（part）"),
    ("total", "全体（total）"),
    ("parts", "合計する内訳（読点区切り）"),
    ("headcount", "人数"),
    ("universe", "全体の数"),
    ("mode", "増減の表し方"),
    ("base", "基準（previous_year / FY2017 / series:コード）"),
    ("against", "比較の相手（同上）"),
    ("expr", "計算式"),
    ("description", "説明"),
    ("footnotes", "脚注（読点区切り）"),
    ("note", "備考"),
)
TARGET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator", "指標コード"),
    ("org_units", "対象の所属（空欄: すべて）"),
    ("kind", "目標の種類"),
    ("direction", "方向"),
    ("base_period", "基準期間"),
    ("period", "期間"),
    ("value", "目標値"),
    ("final", "最終目標（TRUE）"),
    ("source", "出典"),
    ("note", "備考"),
)
TARGET_LEVEL = ("kind", "direction", "base_period", "source", "note")  # taken from a target's first row
LISTS = {
    "indicator_kind": [k.value for k in IndicatorKind],
    "mode": [m.value for m in ChangeMode],
    "time_aggregation": [t.value for t in TimeAggregation],
    "org_aggregation": [o.value for o in OrgAggregation],
    "relation": [r.value for r in PartRelation],
    "kind": [k.value for k in TargetKind],
    "direction": [d.value for d in Direction],
}


@dataclass
class Place:
    """Where an item's fields sit in the workbook: its sheet, its first row and its column per field."""

    sheet: str
    row: int  # 1-based
    columns: dict[str, int]  # field → 1-based column
    point_rows: list[int] = field(default_factory=list)

    def cell(self, key: str, point: int | None = None) -> str:
        row = self.point_rows[point] if point is not None and point < len(self.point_rows) else self.row
        column = self.columns.get(key) or self.columns.get("value" if key == "points" else "code") or 1
        return f"{self.sheet}!{cell_name(row, column)}"


@dataclass
class CatalogueUpload:
    programme: str
    base: int
    series: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    places: dict[str, Place]  # an item's code (a series or indicator code, or "target <indicator>") → where it is
    indicators: list[dict[str, Any]] | None = None  # None: the workbook has no indicators sheet


def _joined(values: Sequence[str] | None) -> str:
    return "、".join(values or ())


def base_text(value: Any) -> str:
    """A base of `indicators.yaml` as one cell: previous_year, FY2017, series:CODE or series:CODE@FY2017."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    if "series" in value:
        return f"series:{value['series']}" + (f"@{value['period']}" if value.get("period") else "")
    return str(value.get("period", ""))


def base_of(text: str) -> Any:
    """The reverse of `base_text`."""
    if not text or text == "previous_year":
        return text or None
    if text.startswith("series:"):
        code, _, period = text[len("series:") :].partition("@")
        return {"series": code.strip(), **({"period": period.strip()} if period.strip() else {})}
    return {"period": text}


def write_catalogue(
    programme: str,
    base: int,
    series: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    unit_codes: list[str],
    indicators: list[dict[str, Any]] | None = None,
) -> bytes:
    """The workbook of the given `series.yaml`, `indicators.yaml` and `targets.yaml` items (as stored)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    head = book.add_format({"bold": True, "bg_color": "#f1f1f4", "border": 1, "text_wrap": True, "valign": "top"})
    key = book.add_format({"font_color": "#626264", "font_size": 8})
    text = book.add_format({"num_format": "@"})
    rows = [
        {
            **{k: s.get(k, "") for k, _ in SERIES_COLUMNS if k in s},
            "reported_by": _joined(s.get("reported_by")),
            "range_min": (s.get("range") or {}).get("min", ""),
            "range_max": (s.get("range") or {}).get("max", ""),
        }
        for s in series
    ]
    _sheet(book, SERIES_SHEET, SERIES_COLUMNS, rows, head, key, text)
    indicator_rows = [
        {
            **{k: i.get(k, "") for k, _ in INDICATOR_COLUMNS if k in i and not isinstance(i[k], dict | list)},
            "parts": _joined(i.get("parts")),
            "footnotes": _joined(i.get("footnotes")),
            "base": base_text(i.get("base")),
            "against": base_text(i.get("against")),
        }
        for i in indicators or []
    ]
    _sheet(book, INDICATORS_SHEET, INDICATOR_COLUMNS, indicator_rows, head, key, text)
    point_rows = []
    for t in targets:
        for n, point in enumerate(t.get("points") or []):
            row = {k: t.get(k, "") for k in TARGET_LEVEL} if n == 0 else {}
            row.update(indicator=t.get("indicator", ""), org_units=_joined(t.get("org_units")))
            row.update(period=point.get("period", ""), value=point.get("value", ""))
            row["final"] = "TRUE" if point.get("final") else ""
            point_rows.append(row)
    _sheet(book, TARGETS_SHEET, TARGET_COLUMNS, point_rows, head, key, text)
    meta = book.add_worksheet(META)
    for r, (name, value) in enumerate((("format", FORMAT), ("programme", programme), ("base", str(base)))):
        meta.write_string(r, 0, name)
        meta.write_string(r, 1, value)
    meta.write_string(4, 0, "reported_by: " + ", ".join(sorted(KINDS)) + " / " + ", ".join(unit_codes))
    meta.hide()
    book.close()
    return out.getvalue()


def _sheet(
    book: Any,
    name: str,
    columns: tuple[tuple[str, str], ...],
    rows: list[dict[str, Any]],
    head: Any,
    key: Any,
    text: Any,
) -> None:
    ws = book.add_worksheet(name)
    for c, (field_name, label) in enumerate(columns):
        ws.write_string(0, c, label, head)
        ws.write_string(1, c, field_name, key)
        ws.set_column(c, c, 28 if field_name in ("name", "note", "source", "reported_by") else 14, text)
        choices = LISTS.get("indicator_kind" if name == INDICATORS_SHEET and field_name == "kind" else field_name)
        if choices:
            ws.data_validation(
                DATA_ROW - 1, c, MAX_ROWS, c, {"validate": "list", "source": choices, "ignore_blank": True}
            )
        if field_name == "decimals":
            whole = {"validate": "integer", "criteria": "between", "minimum": -9, "maximum": 9}
            ws.data_validation(DATA_ROW - 1, c, MAX_ROWS, c, whole)
    for r, row in enumerate(rows, start=DATA_ROW - 1):
        for c, (field_name, _label) in enumerate(columns):
            value = row.get(field_name, "")
            ws.write_string(r, c, "" if value is None else str(value), text)
    ws.freeze_panes(DATA_ROW - 1, 1)
    ws.set_row(1, None, None, {"hidden": False})


def read_catalogue(raw: bytes, name: str, problems: list[Problem]) -> CatalogueUpload | None:
    """The series and targets of an uploaded catalogue workbook; problems name the sheet and cell."""

    def refuse(ja: str, en: str, where: str = "") -> None:
        problems.append(
            Problem(
                name,
                None,
                where,
                ja=ja,
                en=en,
                hint_ja="shihyo からダウンロードしたカタログのブックを編集し、.xlsx のまま保存してください",
                hint_en="edit the catalogue workbook downloaded from shihyo and keep it as .xlsx",
            )
        )

    if len(raw) > MAX_BYTES or _expanded_size(raw) > MAX_EXPANDED:
        refuse("ファイルが大きすぎます", "the file is too large")
        return None
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # a hostile or broken file can fail anywhere inside the zip and XML readers
        refuse("Excel ファイル（.xlsx）として読めません", "cannot read the file as an Excel workbook (.xlsx)")
        return None
    try:
        return _read(book, name, problems, refuse)
    except Exception:
        refuse("Excel ファイル（.xlsx）として読めません", "cannot read the file as an Excel workbook (.xlsx)")
        return None
    finally:
        book.close()


def _read(book: Any, name: str, problems: list[Problem], refuse: Any) -> CatalogueUpload | None:
    missing = [s for s in (META, SERIES_SHEET, TARGETS_SHEET) if s not in book.sheetnames]
    if missing:
        refuse(f"シート「{'」「'.join(missing)}」がありません", f"the sheet(s) {', '.join(missing)} are missing")
        return None
    meta = {str(r[0]): str(r[1] or "") for r in book[META].iter_rows(max_row=3, max_col=2, values_only=True) if r[0]}
    if meta.get("format") != FORMAT or not meta.get("base", "").isdigit():
        refuse("shihyo のカタログのブックではありません", "this is not a shihyo catalogue workbook", META)
        return None
    places: dict[str, Place] = {}
    series_rows = _rows(book[SERIES_SHEET], SERIES_SHEET, name, problems)
    series = []
    for row, values, columns in series_rows:
        item: dict[str, Any] = {k: v for k, v in values.items() if v and not k.startswith("range_")}
        if "decimals" in item:
            item["decimals"] = _whole(item["decimals"])
        if "reported_by" in item:
            item["reported_by"] = _split(item["reported_by"])
        bounds = {k: values[f"range_{k}"] for k in ("min", "max") if values.get(f"range_{k}")}
        if bounds:
            item["range"] = bounds
        series.append(item)
        places.setdefault(str(item.get("code", "")), Place(SERIES_SHEET, row, columns))
    indicators: list[dict[str, Any]] | None = None
    if INDICATORS_SHEET in book.sheetnames:
        indicators = []
        for row, values, columns in _rows(book[INDICATORS_SHEET], INDICATORS_SHEET, name, problems):
            item = {k: v for k, v in values.items() if v}
            if "decimals" in item:
                item["decimals"] = _whole(item["decimals"])
            item["unit"] = values.get("unit", "")  # an index has an empty unit, and the key is required
            for key in ("parts", "footnotes"):
                if key in item:
                    item[key] = _split(item[key])
            for key in ("base", "against"):
                if key in item:
                    item[key] = base_of(item[key])
            indicators.append(item)
            places.setdefault(str(item.get("code", "")), Place(INDICATORS_SHEET, row, columns))
    targets: dict[tuple[str, str], dict[str, Any]] = {}
    for row, values, columns in _rows(book[TARGETS_SHEET], TARGETS_SHEET, name, problems):
        ident = (values.get("indicator", ""), values.get("org_units", ""))
        target = targets.get(ident)
        if target is None:
            target = {"indicator": ident[0]}
            if ident[1]:
                target["org_units"] = _split(ident[1])
            target.update({k: values[k] for k in TARGET_LEVEL if values.get(k)})
            target["points"] = []
            targets[ident] = target
            places.setdefault(f"target {ident[0]}", Place(TARGETS_SHEET, row, columns))
        point: dict[str, Any] = {"period": values.get("period", ""), "value": values.get("value", "")}
        final = values.get("final", "").upper()
        if final in ("TRUE", "1", "○", "YES"):
            point["final"] = True
        elif final not in ("", "FALSE", "0"):
            problems.append(
                Problem(
                    name,
                    None,
                    f"{TARGETS_SHEET}!{cell_name(row, columns['final'])}",
                    ja=f"「{final[:20]}」は TRUE か空欄にしてください",
                    en=f"write TRUE or leave it blank, not '{final[:20]}'",
                )
            )
        target["points"].append(point)
        places[f"target {ident[0]}"].point_rows.append(row)
    return CatalogueUpload(meta["programme"], int(meta["base"]), series, list(targets.values()), places, indicators)


def _whole(text: str) -> int | str:
    """A whole number as a number (decimals may be negative: -4 rounds to ten thousands); else the text, for
    the files' rules to name."""
    return int(text) if re.fullmatch(r"-?\d{1,2}", text) else text


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("、", ",").split(",") if part.strip()]


def _rows(ws: Any, sheet: str, name: str, problems: list[Problem]) -> list[tuple[int, dict[str, str], dict[str, int]]]:
    """Every data row with a value, as field → text, with the row number and the column of each field."""
    found: list[tuple[int, dict[str, str], dict[str, int]]] = []
    columns: dict[str, int] = {}
    for r, cells in enumerate(ws.iter_rows(max_row=MAX_ROWS + DATA_ROW), start=1):
        if r == 2:
            columns = {str(c.value).strip(): n for n, c in enumerate(cells, start=1) if c.value}
            continue
        if r < DATA_ROW:
            continue
        values: dict[str, str] = {}
        for n, c in enumerate(cells, start=1):
            key = next((k for k, col in columns.items() if col == n), None)
            if key is None:
                continue
            text, trouble = _cell_text(c.value, c.data_type)
            if trouble == "bool" and key == "final":
                text, trouble = ("TRUE" if c.value else ""), None
            if trouble is not None:
                ja, en, hint_ja, hint_en = CELL_PROBLEMS[trouble]
                problems.append(
                    Problem(name, None, f"{sheet}!{cell_name(r, n)}", ja=ja, en=en, hint_ja=hint_ja, hint_en=hint_en)
                )
                continue
            if text.endswith(".0") and key in ("decimals",):  # a number typed in Excel
                text = text[:-2]
            values[key] = text
        if any(values.values()):
            found.append((r, values, columns))
    if len(found) >= MAX_ROWS:
        problems.append(Problem(name, None, sheet, ja=f"{MAX_ROWS}行までです", en=f"at most {MAX_ROWS} rows"))
    return found
