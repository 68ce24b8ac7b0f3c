"""The office's commentary and the progress of measures in every format of the report, set apart from what
shihyo generates: the PDF's pages, the deck's slides, the workbook's sheets."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]  # no stubs
import pytest
from pptx import Presentation

from shihyo.core.commentary import MeasureProgress, Notes, Progress
from shihyo.core.engine import EvaluationResult
from shihyo.core.model import Dataset
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets
from shihyo.reports.pdf.render import write_pdf
from shihyo.reports.pptx.render import write_pptx
from shihyo.reports.xlsx.render import write_xlsx

ISSUES = (
    "市民の利用促進",
    "業務フローの抜本的見直し(BPR)",
    "事務処理の集中化(BPO)・自動化",
    "全庁的デジタルリテラシー底上げ",
)


@pytest.fixture(scope="module")
def with_progress(kobe_dataset: Dataset, result: EvaluationResult) -> Report:
    """Kobe's report with the progress of two measures recorded: one in R3, one carried over from R2."""
    progress = (
        MeasureProgress("P1.A1.M1", fiscal_year(2021), Progress.IN_PROGRESS, "e-KOBE稼働"),
        MeasureProgress("P1.A1.M1.T1", fiscal_year(2020), Progress.DONE),
    )
    notes = Notes(kobe_dataset.notes.commentary, progress)
    return build_report(
        result, evaluate_targets(result), reconcile(result), fiscal_year(2021), lang="ja", notes=notes
    )


def test_the_model_carries_the_published_commentary_of_the_period(reports: dict[str, Report]) -> None:
    report = reports["ja"]
    page = next(p for p in report.indicator_pages if p.card.indicator.code == "smart_coverage")
    assert page.commentary is not None and page.commentary.issues == ISSUES
    assert report.commentary is not None and "R3年度ハイライト" in report.commentary.findings
    later = replace(report, period=fiscal_year(2022))
    assert later.progress_text("P1.A1.M1") == ""  # nothing recorded at all


def test_the_pdf_prints_the_commentary_labelled_as_written(with_progress: Report, tmp_path: Path) -> None:
    path = write_pdf(with_progress, tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "事務局の所見" in flat and "事務局が記載（数値から自動生成したものではありません）" in flat
    assert "数値から自動生成" in flat  # the generated highlights say so too
    for issue in ISSUES:
        assert "".join(issue.split()) in flat
    assert "実施中" in flat and "完了（R2年度）" in flat  # the measures table with the states


def test_the_deck_has_a_slide_of_commentary_after_its_indicator(with_progress: Report, tmp_path: Path) -> None:
    prs = Presentation(str(write_pptx(with_progress, tmp_path / "r.pptx")))
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    (number,) = [n for n, t in enumerate(texts) if "所見：行政手続スマート化カバー率" in t]
    assert "行政手続スマート化カバー率" in texts[number - 1]  # the indicator's own slide comes first
    assert all(issue in texts[number] for issue in ISSUES) and "事務局が記載" in texts[number]
    tables = [
        cell.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert any("行政手続きの電子化" in t and "［実施中］" in t for t in tables)
    assert any("［完了（R2年度）］" in t for t in tables)


def test_the_workbook_has_one_row_per_item_and_the_measures_with_progress(
    with_progress: Report, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(write_xlsx(with_progress, tmp_path / "r.xlsx"))
    rows = list(book["所見"].iter_rows(min_row=2, values_only=True))
    issues = [r[5] for r in rows if r[0] == "smart_coverage" and r[3] == "課題"]
    assert tuple(issues) == ISSUES
    assert [r[4] for r in rows if r[0] == "smart_coverage" and r[3] == "課題"] == [1, 2, 3, 4]
    assert any(r[0] in (None, "") and "R3年度ハイライト" in r[5] for r in rows)  # the programme as a whole
    measures = list(book["主要施策一覧表"].iter_rows(min_row=2, values_only=True))
    assert ("行政手続きの電子化", "実施中") in {(r[2], r[5]) for r in measures if not r[3]}
    assert any(r[5] == "完了（R2年度）" for r in measures)
