"""The department's files: the Excel template (locked labels, validated inputs, previous values) and CSV."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]  # no stubs

from shihyo.core.collection import RoundSpec
from shihyo.core.model import Dataset
from shihyo.core.periods import parse_period
from shihyo.core.problems import Problem
from shihyo.io.submissions import Template, TemplateRow, read_csv, read_template, write_csv, write_template

H1 = parse_period("R4上期")
EXPECTED = {"programme": "mini", "round": "r4-h1", "org_unit": "ward_a"}


def template(dataset: Dataset, name_of_online: str = "電子申請件数") -> Template:
    series = dataset.programme.series_by_code()
    online = replace(series["online"], name=name_of_online)
    rows = (
        TemplateRow(online, H1, "R4年度上期", Decimal(800), "R3年度下期", "1,000", "増加"),
        TemplateRow(series["rate"], H1, "R4年度上期", None, "R3年度下期"),
    )
    spec = RoundSpec("r4-h1", "R4年度上期", ("online", "rate"), (H1,), ("city", "ward_a"))
    return Template("mini", "テスト", spec, "ward_a", "A区", date(2022, 10, 31), 3, rows)


def test_the_template_locks_labels_and_validates_inputs(dataset: Dataset) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_template(template(dataset))))
    sheet = book["提出"]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[7]][:9] == [
        "online",
        "FY2022H1",
        "電子申請件数",
        "件",
        "R4年度上期",
        "R3年度下期",
        800,
        1000,
        "増加",
    ]
    assert sheet["C7"].protection.locked and not sheet["H7"].protection.locked and not sheet["I7"].protection.locked
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["H7"] == "OR(ISTEXT(H7),AND(H7>=0,H7=INT(H7)))", "counts: whole and not negative"
    assert rules["H8"] == "OR(ISTEXT(H8),AND(H8>=0,H8<=100))", "shares: 0–100"
    assert sheet["G7"].number_format == '#,##0;"▲"#,##0'
    assert book["shihyo"].sheet_state == "veryHidden"


def test_a_filled_template_reads_back_with_its_cells(dataset: Dataset) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_template(template(dataset))))
    book["提出"]["H7"] = "▲1,200"
    book["提出"]["H8"] = 36.8
    out = io.BytesIO()
    book.save(out)
    problems: list[Problem] = []
    upload = read_template(out.getvalue(), "a.xlsx", EXPECTED, problems)
    assert problems == [] and upload.version == 3
    assert [(i.code, i.text, i.comment, i.where) for i in upload.inputs] == [
        ("online", "▲1,200", "増加", "H7"),
        ("rate", "36.8", "", "H8"),
    ]


def test_formula_looking_text_is_neutralised_in_the_template_and_the_csv(dataset: Dataset) -> None:
    hostile = '=HYPERLINK("http://evil.example","click")'
    book = openpyxl.load_workbook(io.BytesIO(write_template(template(dataset, hostile))))
    cell = book["提出"]["C7"]
    assert cell.data_type == "s" and cell.value == "'" + hostile
    text = write_csv(template(dataset, hostile)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert text.endswith("\r\n")


def test_the_csv_template_reads_back(dataset: Dataset) -> None:
    problems: list[Problem] = []
    upload = read_csv(write_csv(template(dataset)), "a.csv", problems)
    assert problems == []
    assert [(i.code, i.period.key, i.text, i.comment, i.line) for i in upload.inputs] == [
        ("online", "FY2022H1", "1,000", "増加", 2),
        ("rate", "FY2022H1", "", "", 3),
    ]


def test_a_csv_with_a_wrong_header_says_what_the_header_is(dataset: Dataset) -> None:
    problems: list[Problem] = []
    read_csv("系列,値\r\nonline,1\r\n".encode("cp932"), "a.csv", problems)
    assert len(problems) == 1 and problems[0].line == 1
    assert "code,period,name,unit,previous,value,comment" in problems[0].hint_ja
