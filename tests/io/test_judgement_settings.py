"""programme.yaml's target_path, grades and projection, and a target's path: read, refused with the place named."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.model import GradeBand, ProjectionMethod, ProjectionSettings, TargetPath
from shihyo.core.problems import ValidationFailed
from shihyo.io.directory import programme_files, read_programme_dir
from tests.conftest import MINI

SETTINGS = """report_period: FY2021
target_path: binding
grades:
- {grade: ◎, min: "100", name_en: met}
- {grade: ○, min: "７０"}
- {grade: ×}
projection: {method: compound_rate, points: 4}
"""


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_settings_are_read_and_written_back(mini: Path) -> None:
    edit(mini / "programme.yaml", "report_period: FY2021\n", SETTINGS)
    edit(mini / "targets.yaml", "  direction: lower\n", "  direction: lower\n  path: guide\n")
    dataset = read_programme_dir(mini)
    p = dataset.programme
    assert p.target_path is TargetPath.BINDING
    assert p.grades == (GradeBand("◎", Decimal(100), "met"), GradeBand("○", Decimal(70)), GradeBand("×", None))
    assert p.projection == ProjectionSettings(ProjectionMethod.COMPOUND_RATE, 4)
    counter = next(t for t in p.targets if t.indicator == "counter")
    assert counter.path is TargetPath.GUIDE and p.path_of(counter) is TargetPath.GUIDE
    online = next(t for t in p.targets if t.indicator == "online_share")
    assert online.path is None and p.path_of(online) is TargetPath.BINDING
    # written back in canonical form, and read again to the same model
    written = mini.parent / "again"
    written.mkdir()
    for name, text in programme_files(dataset).items():
        (written / name).write_text(text, encoding="utf-8")
    assert read_programme_dir(written).programme == p
    assert "target_path: binding" in (written / "programme.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("target_path: strict\n", "target_path", "'strict' is not a valid target_path"),
        ("grades:\n- {grade: A, min: '80'}\n- {grade: S, min: '100'}\n", "grades", "list the grades best first"),
        ("grades:\n- {grade: D}\n- {grade: S, min: '100'}\n", "grades", "only the last grade may have no min (D)"),
        ("grades:\n- {grade: S, min: lots}\n", "grades[0].min", "lots"),
        ("projection: {method: guess}\n", "projection.method", "'guess' is not a valid method"),
        ("projection: {points: 1}\n", "projection.points", "at least 2 yearly actuals"),
        ("projection: linear\n", "projection", "expected a mapping"),
    ],
)
def test_bad_settings_are_refused_with_their_place(mini: Path, text: str, where: str, message: str) -> None:
    edit(mini / "programme.yaml", "report_period: FY2021\n", f"report_period: FY2021\n{text}")
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(mini)
    found = [p for p in caught.value.problems if p.file == "programme.yaml" and p.where == where]
    assert found and any(message in p.en for p in found), [(p.where, p.en) for p in caught.value.problems]


def test_a_bad_target_path_is_named(mini: Path) -> None:
    edit(mini / "targets.yaml", "  direction: lower\n", "  direction: lower\n  path: maybe\n")
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(mini)
    assert any(p.where.endswith(".path") and "'maybe' is not a valid path" in p.en for p in caught.value.problems)
