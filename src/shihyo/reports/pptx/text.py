"""Text helpers for the deck: Japanese fonts on every run, text boxes, and how much room text needs.

BIZ UDGothic is monospaced: a full-width character is 1 em wide, a half-width one ½ em, and a line box is
1 em tall, so the room a text needs can be estimated well enough to size table rows and split tables over
slides before PowerPoint or LibreOffice lays them out.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from xml.sax.saxutils import escape

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu

FONT = "BIZ UDGothic"
LINE_SPACING = 1.25  # line pitch as a multiple of the font size, set in points on every paragraph (exact)
EMU_PER_PT = 12700
EMU_PER_INCH = 914400

# a:rPr / a:defRPr / a:endParaRPr children that must come after a:latin and a:ea (CT_TextCharacterProperties)
_AFTER_FONTS = ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
_CHARACTER_PROPERTIES = ("a:rPr", "a:defRPr", "a:endParaRPr")

Element = Any  # an lxml element of python-pptx's oxml classes (lxml has no type information)


def untyped(obj: object) -> Any:
    """`obj` typed as Any: for the few python-pptx functions that have no annotations (strict mypy would
    refuse to call them), so the rest of the code keeps python-pptx's own types."""
    return obj


def rgb(hex_colour: str) -> RGBColor:
    return cast(RGBColor, untyped(RGBColor.from_string)(hex_colour.lstrip("#").upper()))


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def has_japanese(text: str) -> bool:
    return any(is_wide(ch) and not ch.isspace() for ch in text)


def width_em(text: str) -> float:
    """Width in em; a switch between Japanese and Latin text counts ¼ em (renderers space them apart)."""
    width, previous = 0.0, None
    for ch in text:
        wide = is_wide(ch)
        width += 1.0 if wide else 0.5
        if previous is not None and wide != previous and not ch.isspace():
            width += 0.25
        previous = None if ch.isspace() else wide
    return width


def line_count(text: str, width_pt: float, size_pt: float) -> int:
    """Lines `text` takes in a column `width_pt` wide; Latin text wraps at words, so it gets some slack."""
    if width_pt <= 0:
        return max(1, len(text.split("\n")))
    total = 0
    for paragraph in text.split("\n"):
        em = width_em(paragraph)
        latin = sum(1 for ch in paragraph if not is_wide(ch))
        # Latin wraps at words, Japanese line breaking keeps some characters off line starts
        slack = 1.03 + 0.12 * (latin / len(paragraph)) if paragraph else 1.0
        total += max(1, math.ceil(em * size_pt * slack / width_pt - 1e-9))
    return total


def text_height_pt(lines: int, size_pt: float) -> float:
    return lines * size_pt * LINE_SPACING


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box."""

    text: str
    size: float
    bold: bool = False
    colour: str = "#1a1a1c"
    align: str = "left"  # left | center | right
    bullet: str = ""  # a bullet character, drawn hanging
    space_after: float = 0  # points
    italic: bool = False


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def paragraph_xml(para: Para) -> str:
    """DrawingML for one paragraph: exact line pitch, one run (or none when empty) with its size and colour."""
    size = round(para.size * 100)
    align = {"left": "l", "center": "ctr", "right": "r"}[para.align]
    indent = ""
    bullet = ""
    if para.bullet:
        hang = int(para.size * 1.2 * EMU_PER_PT)
        indent = f' marL="{hang}" indent="{-hang}"'
        bullet = f'<a:buFont typeface="{FONT}"/><a:buChar char="{_attr(para.bullet)}"/>'
    spacing = f'<a:lnSpc><a:spcPts val="{round(para.size * LINE_SPACING * 100)}"/></a:lnSpc>'
    if para.space_after:
        spacing += f'<a:spcAft><a:spcPts val="{round(para.space_after * 100)}"/></a:spcAft>'
    fonts = f'<a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/>'
    colour = f'<a:solidFill><a:srgbClr val="{para.colour.lstrip("#").upper()}"/></a:solidFill>'
    style = f' b="{int(para.bold)}"' + (' i="1"' if para.italic else "")
    run = (
        f'<a:r><a:rPr lang="ja-JP" sz="{size}"{style} dirty="0">{colour}{fonts}</a:rPr>'
        f"<a:t>{escape(para.text)}</a:t></a:r>"
        if para.text
        else ""
    )
    return (
        f'<a:p><a:pPr algn="{align}"{indent}>{spacing}{bullet}</a:pPr>{run}'
        f'<a:endParaRPr lang="ja-JP" sz="{size}"{style} dirty="0">{colour}{fonts}</a:endParaRPr></a:p>'
    )


def replace_paragraphs(tx_body: Element, paras: Sequence[Para]) -> None:
    """Put `paras` in place of the paragraphs of a text body (a p:txBody or a:txBody)."""
    for p in tx_body.findall(qn("a:p")):
        tx_body.remove(p)
    xml = "".join(paragraph_xml(para) for para in (list(paras) or [Para("", 10)]))
    holder = parse_xml(f"<a:txBody {nsdecls('a')}>{xml}</a:txBody>")
    for p in list(holder):
        tx_body.append(p)


def fill_text_frame(
    text_frame: Any,
    paras: Sequence[Para],
    *,
    anchor: str = "top",
    margins: tuple[float, float, float, float] = (0.05, 0.03, 0.05, 0.03),
) -> None:
    """Replace the frame's text with `paras` (inches for margins: left, top, right, bottom)."""
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[
        anchor
    ]
    left, top, right, bottom = (Emu(int(m * EMU_PER_INCH)) for m in margins)
    text_frame.margin_left, text_frame.margin_top, text_frame.margin_right, text_frame.margin_bottom = (
        left,
        top,
        right,
        bottom,
    )
    replace_paragraphs(text_frame._txBody, paras)


def add_text(
    slide: Any,
    box: tuple[float, float, float, float],
    paras: Sequence[Para],
    *,
    anchor: str = "top",
    name: str = "",
) -> Any:
    """A text box at `box` (inches: left, top, width, height)."""
    left, top, width, height = (Emu(int(v * EMU_PER_INCH)) for v in box)
    shape = slide.shapes.add_textbox(left, top, width, height)
    if name:
        shape.name = name
    fill_text_frame(shape.text_frame, paras, anchor=anchor, margins=(0.02, 0.02, 0.02, 0.02))
    return shape


def paragraphs_height(
    texts: Sequence[str], width_in: float, size: float, *, space_after: float = 0.0, indent_em: float = 0.0
) -> float:
    """Points the paragraphs `texts` take in a box `width_in` wide (with the box's own small insets)."""
    width_pt = width_in * 72 - indent_em * size * LINE_SPACING - 4
    lines = sum(line_count(t, width_pt, size) for t in texts)
    return text_height_pt(lines, size) + space_after * max(0, len(texts) - 1) + 6


def fit_size(
    texts: Sequence[str],
    width_in: float,
    height_in: float,
    sizes: Iterable[float] = (16, 15, 14, 13, 12, 11, 10, 9, 8),
    *,
    space_after: float = 0.0,
    indent_em: float = 0.0,
) -> float:
    """The largest size at which the paragraphs `texts` fit in the box (the smallest size if none does)."""
    size = 8.0
    for size in sizes:
        if paragraphs_height(texts, width_in, size, space_after=space_after, indent_em=indent_em) <= height_in * 72:
            return size
    return size


def set_fonts(root: Element, lang: str) -> None:
    """Put FONT as a:latin and a:ea on every run's and every default's character properties under `root`.

    Runs without a:rPr get one. Each run is tagged with its language (ja-JP when it holds Japanese), so
    PowerPoint never falls back to a Chinese font for kanji.
    """
    for run in root.iter(qn("a:r")):
        rpr = run.find(qn("a:rPr"))
        if rpr is None:
            rpr = parse_xml(f"<a:rPr {nsdecls('a')}/>")
            run.insert(0, rpr)
        text = "".join(t.text or "" for t in run.iter(qn("a:t")))
        rpr.set("lang", "ja-JP" if lang == "ja" or has_japanese(text) else "en-US")
        rpr.set("altLang", "en-US" if lang == "ja" or has_japanese(text) else "ja-JP")
    for tag in _CHARACTER_PROPERTIES:
        for props in root.iter(qn(tag)):
            _set_typefaces(props)


def _set_typefaces(props: Element) -> None:
    for tag in ("a:latin", "a:ea"):
        for old in props.findall(qn(tag)):
            props.remove(old)
    latin = parse_xml(f'<a:latin {nsdecls("a")} typeface="{FONT}"/>')
    ea = parse_xml(f'<a:ea {nsdecls("a")} typeface="{FONT}"/>')
    after = next((child for child in props if child.tag in {qn(t) for t in _AFTER_FONTS}), None)
    if after is not None:
        after.addprevious(latin)
        after.addprevious(ea)
    else:
        props.append(latin)
        props.append(ea)
