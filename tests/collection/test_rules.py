"""The checks every submission passes, whatever path it came by (form, Excel, CSV)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from shihyo.core.collection import EntryInput, RoundSpec, asked_series, change_of, check_entries, previous_period
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


def test_a_unit_is_asked_only_for_the_series_it_reports(dataset: Dataset) -> None:
    assert sorted(asked_series(dataset.programme, spec(), "ward_a")) == sorted(SERIES)
    assert asked_series(dataset.programme, spec(), "city") == (), "the wards' series reach the city as roll-ups"
    _, problems = check_entries(dataset.programme, spec(), "city", values(online="2,000"), {})
    assert [p.en for p in problems] == [
        "series 'online' for FY2022 H1 is not asked for in this round"
    ], "a parent's own value for its wards' series is refused"
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(online="2,000"), {})
    assert len(problems) == len(SERIES) - 1, "every other series the ward reports is required"


def test_a_draft_may_leave_fields_empty_but_what_is_typed_is_checked(dataset: Dataset) -> None:
    entries, problems = check_entries(dataset.programme, spec(), "ward_a", values(online="2,000"), {}, draft=True)
    assert problems == [] and [(e.code, e.value) for e in entries] == [("online", Decimal(2000))]
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(online="abc", rate="120"), {}, draft=True)
    assert [p.where for p in problems] == ["v-online", "v-rate"]
    jump = {("online", H1.key): Decimal(100)}  # 2,000 against 100: a comment is needed, but only on submission
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(online="2,000"), jump, draft=True)
    assert problems == []
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, online="1,000")), jump)
    assert [(p.where, "comment" in p.hint_en) for p in problems] == [("v-online", True)]


def test_a_series_declares_its_range(dataset: Dataset) -> None:
    by = dataset.programme.series_by_code()
    change = replace(by["rate"], minimum=Decimal(-100), maximum=Decimal(100))
    series = tuple(change if s.code == "rate" else s for s in dataset.programme.series)
    programme = replace(dataset.programme, series=series)
    entries, problems = check_entries(programme, spec(), "ward_a", values(**dict(GOOD, rate="▲30.6")), {})
    assert problems == [] and dict((e.code, e.value) for e in entries)["rate"] == Decimal("-30.6")
    _, problems = check_entries(programme, spec(), "ward_a", values(**dict(GOOD, rate="▲130")), {})
    assert [p.en for p in problems] == ["this series' values lie within -100〜100 (▲130)"]
    _, problems = check_entries(dataset.programme, spec(), "ward_a", values(**dict(GOOD, rate="▲30.6")), {})
    assert [p.en for p in problems] == ["a share lies between 0 and 100 % (▲30.6)"], "the default range"


def test_the_change_of_a_share_is_in_points(dataset: Dataset) -> None:
    by = dataset.programme.series_by_code()
    share = change_of(by["rate"], Decimal("67.0"), Decimal("51.1"))
    assert share.points and share.difference == Decimal("15.9") and share.ratio is None
    count = change_of(by["online"], Decimal(1200), Decimal(1000))
    assert not count.points and count.difference == 200 and count.ratio == Decimal("0.2")


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
