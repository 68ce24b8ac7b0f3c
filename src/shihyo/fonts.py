"""Japanese fonts for rendered charts and documents: BIZ UDGothic where installed, IPAexGothic otherwise."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import vl_convert

SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/bizud-gothic"),  # Debian fonts-morisawa-bizud-gothic
    Path("/usr/share/fonts/opentype/morisawa"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic"),
    Path("C:/Windows/Fonts"),
)


@cache
def japanese_font_files() -> tuple[Path, ...]:
    """Font files to register, best first: BIZ UDGothic, then the IPAexGothic shipped by matplotlib-fontja."""
    found: list[Path] = []
    for folder in SYSTEM_FONT_DIRS:
        if folder.is_dir():
            found += sorted(p for p in folder.glob("BIZUDGothic*.tt*"))
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            found += sorted(Path(location).glob("fonts/*.ttf"))
    return tuple(found)


def font_family() -> str:
    """The CSS/Vega font family list matching what is installed."""
    return "BIZ UDGothic, IPAexGothic, sans-serif"


@cache
def register_chart_fonts() -> bool:
    """Make the Japanese fonts known to the chart renderer (vl-convert); True if any were found."""
    folders = sorted({str(path.parent) for path in japanese_font_files()})
    for folder in folders:
        vl_convert.register_font_directory(folder)
    return bool(folders)


def chart_png(spec: dict[str, object], width: int = 720, scale: float = 2) -> bytes:
    """A chart rendered to PNG with the Japanese fonts (for downloads and reports)."""
    register_chart_fonts()
    return vl_convert.vegalite_to_png({**spec, "width": width}, scale=scale)


def chart_svg(spec: dict[str, object], width: int = 720) -> str:
    register_chart_fonts()
    return vl_convert.vegalite_to_svg({**spec, "width": width})
