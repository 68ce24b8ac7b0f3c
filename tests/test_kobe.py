"""Kobe's 2022 roadmap report, recomputed from raw inputs.

Every figure the report prints is a `reported` observation; each must be reproduced at its published
precision, except the report's own inconsistencies, which are listed in the reviewed golden file
tests/golden/kobe_reconciliation.csv (regenerate with `pytest --update-golden`, review the diff).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import pytest

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import PUBLISHED_KINDS, Dataset
from shihyo.core.numbers import parse_japanese_number
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Reconciliation, Verdict, reconcile, round_to_precision
from shihyo.core.tables import indicator_rows, reconciliation_rows, target_rows
from shihyo.core.targets import Status, Trend, evaluate_targets, latest_evaluation, streak
from shihyo.io.directory import read_programme_dir
from tests.conftest import KOBE

Golden = Callable[[str, str], None]


@pytest.fixture(scope="module")
def kobe() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture(scope="module")
def result(kobe: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(kobe.programme, revisions_frame(kobe.observations)))


@pytest.fixture(scope="module")
def found(result: EvaluationResult) -> tuple[Reconciliation, ...]:
    return reconcile(result)


def as_csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_every_published_figure_is_reconciled(kobe: Dataset, found: tuple[Reconciliation, ...]) -> None:
    published = [o for o in kobe.observations if o.kind in PUBLISHED_KINDS]
    assert len(found) == len(published) > 350
    agree = sum(r.verdict is Verdict.AGREES for r in found)
    # most of the report is reproduced exactly; the rest is listed and reviewed in the golden file
    assert agree / len(found) > 0.9


def test_reconciliation_matches_the_reviewed_list(
    found: tuple[Reconciliation, ...], result: EvaluationResult, golden: Golden
) -> None:
    golden("kobe_reconciliation.csv", as_csv(reconciliation_rows(found, result)))


def test_h29_overtime_is_flagged_with_its_working(found: tuple[Reconciliation, ...]) -> None:
    rows = [r for r in found if r.code == "overtime_monthly_avg" and r.period == fiscal_year(2017)]
    assert rows and all(r.verdict is Verdict.DIFFERS for r in rows)
    assert {r.reported for r in rows} == {Decimal("16.2")}
    assert all(r.computed_rounded == Decimal("16.1") for r in rows)
    assert rows[0].working == "1,971,477 ÷ 10,227 ÷ 12 = 16.0643"


@pytest.mark.parametrize(
    ("code", "period", "printed"),
    [
        ("print_reduction_rate", 2019, "▲14.7"),  # each year against the H29 base as restated that year
        ("print_reduction_rate", 2020, "▲34.3"),
        ("print_reduction_rate", 2021, "▲44.1"),
        ("mnc_rate_pt_change", 2021, "16.2"),  # the report writes ％; it is points
        ("smart_coverage", 2021, "35.2"),  # 1,016,425 ÷ 289万
        ("cert_counter_vs_base_pct", 2021, "▲33"),
        ("sb_total_vs_base_abs", 2021, "▲92万"),  # 92万件 fewer transfers
        ("sb_phone_time_saved", 2021, "76,831"),  # × 5 minutes ÷ 60; the report prints 約76,600
    ],
)
def test_signature_figures(result: EvaluationResult, code: str, period: int, printed: str) -> None:
    value = result.value(code, "kobe", fiscal_year(period))
    expected = parse_japanese_number(printed)
    assert value is not None and round_to_precision(value, expected.precision) == expected.value


def test_indicator_table_snapshot(result: EvaluationResult, golden: Golden) -> None:
    golden("kobe_indicators.csv", as_csv(indicator_rows(result)))


def test_targets(result: EvaluationResult, golden: Golden) -> None:
    evaluations = evaluate_targets(result)
    golden("kobe_targets.csv", as_csv(target_rows(evaluations, result)))
    r3 = fiscal_year(2021)
    printing = latest_evaluation(evaluations, "print_reduction_rate", "kobe", r3)
    assert printing is not None and printing.status is Status.ACHIEVED
    assert round_to_precision(printing.margin, Decimal("0.1")) == Decimal("14.7")  # 目標を14.7ポイント超過
    assert printing.years_ahead == 2  # 2年前倒し
    paternity = latest_evaluation(evaluations, "paternity_leave_rate", "kobe", r3)
    assert paternity is not None and paternity.met_final and paternity.margin.quantize(Decimal("0.1")) == Decimal("6.8")
    cards = latest_evaluation(evaluations, "mnc_rate", "kobe", r3)
    assert cards is not None and cards.status is Status.ACHIEVED  # 目標50％を上回る51.1％
    assert all(e.org_unit == "kobe" for e in evaluations)  # benchmarks are never judged against Kobe's targets


def test_interpolated_points_are_guides_not_targets_the_city_set(result: EvaluationResult) -> None:
    """H30 has no マイナンバーカード target: 23.1% is a guide; the status waits for the R3 target the city set."""
    evaluations = evaluate_targets(result)
    h30 = latest_evaluation(evaluations, "mnc_rate", "kobe", fiscal_year(2018))
    assert h30 is not None and h30.period == fiscal_year(2018)
    assert h30.status is Status.NOT_DUE and h30.judged_set
    assert (h30.compared_period, h30.compared_with) == (fiscal_year(2021), Decimal(50))
    assert h30.guide is not None and round_to_precision(h30.guide, Decimal("0.1")) == Decimal("23.1")
    rows = [r for r in target_rows(evaluations, result) if r["indicator"] == "mnc_rate" and r["period"] == "H30"]
    assert [(r["target_period"], r["target"], r["target_kind"], r["guide"]) for r in rows] == [
        ("R3", "50.0%", "設定目標", "目安（直線補間） 23.1%")
    ]
    # every row's judged target is either a set point of its target or marked as the interpolated path
    set_points = {(t.indicator, p.period.fiscal_year) for t in result.programme.targets for p in t.points}
    for e in evaluations:
        assert e.judged_set == ((e.indicator, e.compared_period.fiscal_year) in set_points)


def test_grades_follow_the_progress_rate(result: EvaluationResult) -> None:
    evaluations = evaluate_targets(result)
    r3 = latest_evaluation(evaluations, "cert_counter", "kobe", fiscal_year(2021))
    assert r3 is not None and r3.progress is not None and r3.grade is not None
    base = result.value("cert_counter", "kobe", fiscal_year(2017))
    assert base is not None
    # 進捗率 = (実績 − 基準) ÷ (目標 − 基準): towards R4's 43 % reduction
    assert r3.progress == (r3.value - base) / (base * Decimal("0.57") - base) * 100
    assert round_to_precision(r3.progress, Decimal("0.1")) == Decimal("77.0") and r3.grade.grade == "B"


def test_projection_table_snapshot(result: EvaluationResult, golden: Golden) -> None:
    from shihyo.core.projection import Outlook, project_targets
    from shihyo.core.projection_table import projection_rows

    found = project_targets(result, fiscal_year(2021))
    golden("kobe_projections.csv", as_csv(projection_rows(found, result)))
    mnc = next(p for p in found if p.indicator == "mnc_rate")
    assert mnc.outlook is Outlook.ACCELERATION_NEEDED and mnc.will_meet is False  # R4 75 % is out of reach
    smart = [p for p in found if p.indicator == "smart_coverage"]
    assert smart and all(p.outlook is Outlook.NOT_PROJECTED and p.projected is None for p in smart)  # 2 actuals < 3


def test_overtime_rebounds_after_four_years_and_the_720_hour_count_rises_two_years_running(
    result: EvaluationResult,
) -> None:
    rebound = streak(result, "overtime_monthly_avg", "kobe", fiscal_year(2021), change_code="overtime_monthly_avg_yoy")
    assert rebound is not None and rebound.trend is Trend.INCREASE and rebound.years == 1
    assert rebound.reversal_after == 4 and rebound.uses_reported  # 4年ぶりに増加 (H29's decrease is published only)
    rising = streak(result, "overtime_720", "kobe", fiscal_year(2021))
    assert rising is not None and rising.trend is Trend.INCREASE and rising.years == 2  # 2年連続で増加


def test_highlights_reproduce_the_reports_sentences(result: EvaluationResult, golden: Golden) -> None:
    from shihyo.core.highlights import effect_highlights, highlights_for, largest_change
    from shihyo.core.overview import overview

    groups = overview(result, evaluate_targets(result), reconcile(result), fiscal_year(2021))
    cards = [c for g in groups for c in g.cards]
    found = [h for c in cards for h in highlights_for(c, result)]
    found += largest_change(cards, result) + effect_highlights(result, "kobe", fiscal_year(2021))
    text = "\n".join(f"{h.rule}\t{h.code}\t{h.text_ja}\t{h.text_en}" for h in found) + "\n"
    golden("kobe_highlights.tsv", text)
    japanese = "\n".join(h.text_ja for h in found)
    assert "4年ぶりに増加" in japanese  # 平均超過時間は…4年ぶりにリバウンド
    assert "年720時間超過者数はR3年度に220人となり、2年連続で増加" in japanese
    # 目標を14.7％超過 — in points, and for a lower-is-better target in the words of its direction
    assert "目標▲29.4%を14.7ポイント下回り、達成しました" in japanese
    assert "（2年前倒し）" in japanese
    assert "R6年度の目標（30.0%）を既に達成" in japanese and "6.8ポイント上回り、達成しました" in japanese
    for h in found:  # every sentence is traceable to the engine's figures
        for f in h.figures:
            assert result.value(f.code, f.org_unit, f.period) == f.value
