"""Read a PDF back with poppler-utils (pdftotext, pdffonts, pdfinfo): text for golden files, fonts, pages.

Poppler may warn on stderr about objects it does not know (Typst writes a /Suspects flag it reads as
the wrong type); those warnings are ignored, the exit status is not.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

PAGE_MARKER = "===== page {n} ====="


def _run(*args: str) -> str:
    done = subprocess.run(list(args), check=True, capture_output=True)
    return done.stdout.decode("utf-8")


def pdf_text(path: Path, *, layout: bool = True) -> str:
    """The PDF's text (`pdftotext -layout`), normalised for comparison with a golden file.

    Each page starts with a marker line (``===== page N =====``) in place of the form feed; trailing
    spaces and the blank lines at the end of each page are dropped; the text ends with one newline.
    With `layout=False` the text is in reading order instead of laid out by position.
    """
    options = ["-layout"] if layout else []
    raw = _run("pdftotext", "-enc", "UTF-8", *options, str(path), "-")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        lines = [line.rstrip() for line in page.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        out.append(PAGE_MARKER.format(n=n))
        out.extend(lines)
    return "\n".join(out) + "\n"


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font `pdffonts` lists.

    A row reads: name, type (may hold spaces), encoding, emb, sub, uni, object number, generation;
    so the name is the first field and "emb" the fifth from the end.
    """
    lines = _run("pdffonts", str(path)).splitlines()
    rule = next((i for i, line in enumerate(lines) if line.startswith("---")), len(lines))
    fonts = []
    for line in lines[rule + 1 :]:
        fields = line.split()
        if len(fields) >= 7:
            fonts.append((fields[0], fields[-5] == "yes"))
    return fonts


def pdf_page_count(path: Path) -> int:
    """Number of pages, as `pdfinfo` reports it."""
    found = re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.MULTILINE)
    if found is None:
        raise ValueError(f"pdfinfo gave no page count for {path}")
    return int(found.group(1))
