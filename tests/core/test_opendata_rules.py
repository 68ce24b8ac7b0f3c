"""The 全国地方公共団体コード check digit, and what a programme file may say about its code and licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shihyo.core.opendata import check_digit, municipality_code_problem
from shihyo.core.problems import ValidationFailed
from shihyo.io.directory import FILES, read_programme_dir
from tests.conftest import MINI

# published codes of real municipalities (総務省): the sixth digit is the check digit
KNOWN = {
    "281000": "神戸市",
    "131041": "新宿区",
    "011002": "札幌市",
    "271004": "大阪市",
    "141003": "横浜市",
    "401307": "福岡市",
}


@pytest.mark.parametrize("code", KNOWN)
def test_check_digit_of_known_codes(code: str) -> None:
    assert check_digit(code[:5]) == int(code[5])
    assert municipality_code_problem(code) is None


@given(st.text("0123456789", min_size=5, max_size=5), st.integers(0, 9))
def test_exactly_one_sixth_digit_is_valid(first: str, last: int) -> None:
    valid = municipality_code_problem(f"{first}{last}") is None
    assert valid == (last == check_digit(first))


@pytest.mark.parametrize("code", ["281001", "28100", "2810000", "28100a", "", "２８１０００"])
def test_wrong_codes_say_why(code: str) -> None:
    problem = municipality_code_problem(code)
    assert problem is not None and all(problem)


def _programme_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_bytes((MINI / name).read_bytes())
    text = (folder / "programme.yaml").read_text(encoding="utf-8")
    (folder / "programme.yaml").write_text(text + extra, encoding="utf-8")
    return folder


def test_a_programme_file_names_a_wrong_check_digit_and_the_right_one(tmp_path: Path) -> None:
    folder = _programme_with(tmp_path, "municipality_code: '281001'\nlicence: CC-BY-9\n")
    with pytest.raises(ValidationFailed) as failed:
        read_programme_dir(folder)
    rendered = failed.value.render("en")
    assert "programme.yaml" in rendered and "municipality_code" in rendered and "'281000'" in rendered
    assert "unknown licence 'CC-BY-9'" in rendered and "CC-BY-4.0" in rendered


def test_an_unquoted_code_is_refused(tmp_path: Path) -> None:
    folder = _programme_with(tmp_path, "municipality_code: 281000\n")
    with pytest.raises(ValidationFailed, match="problem"):
        read_programme_dir(folder)


def test_a_valid_code_and_licence_load(tmp_path: Path) -> None:
    folder = _programme_with(tmp_path, "municipality_code: '281000'\nlicence: CC-BY-4.0\n")
    programme = read_programme_dir(folder).programme
    assert (programme.municipality_code, programme.licence) == ("281000", "CC-BY-4.0")
