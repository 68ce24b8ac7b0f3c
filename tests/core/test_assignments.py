"""Who reports what, and roll-ups that say how complete they are (series with `reported_by`)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shihyo.core import assignments
from shihyo.core.completeness import completeness, describe
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.indicators import Indicator, Share, SumOf
from shihyo.core.model import (
    Area,
    Dataset,
    Observation,
    ObservationKind,
    OrgUnit,
    OrgUnitKind,
    Pillar,
    Programme,
    Series,
)
from shihyo.core.periods import half, parse_period
from shihyo.core.report import build_report
from shihyo.core.targets import evaluate_targets

UNITS = (
    OrgUnit("city", "市", OrgUnitKind.CITY),
    OrgUnit("ward_a", "A区", OrgUnitKind.WARD, "city"),
    OrgUnit("ward_b", "B区", OrgUnitKind.WARD, "city"),
    OrgUnit("ward_c", "C区", OrgUnitKind.WARD, "city"),
    OrgUnit("finance", "財政局", OrgUnitKind.BUREAU, "city"),
    OrgUnit("budget", "予算課", OrgUnitKind.DEPARTMENT, "finance"),
    OrgUnit("tax", "税務課", OrgUnitKind.DEPARTMENT, "finance"),
    OrgUnit("pr", "広報課", OrgUnitKind.DEPARTMENT, "city"),
    OrgUnit("national", "全国", OrgUnitKind.BENCHMARK),
)


def series(code: str, *reported_by: str) -> Series:
    return Series(code, code, "件", reported_by=reported_by)


PROGRAMME = Programme(
    code="t",
    name="テスト",
    org_units=UNITS,
    series=(
        series("certs", "ward"),
        series("online", "ward"),
        series("overtime", "department"),
        series("page_views", "pr"),
        series("city_only"),
        series("wards_and_city", "ward", "city"),
    ),
    indicators=(
        Indicator("all_certs", "合計", "件", 0, SumOf(("certs", "online"))),
        Indicator("online_share", "割合", "%", 1, Share("online", "all_certs")),
    ),
)


def test_reporters_by_kind_code_and_default() -> None:
    by = PROGRAMME.series_by_code()
    assert assignments.reporters(PROGRAMME, by["certs"]) == ("ward_a", "ward_b", "ward_c")
    # departments report, wherever they sit; the bureau and the city get roll-ups
    assert assignments.reporters(PROGRAMME, by["overtime"]) == ("budget", "tax", "pr")
    assert assignments.reporters(PROGRAMME, by["page_views"]) == ("pr",)
    assert assignments.reporters(PROGRAMME, by["city_only"]) == ("city",)  # the top unit, benchmarks never
    # a unit whose descendants match never reports itself: the city is covered by its wards
    assert assignments.reporters(PROGRAMME, by["wards_and_city"]) == ("ward_a", "ward_b", "ward_c")
    assert assignments.rolled_up_units(PROGRAMME, by["overtime"]) == {
        "finance": ("budget", "tax"),
        "city": ("budget", "tax", "pr"),
    }


def test_a_unit_is_asked_only_for_what_it_reports() -> None:
    assert assignments.series_reported_by(PROGRAMME, "ward_b") == ("certs", "online", "wards_and_city")
    assert assignments.series_reported_by(PROGRAMME, "pr") == ("overtime", "page_views")
    assert assignments.series_reported_by(PROGRAMME, "finance") == ()
    assert assignments.series_reported_by(PROGRAMME, "city") == ("city_only",)


def test_unknown_entries_are_named() -> None:
    bad = series("x", "ward", "wrad", "national", "benchmark")
    assert assignments.unknown_entries(PROGRAMME, bad) == ["wrad", "national", "benchmark"]  # benchmarks never report


def observation(code: str, org: str, period: str, value: int) -> Observation:
    return Observation(code, org, parse_period(period), ObservationKind.ACTUAL, Decimal(value), str(value), Decimal(1))


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    rows = [
        # H1: all three wards are in; H2: only ward_a and ward_b
        observation("certs", "ward_a", "FY2022H1", 100),
        observation("certs", "ward_b", "FY2022H1", 200),
        observation("certs", "ward_c", "FY2022H1", 300),
        observation("certs", "ward_a", "FY2022H2", 110),
        observation("certs", "ward_b", "FY2022H2", 220),
        observation("online", "ward_a", "FY2022H1", 10),
        observation("online", "ward_b", "FY2022H1", 20),
        observation("online", "ward_c", "FY2022H1", 30),
        observation("online", "ward_a", "FY2022H2", 11),
        observation("online", "ward_b", "FY2022H2", 22),
        observation("online", "ward_c", "FY2022H2", 33),
        observation("overtime", "budget", "FY2022", 5),
    ]
    dataset = Dataset(PROGRAMME, tuple(rows))
    return evaluate(EvaluationRequest(dataset.programme, revisions_frame(dataset.observations)))


def provisional(result: EvaluationResult, code: str, org: str, period: str) -> bool:
    rows = result.values.filter(
        (result.values["code"] == code) & (result.values["org_unit"] == org) & (result.values["period"] == period)
    )
    assert rows.height == 1, (code, org, period)
    return bool(rows.item(0, "provisional"))


def test_a_complete_roll_up_is_final(result: EvaluationResult) -> None:
    assert result.value("certs", "city", half(2022, 1)) == 600
    assert not provisional(result, "certs", "city", "FY2022H1")
    assert not provisional(result, "certs", "ward_a", "FY2022H1")


def test_a_partial_roll_up_is_shown_and_marked_provisional(result: EvaluationResult) -> None:
    assert result.value("certs", "city", half(2022, 2)) == 110 + 220
    assert provisional(result, "certs", "city", "FY2022H2")
    # the year: ward_c has no FY2022 (its H2 is missing), so the city's year is provisional too
    assert result.value("certs", "city", "FY2022") == 210 + 420
    assert provisional(result, "certs", "city", "FY2022")


def test_indicators_of_a_provisional_figure_are_provisional(result: EvaluationResult) -> None:
    assert result.value("all_certs", "city", "FY2022H2") == 330 + 66
    assert provisional(result, "all_certs", "city", "FY2022H2")
    assert provisional(result, "online_share", "city", "FY2022H2")
    assert not provisional(result, "online_share", "city", "FY2022H1")
    assert not provisional(result, "online_share", "ward_c", "FY2022H1")


def test_department_figures_roll_up_through_the_bureau(result: EvaluationResult) -> None:
    assert result.value("overtime", "finance", "FY2022") == 5
    assert provisional(result, "overtime", "finance", "FY2022")  # 税務課 has not reported
    assert provisional(result, "overtime", "city", "FY2022")


def test_a_series_without_reported_by_keeps_the_complete_roll_up_rule() -> None:
    rows = (observation("city_only", "ward_a", "FY2022", 1),)
    found = evaluate(EvaluationRequest(PROGRAMME, revisions_frame(rows)))
    assert found.value("city_only", "city", "FY2022") is None


def test_narrowing_keeps_the_roll_ups(result: EvaluationResult) -> None:
    narrowed = result.narrowed((half(2022, 2),), ("city",))
    assert set(narrowed.values["period"].to_list()) == {"FY2022H2"}
    assert narrowed.value("certs", "city", half(2022, 2)) == 330


def test_completeness_names_the_units_still_missing(result: EvaluationResult) -> None:
    found = completeness(result, "online_share", "city", half(2022, 2))
    assert found is not None and not found.complete
    assert found.expected == ("ward_a", "ward_b", "ward_c") and found.missing == ("ward_c",), (
        "ward_c sent online but not certs for H2"
    )
    assert describe(PROGRAMME, found, "ja") == "3区中2区" and describe(PROGRAMME, found, "en") == "2 of 3 wards"
    whole = completeness(result, "certs", "city", half(2022, 1))
    assert whole is not None and whole.complete
    mixed = completeness(result, "overtime", "city", parse_period("FY2022"))
    assert mixed is not None and describe(PROGRAMME, mixed, "en") == "1 of 3 departments"
    assert completeness(result, "certs", "ward_a", half(2022, 1)) is None, "nothing rolls up to a ward"
    assert completeness(result, "city_only", "city", half(2022, 1)) is None


def test_the_report_says_a_roll_up_is_provisional(result: EvaluationResult) -> None:
    area = Area("A1", "窓口", indicators=("all_certs",))
    programme = replace(PROGRAMME, pillars=(Pillar("P1", "市民サービス", areas=(area,)),))
    shown = replace(result, programme=programme)
    report = build_report(shown, evaluate_targets(shown), (), parse_period("FY2022"), lang="ja")
    (row,) = report.overview
    certs = (100 + 110) + (200 + 220)  # ward_c has no FY2022: its H2 is missing
    online = (10 + 11) + (20 + 22) + (30 + 33)
    assert row.latest == f"{certs + online:,}件（暫定・3区中2区）"
    english = build_report(shown, evaluate_targets(shown), (), parse_period("FY2022"), lang="en")
    assert english.overview[0].latest.endswith("(provisional: 2 of 3 wards)")
