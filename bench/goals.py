"""One line per goal, the same in every bench script: what, figure, reference, ratio, goal, met or not.

    goal: <what> | figure <x> | reference <y> | ratio <x/y> | goal <g> | met

The reference is measured in the same run on the same machine (the machine is shared and its timings
vary; the ratio is what carries over from one run to the next)."""

from __future__ import annotations


def goal_line(what: str, figure: str, reference: str, ratio: float | None, goal: str, met: bool) -> str:
    shown = "―" if ratio is None else f"{ratio:.2f}×"
    verdict = "met" if met else "NOT met"
    return f"goal: {what} | figure {figure} | reference {reference} | ratio {shown} | goal {goal} | {verdict}"


def print_goal(what: str, figure: str, reference: str, ratio: float | None, goal: str, met: bool) -> bool:
    print(goal_line(what, figure, reference, ratio, goal, met), flush=True)
    return met
