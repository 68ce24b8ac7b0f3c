"""The report's text in each wareki style and for a half year (golden PDF text dumps, `pytest --update-golden`).

- Kobe FY2021 with FY2019 written 令和元年度: every heading names the year once (令和3年度, never 令和3年度年度),
  months in the same style;
- minato FY2023 上期: the half's own figures, compared with 上期 a year before (前年同期比), headed 令和5年度上期
  in its R1 style as "R5年度上期".
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from shihyo import examples
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.periods import WarekiStyle, fiscal_year, half
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets
from shihyo.io.directory import read_programme_dir
from shihyo.reports.pdf.dump import pdf_text
from shihyo.reports.pdf.render import write_pdf
from tests.conftest import KOBE

Golden = Callable[[str, str], None]
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def evaluated(directory: Path, style: WarekiStyle | None = None) -> EvaluationResult:
    dataset = read_programme_dir(directory)
    programme = dataset.programme if style is None else replace(dataset.programme, wareki_style=style)
    return evaluate(EvaluationRequest(programme, revisions_frame(dataset.observations)))


def report_of(result: EvaluationResult, period_key: str, lang: str = "ja") -> Report:
    period = (
        fiscal_year(int(period_key[2:6])) if len(period_key) == 6 else half(int(period_key[2:6]), int(period_key[-1]))
    )
    return build_report(
        result,
        evaluate_targets(result),
        reconcile(result),
        period,
        lang=lang,
        as_of_label="2024-11-01",
        data_version="test",
    )


@pytest.fixture(scope="module")
def kobe_kanji() -> Report:
    return report_of(evaluated(KOBE, WarekiStyle.KANJI), "FY2021")


@pytest.fixture(scope="module")
def minato_half() -> Report:
    return report_of(evaluated(examples.path("minato")), "FY2023H1")


def test_the_kanji_style_names_the_year_once(kobe_kanji: Report) -> None:
    assert kobe_kanji.period_label == "令和3年度"
    assert kobe_kanji.subtitle == "令和3年度実績"
    assert kobe_kanji.years[0] == "平成29年度" and kobe_kanji.years[2] == "令和元年度"
    sentences = [h.text("ja") for h in kobe_kanji.key_highlights] + [
        f.text for p in kobe_kanji.indicator_pages for f in p.facts
    ]
    assert sentences and not any("年度年度" in s for s in sentences)


def test_a_half_year_report_shows_the_halfs_figures(minato_half: Report) -> None:
    assert minato_half.period_label == "R5年度上期"
    assert minato_half.label("previous") == "前年同期比"
    latest = {p.card.indicator.code: p.card.latest for p in minato_half.indicator_pages}
    shown = [point for point in latest.values() if point is not None]
    assert shown and all(point.period == half(2023, 1) for point in shown)
    for page in minato_half.indicator_pages:
        assert page.facts[1].label == "前年同期比"


@needs_poppler
def test_kanji_style_pdf_text(kobe_kanji: Report, tmp_path: Path, golden: Golden) -> None:
    text = pdf_text(write_pdf(kobe_kanji, tmp_path / "kobe_kanji.pdf"))
    assert "年度年度" not in text and not re.search(r"\bH[0-9]+年[0-9]+月", text)
    assert "令和3年度実績" in re.sub(r"\s+", "", text)
    golden("report_kobe_pdf_ja_kanji.txt", text)


@needs_poppler
def test_half_year_pdf_text(minato_half: Report, tmp_path: Path, golden: Golden) -> None:
    text = pdf_text(write_pdf(minato_half, tmp_path / "minato_half.pdf"))
    flat = re.sub(r"\s+", "", text)
    assert "R5年度上期実績" in flat and "上期年度" not in flat and "前年同期比" in flat
    golden("report_minato_pdf_ja_half.txt", text)
