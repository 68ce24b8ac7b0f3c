"""進捗率 and evaluation grades: how far an actual has come from the base towards its target.

進捗率 = (実績 − 基準) ÷ (目標 − 基準) × 100, in %. The base is the indicator's value in the target's base
period (the programme's base period unless the target names its own). The formula reads the same for
higher- and lower-is-better targets: a value that moves from the base towards the target raises it, 100 %
is the target reached, above 100 % beyond it, below 0 % worse than the base. It is only defined where the
target improves on the base in the target's direction (for a target no better than the base, any value
"progresses" backwards, so no 進捗率 is given).

Grades are bands on 進捗率 that the programme defines (S/A/B/C/D, ◎○△×, 達成/順調/遅れ …), best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

from shihyo.core.model import Direction, GradeBand

HUNDRED = Decimal(100)


def progress_rate(value: Decimal, base: Decimal, target: Decimal, direction: Direction) -> Decimal | None:
    """進捗率 in %, or None where the target does not improve on the base in its direction."""
    span = target - base
    if span == 0 or (span < 0 if direction is Direction.HIGHER else span > 0):
        return None
    return (value - base) / span * HUNDRED


def grade_for(progress: Decimal | None, bands: Sequence[GradeBand]) -> GradeBand | None:
    """The first band (best first) whose minimum the 進捗率 reaches; the open lowest band takes the rest."""
    if progress is None:
        return None
    for band in bands:
        if band.minimum is None or progress >= band.minimum:
            return band
    return None


def band_problems(bands: Sequence[GradeBand]) -> list[tuple[str, str]]:
    """What is wrong with a list of bands, as (ja, en): minimums must fall, only the last may be open."""
    problems: list[tuple[str, str]] = []
    minimums = [b.minimum for b in bands]
    for i, minimum in enumerate(minimums):
        if minimum is None and i != len(minimums) - 1:
            problems.append(
                (
                    f"下限（min）のない評価区分は最後の1つだけです（{bands[i].grade}）",
                    f"only the last grade may have no min ({bands[i].grade})",
                )
            )
    closed = [m for m in minimums if m is not None]
    if any(a <= b for a, b in pairwise(closed)):
        problems.append(
            (
                "評価区分は良い順に、下限（min）が大きいものから書いてください",
                "list the grades best first, each min below the one before",
            )
        )
    if len({b.grade for b in bands}) != len(bands):
        problems.append(("同じ評価区分名が重複しています", "two grades have the same name"))
    return problems


def describe_bands(bands: Sequence[GradeBand], lang: str = "ja") -> str:
    """ "S ≥ 100%, A ≥ 80%, …, D below": the legend printed beside grades."""
    parts = []
    for band in bands:
        name = (band.name_en or band.grade) if lang == "en" else band.grade
        if band.minimum is None:
            parts.append(f"{name} それ未満" if lang == "ja" else f"{name} below")
        else:
            parts.append(
                f"{name} {band.minimum.normalize():f}%以上"
                if lang == "ja"
                else f"{name} ≥ {band.minimum.normalize():f}%"
            )
    return "、".join(parts) if lang == "ja" else ", ".join(parts)
