"""Bad definitions and data: every problem is collected, named by file, line and item, with a fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.directory import read_programme_dir
from tests.conftest import MINI


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(directory)
    return list(caught.value.problems)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def test_every_problem_is_collected_before_failing(broken: Path) -> None:
    replace(broken / "indicators.yaml", "  numerator: online\n", "  numerator: onlin\n")
    replace(broken / "indicators.yaml", "  unit: ポイント\n", "  unit: '%'\n")
    replace(broken / "indicators.yaml", "expr: max(online - counter, 0) + abs(-1) * 2", "expr: max(online - , 0)")
    replace(broken / "series.yaml", "  time_aggregation: last\n", "  time_aggregation: latest\n")
    replace(broken / "observations.csv", "counter,city,FY2018,actual,900,,,", "counter,city,FY2018,actual,9OO,,,")
    found = problems_of(broken)
    rendered = "\n".join(p.render("en") for p in found)
    assert len(found) == 5, rendered
    assert "there is no series or indicator 'onlin'" in rendered
    assert "difference of rates is in points" in rendered
    assert "cannot read the expression" in rendered
    assert "'latest' is not a valid time_aggregation" in rendered and "allowed: sum, last, average" in rendered
    value_problem = next(p for p in found if p.file == "observations.csv")
    assert value_problem.line == line_of(broken / "observations.csv", "9OO") and value_problem.where == "value"
    unit_problem = next(p for p in found if "points" in p.en)
    assert unit_problem.file == "indicators.yaml" and unit_problem.where == "share_points.unit"
    assert all(p.ja for p in found)


def test_yaml_syntax_error_names_the_line(broken: Path) -> None:
    replace(broken / "targets.yaml", "  direction: higher\n", "  direction: [higher\n")
    (problem,) = problems_of(broken)
    assert problem.file == "targets.yaml" and problem.line is not None and "YAML" in problem.en


def test_unknown_field_is_named_with_the_allowed_ones(broken: Path) -> None:
    replace(broken / "series.yaml", "  unit: 時間\n", "  unit: 時間\n  units: 時間\n")
    (problem,) = problems_of(broken)
    assert problem.where == "hours.units" and problem.line == line_of(broken / "series.yaml", "units:")
    assert "unknown field 'units'" in problem.en and "time_aggregation" in problem.hint_en


def test_cycle_between_indicators(broken: Path) -> None:
    replace(
        broken / "indicators.yaml", "  parts:\n  - online\n  - counter\n", "  parts:\n  - online\n  - online_share\n"
    )
    found = problems_of(broken)
    assert any("cycle" in p.en and "online_share" in p.en for p in found)


def test_observation_rows(broken: Path) -> None:
    csv = broken / "observations.csv"
    text = csv.read_text(encoding="utf-8")
    text += "counter,ward_c,FY2021,actual,5,,,\n"  # unknown org unit
    text += "counter,city,R9上期?,actual,5,,,\n"  # bad period
    text += "counter,city,FY2023,guess,5,,,\n"  # bad kind
    text += "online_share,city,FY2023,actual,5,,,\n"  # an indicator is not a series
    text += "counter,city,FY2024,estimate,5,,,\n"  # estimate without method
    text += "counter,city,FY2017,actual,1000,,,\n"  # duplicate
    csv.write_text(text, encoding="utf-8")
    found = problems_of(broken)
    by_column = sorted((p.line, p.where) for p in found)
    last = len(text.splitlines())
    assert by_column == [
        (last - 5, "org_unit"),
        (last - 4, "period"),
        (last - 3, "kind"),
        (last - 2, "code"),
        (last - 1, "method"),
        (last, ""),
    ], "\n".join(p.render("en") for p in found)


def test_cp932_and_bom_csv_are_read(broken: Path) -> None:
    csv = broken / "observations.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_bytes(text.encode("cp932"))
    assert read_programme_dir(broken).observations
    csv.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_programme_dir(broken).observations


def test_missing_file(broken: Path) -> None:
    (broken / "teams.yaml").unlink()
    found = problems_of(broken)
    assert any(p.file == "teams.yaml" and "missing" in p.en for p in found)


def test_reported_by_names_kinds_or_units(broken: Path) -> None:
    replace(
        broken / "series.yaml",
        "- code: online\n  name: 電子申請件数\n",
        "- code: online\n  name: 電子申請件数\n  reported_by: [ward, wrad]\n  range: {min: 10, max: 1}\n",
    )
    found = problems_of(broken)
    places = {(p.where, p.en) for p in found}
    assert ("online.reported_by", "'wrad' is neither an org unit kind nor an org unit") in places
    assert any(p.where == "online.range" and p.line == line_of(broken / "series.yaml", "range:") for p in found)


def test_a_parent_of_reporting_units_has_no_value_of_its_own(broken: Path) -> None:
    online = "- code: online\n  name: 電子申請件数\n"
    replace(broken / "series.yaml", online, online + "  reported_by: [ward]\n")
    found = problems_of(broken)
    lines = (broken / "observations.csv").read_text(encoding="utf-8").splitlines()
    city_rows = [n for n, line in enumerate(lines, 1) if line.startswith("online,city,") and ",actual," in line]
    own = [p for p in found if p.where == "org_unit" and p.file == "observations.csv"]
    assert city_rows and sorted(p.line or 0 for p in own) == city_rows
    assert own[0].en == "city has its own value and 2 units that roll up to it"
    assert "テスト市に自身の値があります" in own[0].ja


def test_an_org_unit_above_itself_is_refused(broken: Path) -> None:
    text = (broken / "org_units.yaml").read_text(encoding="utf-8")
    city = text.split("- code: ward_a")[0]
    assert "parent" not in city, "fixture changed: the city has no parent"
    (broken / "org_units.yaml").write_text(text.replace(city, city.rstrip("\n") + "\n  parent: ward_a\n"), "utf-8")
    rendered = "\n".join(p.render("en") for p in problems_of(broken))
    assert "following the parents of 'city' leads back to itself (via ward_a)" in rendered
    assert "following the parents of 'ward_a' leads back to itself (via city)" in rendered
