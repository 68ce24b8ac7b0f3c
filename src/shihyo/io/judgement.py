"""programme.yaml's judgement settings: `target_path`, `grades` and `projection` (read and written back)."""

from __future__ import annotations

from typing import Any

from shihyo.core.grades import band_problems
from shihyo.core.model import GradeBand, ProjectionMethod, ProjectionSettings, TargetPath
from shihyo.core.projection import MIN_LINEAR_POINTS
from shihyo.io.fields import Fields

JUDGEMENT_KEYS = ("target_path", "grades", "projection")


def parse_judgement(f: Fields) -> dict[str, Any]:
    """The keyword arguments of `Programme` for the three settings (defaults where left out)."""
    return {
        "target_path": f.enum("target_path", TargetPath, TargetPath.GUIDE) or TargetPath.GUIDE,
        "grades": parse_grades(f),
        "projection": parse_projection(f),
    }


def parse_grades(f: Fields) -> tuple[GradeBand, ...]:
    bands = []
    for i, item in enumerate(f.items("grades")):
        g = f.child("grades", item, i)
        g.check_keys(("grade", "min", "name_en"))
        minimum = g.number("min")
        name = g.text("grade", True)
        if name:
            bands.append(GradeBand(name, minimum[0] if minimum else None, g.text("name_en")))
    for ja, en in band_problems(bands):
        f.problem(
            "grades",
            ja,
            en,
            "例: - {grade: S, min: 100} … - {grade: D}（最後は min なし）",
            "e.g. - {grade: S, min: 100} … - {grade: D} (the last without min)",
        )
    return tuple(bands)


def parse_projection(f: Fields) -> ProjectionSettings:
    if not f.has("projection"):
        return ProjectionSettings()
    p = f.child("projection", f.data.get("projection"))
    p.check_keys(("method", "points"))
    method = p.enum("method", ProjectionMethod, ProjectionMethod.LINEAR) or ProjectionMethod.LINEAR
    points = p.integer("points", ProjectionSettings().points)
    if points < MIN_LINEAR_POINTS:
        p.problem(
            "points",
            f"直線トレンドには{MIN_LINEAR_POINTS}年度以上の実績が必要です（points: {points}）",
            f"a linear trend needs at least {MIN_LINEAR_POINTS} yearly actuals (points: {points})",
            f"points: {MIN_LINEAR_POINTS} 以上にしてください",
            f"make points {MIN_LINEAR_POINTS} or more",
        )
        points = MIN_LINEAR_POINTS
    return ProjectionSettings(method, points)


def judgement_document(
    target_path: TargetPath, grades: tuple[GradeBand, ...], projection: ProjectionSettings
) -> dict[str, Any]:
    """The settings as written by `export`; defaults are left out."""
    doc: dict[str, Any] = {}
    if target_path is not TargetPath.GUIDE:
        doc["target_path"] = target_path.value
    if grades:
        doc["grades"] = [
            {
                k: v
                for k, v in (
                    ("grade", b.grade),
                    ("min", str(b.minimum) if b.minimum is not None else None),
                    ("name_en", b.name_en),
                )
                if v not in (None, "")
            }
            for b in grades
        ]
    if projection != ProjectionSettings():
        doc["projection"] = {"method": projection.method.value, "points": projection.points}
    return doc
