"""The legend's words, shared by every chart renderer: which series is the bar and which the line (and on
which axis), and what the target mark is."""

from __future__ import annotations

from shihyo.core.charts.model import Axis

FORMS = {
    "ja": {"bar": "棒", "line": "折れ線", "left": "左軸", "right": "右軸", "target": "目標（◇印）"},
    "en": {"bar": "bars", "line": "line", "left": "left axis", "right": "right axis", "target": "Target (◇)"},
}


def legend_entry(lang: str, name: str, form: str, axis: Axis | None = None) -> str:
    """A legend entry: "導入比率（折れ線・右軸）", "Share (line, right axis)"."""
    words = FORMS["en" if lang == "en" else "ja"]
    parts = [words[form]] + ([words["left" if axis is Axis.PRIMARY else "right"]] if axis is not None else [])
    return f"{name}（{'・'.join(parts)}）" if lang != "en" else f"{name} ({', '.join(parts)})"


def target_mark(lang: str) -> str:
    """The target mark's entry: 「目標（◇印）」 / "Target (◇)"."""
    return FORMS["en" if lang == "en" else "ja"]["target"]
