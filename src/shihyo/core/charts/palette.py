"""Colours, font and kind labels that every chart renderer shares.

Tones inspired by the Digital Agency design system (our own choice; contrast ≥ 3:1 on white).
"""

from __future__ import annotations

from shihyo.core.charts.model import SERIES_COLOURS, Colour

BLUE = "#0031d8"
LIGHT_BLUE = "#9db7f9"  # plan bars of a trend
ESTIMATE_BLUE = "#4f6fe0"  # estimate bars of a trend
ORANGE = "#c74700"
GREEN = "#197a4b"
GREY = "#626264"
TEXT = "#1a1a1c"

HEX: dict[Colour, str] = {
    Colour.BLUE: BLUE,
    Colour.ORANGE: ORANGE,
    Colour.GREEN: GREEN,
    Colour.PURPLE: "#6f23d0",
    Colour.MAGENTA: "#a5007d",
    Colour.GREY: GREY,
}
PALETTE = [HEX[c] for c in SERIES_COLOURS]
FONT = "BIZ UDGothic, IPAexGothic, Hiragino Sans, Meiryo, sans-serif"

KIND_LABELS = {
    "ja": {"actual": "実績", "estimate": "推計値", "plan": "計画", "target": "目標"},
    "en": {"actual": "Actual", "estimate": "Estimate", "plan": "Plan", "target": "Target"},
}
# the shade of a trend's bars by the kind of their value
KIND_COLOURS = {"actual": BLUE, "estimate": ESTIMATE_BLUE, "plan": LIGHT_BLUE}


def hex_colour(colour: Colour) -> str:
    return HEX[colour]
