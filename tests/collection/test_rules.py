"""The checks every submission passes, whatever path it came by (form, Excel, CSV)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from shihyo.core.collection import EntryInput, RoundSpec, check_entries, previous_period
from shihyo.core.model import Dataset
from shihyo.core.periods import parse_period

H1 = parse_period("R4上期")
SERIES = ("online", "online_smart", "online_kiosk", "online_mail", "rate", "staff")


def spec(threshold: str = "0.5") -> RoundSpec:
    return RoundSpec("r4-h1", "R4年度上期", SERIES, (H1,), ("city", "ward_a", "ward_b"), Decimal(threshold))


def values(**texts: str) -> list[EntryInput]:
    return [EntryInput(code, H1, text, "", "form", None, f"v-{code}") for code, text in texts.items()]


GOOD = {
    "online": "1,000",
    "online_smart": "400",
    "online_kiosk": "600",
    "online_mail": "400",
    "rate": "36.8",
    "staff": "10",
}


def test_japanese_notations_are_read_exactly(dataset: Dataset) -> None:
    texts = dict(GOOD, online="１，０００", online_smart="0.04万", staff="１０")
    entries, problems = check_entries(dataset.programme, spec(), "ward_a", values(**texts), {})
    assert problems == []
    by_code = {e.code: e.value for e in entries}
    assert by_code["online"] == Decimal(1000) and by_code["online_smart"] == Decimal(400)
    assert by_code["staff"] == Decimal(10)


def test_every_rule_names_the_field_says_what_is_wrong_and_how_to_fix_it(dataset: Dataset) -> None:
    texts = dict(GOOD, online_smart="1,200", staff="▲3", rate="120", online_mail="")
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**texts), {})
    found = {p.where: p for p in problems}
    assert set(found) == {"v-online_smart", "v-staff", "v-rate", "v-online_mail"}
    assert "全体" in found["v-online_smart"].ja and "exceed" in found["v-online_smart"].hint_en
    assert "負" in found["v-staff"].ja
    assert "0〜100" in found["v-rate"].ja
    assert "未入力" in found["v-online_mail"].ja and found["v-online_mail"].hint_ja


def test_counts_are_whole_numbers(dataset: Dataset) -> None:
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, staff="10.5")), {})
    assert [p.where for p in problems] == ["v-staff"]
    assert "whole number" in problems[0].en


def test_breakdown_must_add_up_to_the_stated_total(dataset: Dataset) -> None:
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, online_mail="300")), {})
    assert [p.where for p in problems] == ["v-online"]
    assert "900" in problems[0].ja and "1,000" in problems[0].ja


def test_a_jump_against_last_period_needs_a_comment(dataset: Dataset) -> None:
    previous = {("online", H1.key): Decimal(500)}
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**GOOD), previous)
    assert [p.where for p in problems] == ["v-online"]
    assert "50％" in problems[0].ja and "comment" in problems[0].hint_en
    commented = [replace(i, comment="新システム導入で増加" if i.code == "online" else "") for i in values(**GOOD)]
    _, problems = check_entries(dataset.programme, spec(), "ward_a", commented, previous)
    assert problems == []
    _, problems = check_entries(dataset.programme, spec("1.5"), "ward_a", values(**GOOD), previous)
    assert problems == [], "a change of +100 % is within a 150 % threshold"


def test_a_unit_whose_children_report_may_leave_values_to_the_roll_up(dataset: Dataset) -> None:
    _, problems = check_entries(dataset.programme, spec(), "city", values(online="2,000"), {})
    assert problems == []
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(online="2,000"), {})
    assert len(problems) == len(SERIES) - 1


def test_unknown_rows_duplicates_and_wrong_units_are_rejected(dataset: Dataset) -> None:
    inputs = [*values(**GOOD), EntryInput("hours", H1, "5", "", "f.csv", 9, "value")]
    inputs.append(EntryInput("online", H1, "1000", "", "f.csv", 10, "value"))
    inputs.append(EntryInput("staff", parse_period("R3上期"), "1", "", "f.csv", 11, "value"))
    _, problems = check_entries(dataset.programme, spec(), "ward_a", inputs, {})
    assert [p.line for p in problems] == [9, 10, 11]
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, staff="10件")), {})
    assert "単位" in problems[0].ja


def test_unreadable_numbers_are_reported_once(dataset: Dataset) -> None:
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, staff="十人")), {})
    assert [p.where for p in problems] == ["v-staff"]


def test_previous_period_steps_back_one_period_of_the_same_grain() -> None:
    assert previous_period(parse_period("R4上期")) == parse_period("R3下期")
    assert previous_period(parse_period("R4下期")) == parse_period("R4上期")
    assert previous_period(parse_period("R4")) == parse_period("R3")
    assert previous_period(parse_period("2022-04")) == parse_period("2022-03")
