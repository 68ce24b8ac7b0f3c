"""Programme text that a spreadsheet would run as a formula (=, +, -, @, a leading tab, full-width ＝, a cell
reference) stays text in the report workbook, in the workbooks embedded in the deck's charts, and in the CSV
the CLI writes: read back, no cell holds a formula and every hostile name is there as a string."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]  # no stubs
import pytest

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import reconcile
from shihyo.core.report import build_report
from shihyo.core.targets import evaluate_targets
from shihyo.io.cells import looks_like_formula, neutralise
from shihyo.io.directory import read_programme_dir
from shihyo.reports.build import write_reports
from tests.conftest import KOBE

HOSTILE = ("=1+2", "@SUM(A1)", "\t=cmd|' /C calc'!A0", '＝HYPERLINK("x")', "+81-3-1234", "-2+3", "Sheet1!A1")


def _prefix(n: int) -> str:
    return HOSTILE[0] if n % 2 else HOSTILE[(n // 2) % len(HOSTILE)]  # every other name a plain =formula


def hostile(dataset: Dataset) -> Dataset:
    """Every indicator and series renamed to a formula-looking text followed by its own name."""
    programme = dataset.programme
    indicators = tuple(replace(i, name=f"{_prefix(n)} {i.name}") for n, i in enumerate(programme.indicators))
    series = tuple(replace(s, name=f"{_prefix(n)} {s.name}") for n, s in enumerate(programme.series))
    return replace(dataset, programme=replace(programme, indicators=indicators, series=series))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dataset = hostile(read_programme_dir(KOBE))
    result = evaluate(EvaluationRequest(dataset.programme, revisions_frame(dataset.observations)))
    model = build_report(
        result, evaluate_targets(result), reconcile(result), fiscal_year(2021), lang="ja", as_of_label="2022-07-01"
    )
    out = tmp_path_factory.mktemp("report")
    paths = write_reports(model, ["xlsx", "pptx"], out, "hostile")
    return {p.suffix.lstrip("."): p for p in paths}


def _strings_and_formulas(book: openpyxl.Workbook) -> tuple[list[str], list[str]]:
    strings, formulas = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
                elif isinstance(cell.value, str):
                    strings.append(cell.value)
    return strings, formulas


def test_the_report_workbook_holds_the_names_as_text(written: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    strings, formulas = _strings_and_formulas(book)
    assert formulas == []
    for text in HOSTILE:
        assert any(s.startswith(text) for s in strings), text
    quoted = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and looks_like_formula(cell.value)
    ]
    assert quoted and all(cell.quotePrefix for cell in quoted)  # Excel shows them as typed, never runs them


def test_the_report_workbooks_charts_take_no_name_for_a_cell_reference(written: dict[str, Path]) -> None:
    with zipfile.ZipFile(written["xlsx"]) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart")]
    assert charts
    for chart in charts:
        references = re.findall(r"<c:f>([^<]*)</c:f>", chart)
        assert not [r for r in references if "Sheet1" in r], references  # only the data sheets' own ranges


def test_the_decks_chart_workbooks_hold_the_names_as_text(written: dict[str, Path]) -> None:
    with zipfile.ZipFile(written["pptx"]) as deck:
        embedded = [deck.read(n) for n in deck.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
    assert embedded
    names: list[str] = []
    for data in embedded:
        strings, formulas = _strings_and_formulas(openpyxl.load_workbook(io.BytesIO(data)))
        assert formulas == []
        names += strings
    assert any(n.startswith("=") for n in names)  # what xlsxwriter's write() would have made a formula


@pytest.mark.db
@pytest.mark.django_db
def test_the_cli_csv_quotes_formula_looking_text(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shihyo import cli
    from shihyo.core import clock
    from shihyo.web.catalogue.evaluation import clear_cache
    from shihyo.web.catalogue.repository import save_dataset

    save_dataset(hostile(read_programme_dir(KOBE)), now=clock.now(), recorded_by="test")
    clear_cache()
    output = tmp_path / "r3.csv"
    done = CliRunner().invoke(cli.app, ["compute", "--period", "R3", "--format", "csv", "--output", str(output)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    names = {row["name"] for row in rows}
    assert names and not [n for n in names if looks_like_formula(n)]
    assert {neutralise(f"{text} ")[:3] for text in HOSTILE} & {n[:3] for n in names}
    values = [row["value"] for row in rows]
    assert any(v.startswith("-") for v in values)  # negative figures stay plain numbers
    assert all(not v.startswith("'") for v in values)
