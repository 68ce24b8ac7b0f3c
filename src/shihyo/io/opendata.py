"""Open data files: every published series and indicator value as a machine-readable table.

They follow the Japanese government's rules for machine-readable tables (総務省・デジタル庁「機械判読可能な
データの表記方法の統一ルール」): one header row and one value per row and cell, no merged cells, no notes
or blank rows in the table, numbers as plain numbers (no commas, units or ▲), units in their own column,
the Western fiscal year with the wareki label beside it, dates as YYYY-MM-DD, and the municipality's
全国地方公共団体コード on every row. CSV is UTF-8 **with** a BOM (so that Excel opens it as UTF-8) and CRLF
line ends; JSON is UTF-8 without a BOM. Each file carries the data's as-of moment and data version.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import describe
from shihyo.core.labels import kind_label
from shihyo.core.model import Programme
from shihyo.core.numbers import to_decimal
from shihyo.core.opendata import LICENCES, Licence
from shihyo.core.periods import Grain, parse_period
from shihyo.io.cells import neutralise

GRAIN_JA = {Grain.YEAR: "年度", Grain.HALF: "半期", Grain.MONTH: "月", Grain.DATE: "時点"}


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key and the English name
    ja: str  # the CSV header
    meaning: str  # for the README (Japanese)
    meaning_en: str


COLUMNS = (
    Column("municipality_code", "全国地方公共団体コード", "6桁、検査数字を含む", "6 digits, check digit included"),
    Column("municipality", "地方公共団体名", "団体の名称", "name of the municipality"),
    Column("programme", "プログラムコード", "ロードマップ（プログラム）のコード", "programme code"),
    Column("code", "コード", "系列・指標のコード（ファイル名と同じ）", "series or indicator code (the file name)"),
    Column("name", "名称", "系列・指標の名称", "series or indicator name"),
    Column("type", "区分", "系列（生の入力と集計）または指標（計算値）", "series (raw input, roll-up) or indicator"),
    Column("org_unit", "所属コード", "所属のコード", "org unit code"),
    Column("org_unit_name", "所属名", "所属の名称", "org unit name"),
    Column("period", "期間コード", "FY2021 は年度、FY2021H1 は上期、FY2021H2 は下期", "FY2021 year, H1/H2 halves"),
    Column("fiscal_year", "年度（西暦）", "年度の開始年（数値）", "the fiscal year's starting year (number)"),
    Column("wareki", "和暦", "和暦の表記（R3、H31/R1、R3上期 など）", "wareki label (R3, H31/R1, R3上期 …)"),
    Column("period_type", "期間区分", "年度・半期・月", "year, half or month"),
    Column("start_date", "開始日", "YYYY-MM-DD", "first day, YYYY-MM-DD"),
    Column("end_date", "終了日", "YYYY-MM-DD", "last day, YYYY-MM-DD"),
    Column("value", "値", "数値（桁区切り・単位なし、負数は -）", "number: no separators, no unit, minus sign -"),
    Column("unit", "単位", "値の単位", "unit of the value"),
    Column("kind", "値の種類", "実績・推計値・計画", "actual, estimate or plan"),
    Column("provisional", "暫定", "1: 報告のそろっていない集計（暫定値）、0: 確定", "1: roll-up still missing units"),
    Column("as_of", "データ基準日時", "この時点のデータ（ISO 8601）", "the data as of this moment (ISO 8601)"),
    Column("data_version", "データ版", "データが変わるたびに変わる版", "changes whenever the data changes"),
)
HEADER = [c.ja for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


@dataclass(frozen=True)
class Edition:
    """Which data the files hold: the moment and the data version (both written into every file)."""

    as_of: datetime
    data_version: str


def licence_of(programme: Programme) -> Licence | None:
    return LICENCES.get(programme.licence)


def datasets(result: EvaluationResult) -> list[tuple[str, str]]:
    """(code, "indicator" | "series") of every series and indicator that has published values."""
    present = set(result.values.get_column("code").cast(pl.String).unique().to_list())
    p = result.programme
    return [(i.code, "indicator") for i in p.indicators if i.code in present] + [
        (s.code, "series") for s in p.series if s.code in present
    ]


def rows(result: EvaluationResult, edition: Edition, codes: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """One row per value (code × org unit × period), in dataset order, then org unit and period."""
    p = result.programme
    names = {s.code: (s.name, s.unit, "系列") for s in p.series} | {
        i.code: (i.name, i.unit, "指標") for i in p.indicators
    }
    units = {u.code: u.name for u in p.org_units}
    order = {code: n for n, (code, _kind) in enumerate(datasets(result))}
    frame = result.values.with_columns(pl.col("code", "org_unit", "period", "kind").cast(pl.String))
    if codes is not None:
        frame = frame.filter(pl.col("code").is_in(list(codes)))
    frame = frame.with_columns(pl.col("code").replace_strict(order, default=len(order)).alias("_order")).sort(
        ["_order", "org_unit", "fiscal_year", "grain", "index"], descending=[False, False, False, True, False]
    )
    as_of = edition.as_of.isoformat(timespec="seconds")
    found = []
    for code, org_unit, key, fiscal_year, kind, value, provisional in frame.select(
        "code", "org_unit", "period", "fiscal_year", "kind", "value", "provisional"
    ).iter_rows():
        name, unit, type_ = names[code]
        period = parse_period(key)
        found.append(
            {
                "municipality_code": p.municipality_code,
                "municipality": p.organisation,
                "programme": p.code,
                "code": code,
                "name": name,
                "type": type_,
                "org_unit": org_unit,
                "org_unit_name": units.get(org_unit, org_unit),
                "period": key,
                "fiscal_year": int(fiscal_year),
                "wareki": period.label(p.wareki_style, "ja"),
                "period_type": "上期"
                if key.endswith("H1")
                else "下期"
                if key.endswith("H2")
                else GRAIN_JA[period.grain],
                "start_date": period.start.isoformat(),
                "end_date": period.end.isoformat(),
                "value": to_decimal(value).normalize(),
                "unit": unit,
                "kind": kind_label(kind),
                "provisional": 1 if provisional else 0,
                "as_of": as_of,
                "data_version": edition.data_version,
            }
        )
    return found


def _cell(key: str, value: Any) -> str:
    if key == "value":
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def write_csv(found: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM, CRLF, one header row, text cells that look like formulas quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in found:
        writer.writerow([_cell(key, row[key]) for key in KEYS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _json_value(key: str, value: Any) -> Any:
    if key == "value":
        return float(value)
    return value


def dataset_description(programme: Programme, code: str) -> dict[str, Any]:
    series = programme.series_by_code().get(code)
    if series is not None:
        return {"code": code, "type": "series", "name": series.name, "name_en": series.name_en, "unit": series.unit}
    item = programme.indicator_by_code()[code]
    names = {s.code: s.name for s in programme.series} | {i.code: i.name for i in programme.indicators}
    return {
        "code": code,
        "type": "indicator",
        "name": item.name,
        "name_en": item.name_en,
        "unit": item.unit,
        "formula": describe(item.formula, names, "ja"),
    }


def licence_document(programme: Programme) -> dict[str, str] | None:
    found = licence_of(programme)
    return None if found is None else {"id": found.id, "name": found.name, "name_ja": found.name_ja, "url": found.url}


def write_json(programme: Programme, code: str | None, found: Iterable[dict[str, Any]], edition: Edition) -> bytes:
    """The same rows as the CSV, with the edition, licence and columns beside them (UTF-8, no BOM)."""
    document = {
        "programme": programme.code,
        "municipality_code": programme.municipality_code,
        "municipality": programme.organisation,
        "licence": licence_document(programme),
        "as_of": edition.as_of.isoformat(timespec="seconds"),
        "data_version": edition.data_version,
        "dataset": dataset_description(programme, code) if code else None,
        "columns": [{"key": c.key, "label": c.ja, "meaning": c.meaning_en} for c in COLUMNS],
        "rows": [{key: _json_value(key, row[key]) for key in KEYS} for row in found],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def readme(programme: Programme, edition: Edition, files: Sequence[str]) -> str:
    """README.md of the bulk ZIP: what the files are, the licence, and every column."""
    found = licence_of(programme)
    lines = [
        f"# {programme.organisation} {programme.name} — オープンデータ / open data",
        "",
        f"- 全国地方公共団体コード / local government code: {programme.municipality_code or '（未設定 / not set）'}",
        f"- ライセンス / licence: {found.name_ja} / {found.name} ({found.id}) {found.url}" if found else "- licence: —",
        f"- データ基準日時 / data as of: {edition.as_of.isoformat(timespec='seconds')}",
        f"- データ版 / data version: {edition.data_version}",
        "- 文字コード / encoding: CSV は UTF-8（BOM 付き）・改行 CRLF、JSON は UTF-8（BOM なし）",
        "  / CSV: UTF-8 with BOM, CRLF line ends; JSON: UTF-8 without BOM",
        "- 1行に1つの値（系列・指標 × 所属 × 期間）。数値は数値のまま、単位は「単位」列。",
        "  / one value per row (series or indicator × org unit × period); numbers as numbers, units in their column.",
        "",
        "## ファイル / files",
        "",
        "- `all.csv`, `all.json`: すべての値 / every value",
        "- `data/<コード>.csv`, `data/<コード>.json`: 系列・指標ごと / one per series or indicator",
        "- `catalog.jsonld`: データセットの目録（DCAT） / catalogue of the datasets (DCAT, JSON-LD)",
        f"- ({len(files)} files)",
        "",
        "## 列 / columns",
        "",
        "| 列（CSV） | JSON | 意味 | meaning |",
        "|---|---|---|---|",
        *(f"| {c.ja} | `{c.key}` | {c.meaning} | {c.meaning_en} |" for c in COLUMNS),
        "",
    ]
    return "\n".join(lines)


def bulk_zip(programme: Programme, result: EvaluationResult, edition: Edition, catalogue: dict[str, Any]) -> bytes:
    """Everything in one ZIP: all.csv/json, one CSV and JSON per dataset, catalog.jsonld, README.md."""
    everything = rows(result, edition)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in everything:
        by_code.setdefault(row["code"], []).append(row)
    files: dict[str, bytes] = {
        "all.csv": write_csv(everything),
        "all.json": write_json(programme, None, everything, edition),
    }
    for code, _type in datasets(result):
        files[f"data/{code}.csv"] = write_csv(by_code.get(code, []))
        files[f"data/{code}.json"] = write_json(programme, code, by_code.get(code, []), edition)
    files["catalog.jsonld"] = json.dumps(catalogue, ensure_ascii=False, indent=1).encode("utf-8")
    files["README.md"] = readme(programme, edition, [*files, "README.md"]).encode("utf-8")
    buffer = io.BytesIO()
    stamp = edition.as_of.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(f"{programme.code}/{name}", date_time=(max(stamp[0], 1980), *stamp[1:]))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
