"""Projection to the target year: both methods, their bands, and refusing to project from too few points."""

from __future__ import annotations

from decimal import Decimal

from shihyo.core.model import Direction, ProjectionMethod, ProjectionSettings, Target, TargetKind, TargetPoint
from shihyo.core.periods import Period, fiscal_year
from shihyo.core.projection import Outlook, project_compound, project_linear

D = Decimal


def rate_target(value: str = "70", year: int = 2025, direction: Direction = Direction.HIGHER) -> Target:
    return Target("rate", TargetKind.LEVEL, direction, (TargetPoint(fiscal_year(year), D(value), True),))


def series(*pairs: tuple[int, str]) -> tuple[tuple[Period, Decimal], ...]:
    return tuple((fiscal_year(y), D(v)) for y, v in pairs)


def test_linear_trend_over_the_last_n_actuals() -> None:
    target = rate_target()
    # +4 a year over FY2019–FY2021 (only the last three count): FY2025 → 38 + 4 × 4 = 54, short of 70
    actuals = series((2017, "0"), (2019, "30"), (2020, "34"), (2021, "38"))
    p = project_linear(target, target.points[0], True, "city", actuals, ProjectionSettings(ProjectionMethod.LINEAR, 3))
    assert [period.fiscal_year for period, _ in p.inputs] == [2019, 2020, 2021]
    assert p.projected == D(54) and p.observed_pace == D(4)
    assert p.required_pace == D(8)  # (70 − 38) ÷ 4 years
    assert p.ratio == D("0.5") and p.outlook is Outlook.ACCELERATION_NEEDED and p.will_meet is False


def test_linear_trend_lower_is_better() -> None:
    target = rate_target("100", 2024, Direction.LOWER)
    actuals = series((2019, "200"), (2020, "170"), (2021, "140"))  # −30 a year → 50 in FY2024
    p = project_linear(target, target.points[0], True, "city", actuals, ProjectionSettings(points=3))
    assert p.projected == D(50) and p.will_meet is True
    assert p.ratio is not None and p.ratio > 1 and p.outlook is Outlook.ON_TRACK


def test_moving_away_from_the_target_is_deterioration() -> None:
    target = rate_target()
    actuals = series((2019, "40"), (2020, "38"), (2021, "36"))
    p = project_linear(target, target.points[0], True, "city", actuals, ProjectionSettings(points=3))
    assert p.ratio is not None and p.ratio < 0 and p.outlook is Outlook.DETERIORATION


def test_never_a_projection_from_fewer_points_than_the_method_needs() -> None:
    target = rate_target()
    p = project_linear(
        target, target.points[0], True, "city", series((2020, "13.7"), (2021, "35.2")), ProjectionSettings(points=3)
    )
    assert p.outlook is Outlook.NOT_PROJECTED and p.projected is None and p.will_meet is None
    assert p.reason_ja == "直線トレンドには直近3年度分の実績が必要ですが、2年度分しかありません"
    assert p.reason_en == "a linear trend needs the last 3 yearly actuals; there are only 2"


def test_compound_rate_ratio() -> None:
    target = rate_target("40", 2025)
    base = (fiscal_year(2015), D(10))
    # observed: 10 → 20 over 5 years; required: 10 → 40 over 10 years: the same annual rate (2^(1/5) − 1)
    p = project_compound(target, target.points[0], True, "city", series((2020, "20")), base)
    assert p.ratio is not None and abs(p.ratio - 1) < D("1e-20") and p.outlook is Outlook.ON_TRACK
    assert p.projected is not None and abs(p.projected - 40) < D("1e-18")
    assert p.observed_pace is not None and abs(p.observed_pace - D("14.8698354997035")) < D("1e-12")  # % a year


def test_compound_rate_bands() -> None:
    base = (fiscal_year(2015), D(100))
    target = rate_target("50", 2025, Direction.LOWER)
    half_pace = project_compound(target, target.points[0], True, "city", series((2020, "80")), base)
    assert half_pace.ratio is not None and D("0.5") <= half_pace.ratio < D("0.95")
    assert half_pace.outlook is Outlook.ACCELERATION_NEEDED
    slow = project_compound(target, target.points[0], True, "city", series((2020, "97")), base)
    assert slow.outlook is Outlook.LIMITED_PROGRESS
    worse = project_compound(target, target.points[0], True, "city", series((2020, "110")), base)
    assert worse.outlook is Outlook.DETERIORATION


def test_compound_rate_says_why_it_cannot_project() -> None:
    target = rate_target()
    no_base = project_compound(target, target.points[0], True, "city", series((2021, "35")), None)
    assert no_base.outlook is Outlook.NOT_PROJECTED and "base period" in no_base.reason_en
    negative = project_compound(
        rate_target("-40", 2025, Direction.LOWER),
        TargetPoint(fiscal_year(2025), D(-40), True),
        True,
        "city",
        series((2021, "-30")),
        (fiscal_year(2017), D(0)),
    )
    assert negative.outlook is Outlook.NOT_PROJECTED and "above zero" in negative.reason_en
