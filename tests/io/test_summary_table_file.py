"""summary_table.yaml: optional, checked with every problem placed, and written back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shihyo import examples
from shihyo.core.problems import ValidationFailed
from shihyo.io.directory import programme_files, read_programme_dir
from shihyo.io.summary_table_yaml import SUMMARY_TABLE
from tests.conftest import KOBE, MINI

MINATO = examples.path("minato")


@pytest.mark.parametrize("directory", [KOBE, MINATO], ids=["kobe", "minato"])
def test_the_definition_round_trips(directory: Path) -> None:
    dataset = read_programme_dir(directory)
    assert dataset.programme.summary_table is not None
    assert programme_files(dataset)[SUMMARY_TABLE] == (directory / SUMMARY_TABLE).read_text(encoding="utf-8")


def test_without_the_file_there_is_no_definition() -> None:
    dataset = read_programme_dir(MINI)
    assert dataset.programme.summary_table is None
    assert SUMMARY_TABLE not in programme_files(dataset)


def test_every_problem_is_named_with_its_line(tmp_path: Path) -> None:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    (target / SUMMARY_TABLE).write_text(
        "from: FY2017H1\n"
        "colour: blue\n"
        "sections:\n"
        "- area: P9\n"
        "  rows:\n"
        "  - code: onlin\n"
        "  - code: counter\n"
        "    depth: 3\n"
        "- rows:\n"
        "  - code: online\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(target)
    rendered = [p.render("en") for p in caught.value.problems]
    text = "\n".join(rendered)
    assert all(SUMMARY_TABLE in line for line in rendered), text
    assert "unknown field 'colour'" in text
    assert "depth is 0 or 1 (3)" in text
    assert len(rendered) == 2, text  # the codes and areas are checked once the file reads


def test_codes_areas_and_years_are_checked(tmp_path: Path) -> None:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    (target / SUMMARY_TABLE).write_text(
        "from: FY2017H1\nsections:\n- area: P9\n  rows:\n  - code: onlin\n- rows:\n  - code: online\n    to: 2019-04\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(target)
    found = caught.value.problems
    text = "\n".join(p.render("en") for p in found)
    assert "no area 'P9'" in text
    assert "there is no series or indicator 'onlin'" in text and found[1].line == 5
    assert "give a heading or an area" in text
    assert text.count("give a fiscal year") == 2
    assert len(found) == 5, text
