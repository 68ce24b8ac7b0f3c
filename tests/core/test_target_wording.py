"""Highlight wording follows the target's direction: higher- and lower-is-better targets, met and missed.

A lower-is-better target met reads 「…を8,141人下回り、達成しました」, never 「上回りました」 (which reads as worse).
The sentences for Kobe and みなと市 are kept in tests/golden/target_wording.tsv (`pytest --update-golden`).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.highlights import Highlight, highlights_for, projection_highlights
from shihyo.core.model import Direction
from shihyo.core.overview import card
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import reconcile
from shihyo.core.targets import evaluate_targets
from shihyo.io.directory import read_programme_dir
from tests.conftest import KOBE

MINATO = KOBE.parent / "minato"
# (programme, indicator, fiscal year): met and missed, for both directions, on both programmes
CASES = [
    ("kobe", "smart_coverage", 2021),  # higher, met
    ("kobe", "print_volume", 2019),  # lower, missed
    ("kobe", "print_volume", 2021),  # lower, met
    ("kobe", "print_reduction_rate", 2021),  # lower (a negative rate), met
    ("kobe", "mnc_rate", 2021),  # higher, met; the R4 target projected short
    ("minato", "online_share", 2023),  # higher, missed
    ("minato", "overtime_per_capita", 2023),  # lower, missed on the binding path
    ("minato", "paper_sheets_value", 2023),  # lower, met
]


@pytest.fixture(scope="module")
def results() -> dict[str, EvaluationResult]:
    out = {}
    for code, path in (("kobe", KOBE), ("minato", MINATO)):
        ds = read_programme_dir(path)
        out[code] = evaluate(EvaluationRequest(ds.programme, revisions_frame(ds.observations)))
    return out


def sentences(result: EvaluationResult, code: str, year: int) -> list[Highlight]:
    from shihyo.core.overview import main_org_unit

    indicator = result.programme.indicator_by_code()[code]
    c = card(
        result,
        indicator,
        main_org_unit(result.programme),
        fiscal_year(year),
        evaluate_targets(result),
        reconcile(result),
    )
    return [h for h in highlights_for(c, result) if h.rule in ("target_exceeded", "behind_target")] + (
        projection_highlights(c, result)
    )


def test_wording_follows_the_direction(
    results: dict[str, EvaluationResult], golden: Callable[[str, str], None]
) -> None:
    lines = []
    for programme, code, year in CASES:
        result = results[programme]
        found = sentences(result, code, year)
        assert found, (programme, code, year)
        direction = result.programme.targets_of(code)[0].direction
        for h in found:
            lines.append(f"{programme}\t{code}\t{year}\t{h.rule}\t{h.text_ja}\t{h.text_en}")
            if h.rule == "target_exceeded":
                side_ja, side_en = ("下回り", "below") if direction is Direction.LOWER else ("上回り", "above")
                assert side_ja in h.text_ja and "達成しました" in h.text_ja and side_en in h.text_en
                assert "met." in h.text_en
            if h.rule == "behind_target":
                assert "達成していません" in h.text_ja or "届いていません" in h.text_ja
                assert "not met" in h.text_en
                if direction is Direction.LOWER:
                    assert "上回っており" in h.text_ja and "above" in h.text_en
            # every sentence keeps the figures it was written from
            assert h.figures and all(f.code == code for f in h.figures)
    golden("target_wording.tsv", "\n".join(lines) + "\n")


def test_a_projection_short_of_the_target_says_so(results: dict[str, EvaluationResult]) -> None:
    found = {h.rule: h for h in sentences(results["kobe"], "mnc_rate", 2021)}
    short = found["projection_short"]
    assert short.text_ja == (
        "マイナンバーカード交付率は、このままのペースではR4年度目標75.0%に届かない見込みです（予測65.4%、直線トレンド）。"
    )
    assert [f.period.fiscal_year for f in short.figures] == [2019, 2020, 2021]  # the actuals the trend is fitted to
