"""The worked example of docs/data-format.md ("How targets are judged"), computed by shihyo itself."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.grades import grade_for
from shihyo.core.model import Direction, GradeBand, ProjectionSettings, Target, TargetKind, TargetPoint
from shihyo.core.periods import fiscal_year
from shihyo.core.projection import Outlook, project_compound, project_linear
from shihyo.core.targets import Status, judge

D = Decimal
DOC = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
TARGET = Target(
    "online_rate",
    TargetKind.LEVEL,
    Direction.HIGHER,
    (TargetPoint(fiscal_year(2021), D(30)), TargetPoint(fiscal_year(2025), D(60), True)),
)
BASE = TargetPoint(fiscal_year(2019), D(20))
BANDS = (
    GradeBand("S", D(100)),
    GradeBand("A", D(80)),
    GradeBand("B", D(60)),
    GradeBand("C", D(40)),
    GradeBand("D", None),
)
ACTUALS = {2020: D("24.0"), 2021: D("31.0"), 2022: D("36.0"), 2023: D("41.0")}


@pytest.mark.parametrize(
    ("year", "binding", "status", "judged", "progress", "grade", "guide"),
    [
        (2020, False, Status.NOT_DUE, D(30), D(40), "C", D(25)),
        (2021, False, Status.ACHIEVED, D(30), D(110), "S", None),
        (2022, False, Status.NOT_DUE, D(60), D(40), "C", D("37.5")),
        (2023, False, Status.NOT_DUE, D(60), D("52.5"), "C", D(45)),
        (2020, True, Status.BEHIND, D(25), D(80), "A", D(25)),
        (2021, True, Status.ACHIEVED, D(30), D(110), "S", None),
        (2022, True, Status.BEHIND, D("37.5"), D("91.4"), "A", D("37.5")),
        (2023, True, Status.BEHIND, D(45), D(84), "A", D(45)),
    ],
)
def test_the_table(
    year: int, binding: bool, status: Status, judged: Decimal, progress: Decimal, grade: str, guide: Decimal | None
) -> None:
    e = judge(TARGET, TARGET.points, "city", fiscal_year(year), "actual", ACTUALS[year], BASE, binding=binding)
    assert e.status is status and e.compared_with == judged and e.guide == guide
    assert e.progress is not None and e.progress.quantize(D("0.1")) == progress.quantize(D("0.1"))
    found = grade_for(e.progress, BANDS)
    assert found is not None and found.grade == grade


def test_the_projections() -> None:
    actuals = tuple((fiscal_year(y), v) for y, v in ACTUALS.items())
    linear = project_linear(TARGET, TARGET.points[1], True, "city", actuals, ProjectionSettings(points=3))
    assert (linear.projected, linear.observed_pace, linear.required_pace) == (D(51), D(5), D("9.5"))
    assert linear.outlook is Outlook.ACCELERATION_NEEDED and linear.will_meet is False
    compound = project_compound(TARGET, TARGET.points[1], True, "city", actuals, (BASE.period, BASE.value))
    assert compound.observed_pace is not None and compound.required_pace is not None and compound.ratio is not None
    assert (round(compound.observed_pace, 1), round(compound.required_pace, 1)) == (D("19.7"), D("20.1"))
    assert round(compound.ratio * 100) == 98 and compound.outlook is Outlook.ON_TRACK
    assert compound.projected is not None and round(compound.projected, 1) == D("58.7")
    for quoted in ("51.0 %", "9.5 a year", "58.7 %", "ratio 98 %", "20 + (30 − 20) × 1/2 = 25.0"):
        assert quoted in DOC
