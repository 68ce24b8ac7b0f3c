"""The report shows both values where a published figure differs from its recomputation, and says why."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.clock import TOKYO
from shihyo.core.engine import EvaluationResult
from shihyo.core.model import ShowPolicy
from shihyo.core.official import Decision, resolve
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Basis, reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets
from shihyo.reports.pdf.dump import pdf_text
from shihyo.reports.pdf.render import write_pdf
from tests.reports.test_pdf import needs_poppler

CORRECTION = Decision(
    "overtime_monthly_avg",
    "kobe",
    fiscal_year(2017),
    Basis.ACTUAL,
    ShowPolicy.RECOMPUTED,
    "総時間÷人数÷12で訂正",
    "office",
    datetime(2026, 12, 2, 10, tzinfo=TOKYO),
)


def _overtime_page(report: Report) -> tuple[str, ...]:
    (page,) = [p for p in report.indicator_pages if p.card.indicator.code == "overtime_monthly_avg"]
    return page.footnotes


def test_by_default_the_report_notes_the_published_h29_overtime_beside_the_recomputation(
    reports: dict[str, Report],
) -> None:
    ja, en = _overtime_page(reports["ja"]), _overtime_page(reports["en"])
    assert any(n.startswith("※H29：公表値16.2と再計算値16.1") and "方針により公表値を表示" in n for n in ja)
    assert any(n.startswith("※FY2017: Published 16.2 and recomputed 16.1") for n in en)


def _with_correction(result: EvaluationResult, lang: str) -> Report:
    found = reconcile(result)
    resolutions = resolve(found, (CORRECTION,), result.programme.show_when_differs)
    return build_report(
        result, evaluate_targets(result), found, fiscal_year(2021), lang=lang, as_of_label="x", resolutions=resolutions
    )


@needs_poppler
def test_a_correction_reads_in_the_pdf_with_who_when_and_why(result: EvaluationResult, tmp_path: Path) -> None:
    text = re.sub(r"\s+", "", pdf_text(write_pdf(_with_correction(result, "ja"), tmp_path / "kobe.pdf")))
    assert "※H29：公表値16.2を再計算値16.1（1,971,477÷10,227÷12=16.0643）に訂正しました。" in text
    assert "office、2026-12-02決定。理由:総時間÷人数÷12で訂正" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_and_its_model_agree(result: EvaluationResult, lang: str) -> None:
    notes = _overtime_page(_with_correction(result, lang))
    assert len([n for n in notes if "16.2" in n]) == 1


MARKED = re.compile(r"※\d+")


def test_every_summary_format_shows_the_official_figure_and_its_note(
    reports: dict[str, Report], tmp_path: Path
) -> None:
    """The PowerPoint summary slides: each ※n cell has its note on the same slide; the workbook lists the notes."""
    import openpyxl  # type: ignore[import-untyped]
    from pptx import Presentation

    from shihyo.reports.pptx.render import write_pptx
    from shihyo.reports.xlsx.render import write_xlsx

    report = reports["ja"]
    notes = report.summary_notes
    assert notes and all(n.startswith(f"※{i} ") for i, n in enumerate(notes, 1))
    deck = Presentation(str(write_pptx(report, tmp_path / "kobe.pptx")))
    seen: list[str] = []
    for slide in deck.slides:
        tables = [s for s in slide.shapes if s.has_table]
        marks = {m for t in tables for row in t.table.rows for c in row.cells for m in MARKED.findall(c.text)}
        noted = [s.text_frame.text for s in slide.shapes if s.name == "Notes"]
        on_slide = {n.split(" ", 1)[0] for text in noted for n in text.split("\n")}
        if marks:
            assert marks == on_slide, (marks, on_slide)
            seen += sorted(marks)
    assert sorted(seen) == sorted(n.split(" ", 1)[0] for n in notes)
    ws = openpyxl.load_workbook(write_xlsx(report, tmp_path / "kobe.xlsx"))["主要指標一覧表"]
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert [t for t in texts if MARKED.match(t)] == list(notes)
    formats = [MARKED.findall(c.number_format) for r in ws.iter_rows() for c in r if c.data_type == "n"]
    assert [f[0] for f in formats if f] == [n.split(" ", 1)[0] for n in notes]  # 16.2※2: the mark after the number


def test_the_cards_change_against_h29_is_taken_between_the_figures_it_shows(result: EvaluationResult) -> None:
    """Kept at the published 16.2 (the default policy), H29 monthly overtime gives R3 15.8 − 16.2 = ▲0.4 on the
    card; once the office adopts the recomputation (16.06), the card's change follows it."""
    from shihyo.core.overview import card

    def vs_base(decisions: tuple[Decision, ...]) -> Decimal:
        found = reconcile(result)
        resolutions = resolve(found, decisions, result.programme.show_when_differs)
        ind = result.programme.indicator_by_code()["overtime_monthly_avg"]
        shown = card(result, ind, "kobe", fiscal_year(2021), evaluate_targets(result), found, resolutions)
        assert shown.latest is not None and shown.vs_base is not None
        return shown.latest.value - shown.vs_base.absolute  # the H29 figure the change is taken from

    assert vs_base(()) == Decimal("16.2")
    assert round(vs_base((CORRECTION,)), 4) == round(Decimal(1971477) / 10227 / 12, 4)
