"""The PDF report (Typst): Kobe's FY2021 report in Japanese and English, read back with poppler-utils.

Golden text dumps: tests/golden/report_kobe_pdf_ja.txt and _en.txt (`pytest --update-golden`, then
review the diff). The pages are also rendered to PNG to check that none is blank.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from shihyo.core.charts.model import Axis, Chart, Names, Role
from shihyo.core.charts.svg import chart_svg, nice_ticks, text_em
from shihyo.core.formatting import format_value
from shihyo.core.highlights import Highlight
from shihyo.core.indicators import ChartKind
from shihyo.core.report import Report
from shihyo.reports.pdf.dump import PAGE_MARKER, pdf_fonts, pdf_page_count, pdf_text
from shihyo.reports.pdf.render import label, report_data, write_pdf

Golden = Callable[[str, str], None]
SVG = "{http://www.w3.org/2000/svg}"
LANGS = ("ja", "en")
POPPLER = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")
MISSING = [tool for tool in POPPLER if shutil.which(tool) is None]

needs_poppler = pytest.mark.skipif(
    bool(MISSING), reason=f"poppler-utils is not installed ({', '.join(MISSING)} missing; .ci/run installs it)"
)


@pytest.fixture(scope="module")
def written(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    return {lang: write_pdf(report, folder / f"kobe_{lang}.pdf") for lang, report in reports.items()}


def compact(text: str) -> str:
    """Text without any white space: lines wrap and pdftotext spaces columns, the characters stay."""
    return re.sub(r"\s+", "", text)


# --- the Kobe report -------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_text_matches_the_reviewed_dump(written: dict[str, Path], lang: str, golden: Golden) -> None:
    golden(f"report_kobe_pdf_{lang}.txt", pdf_text(written[lang]))


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_embedded_and_one_is_japanese(written: dict[str, Path], lang: str) -> None:
    fonts = pdf_fonts(written[lang])
    assert fonts, "no fonts listed"
    assert all(embedded for _, embedded in fonts), fonts
    # only the Japanese font: no glyph was missing from it and taken from Typst's bundled Latin fonts
    assert all(re.search(r"BIZUD|IPAex", name) for name, _ in fonts), fonts


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_pages_render_and_none_is_blank(written: dict[str, Path], lang: str, tmp_path: Path) -> None:
    path = written[lang]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "page")], check=True, capture_output=True)
    images = sorted(tmp_path.glob("page-*.png"))
    pages = pdf_page_count(path)
    assert len(images) == pages == pdf_text(path).count("===== page ")
    for image in images:
        with Image.open(image) as png:
            grey = png.convert("L")
            width, height = grey.size
            assert width > height, f"{image.name} is not landscape"
            inked = sum(grey.histogram()[:200])  # pixels clearly darker than the white page
            assert inked > width * height * 0.002, f"{image.name} looks blank"


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_structure_and_footer(reports: dict[str, Report], written: dict[str, Path], lang: str) -> None:
    report = reports[lang]
    text = pdf_text(written[lang])
    pages = text.split("\n")
    count = pdf_page_count(written[lang])
    # cover, overview, highlights, one page per indicator, then summary, measures and teams
    assert count >= 3 + len(report.indicator_pages) + 3
    first = text.split(PAGE_MARKER.format(n=2))[0]
    for field in (report.title, report.subtitle, report.organisation, report.office, report.period_label):
        assert compact(field) in compact(first)
    footers = [line for line in pages if report.as_of_label in line and report.data_version in line]
    assert len(footers) == count  # the as-of label and the data version on every page
    for n in range(1, count + 1):
        assert f"{n} / {count}" in footers[n - 1]
    flat = compact(pdf_text(written[lang], layout=False))  # reading order: wrapped cells stay whole
    for key in ("overview", "highlights", "summary", "measures", "teams"):
        assert compact(report.label(key)) in flat
    order = [flat.index(compact(report.label(k))) for k in ("overview", "summary", "measures", "teams")]
    assert order == sorted(order)
    for row in report.summary[0].rows:
        assert compact(row.name) in flat
    for pillar in report.pillars:
        for area in pillar.areas:
            for measure in area.measures:
                assert compact(measure.name) in flat
                assert all(compact(t.name) in flat for t in measure.tasks)
    assert all(compact(team.name) in flat for team in report.teams)


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_key_figures_and_every_highlight_are_printed(
    reports: dict[str, Report], written: dict[str, Path], lang: str
) -> None:
    report = reports[lang]
    flat = compact(pdf_text(written[lang], layout=False))
    for row in report.overview:
        for text in (row.indicator, row.latest, row.previous, row.target, row.status):
            assert compact(text) in flat, text
    for page in report.indicator_pages:  # the engine's figures, formatted here independently of the model
        card = page.card
        if card.latest is not None:
            ind = card.indicator
            assert compact(format_value(card.latest.value, ind.unit, ind.decimals, lang)) in flat
        for fact in page.facts:
            assert compact(fact.text) in flat
        for note in page.footnotes:
            assert compact(note) in flat
    sentences: list[Highlight] = [*report.key_highlights, *(h for p in report.indicator_pages for h in p.highlights)]
    assert sentences
    for h in sentences:
        assert compact(h.text(lang)) in flat, h.text(lang)
    # plan and estimate cells of the summary table are printed too
    cells = [c.text for s in report.summary for r in s.rows for c in r.cells if c.kind in ("plan", "estimate")]
    assert cells and all(compact(c) in flat for c in cells)


@needs_poppler
def test_the_same_report_gives_the_same_pdf(
    reports: dict[str, Report], written: dict[str, Path], tmp_path: Path
) -> None:
    again = write_pdf(reports["ja"], tmp_path / "again.pdf")
    assert pdf_text(again) == pdf_text(written["ja"])
    assert again.read_bytes() == written["ja"].read_bytes()  # no timestamps, same images, same fonts


# --- user text is text, never markup ------------------------------------------------------------

NASTY = r"#set page(width: 1cm) $x^2$ *bold* _it_ [link] \ @ref <label> `code` ~ // not a comment /* nor */ \#"


@needs_poppler
def test_markup_characters_in_user_text_are_printed_literally(
    reports: dict[str, Report], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = reports["ja"]
    row = dataclasses.replace(report.overview[0], indicator=f"指標 {NASTY}")
    highlight = dataclasses.replace(report.key_highlights[0], text_ja=f"文 {NASTY}")
    odd = dataclasses.replace(
        report,
        title=f"題 {NASTY}",
        overview=(row,),
        key_highlights=(highlight,),
        indicator_pages=report.indicator_pages[:1],
        summary=report.summary[:1],
        pillars=report.pillars[:1],
        teams=report.teams[:1],
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = write_pdf(odd, tmp_path / "odd.pdf")
    assert list(scratch.iterdir()) == []  # the chart images' temporary folder is gone
    flat = compact(pdf_text(path, layout=False))
    for text in (odd.title, row.indicator, highlight.text_ja):
        assert compact(text) in flat
    assert pdf_page_count(path) >= 6  # the markup did not shrink or swallow pages


@needs_poppler
def test_a_report_with_nothing_to_list_still_typesets(reports: dict[str, Report], tmp_path: Path) -> None:
    empty = dataclasses.replace(
        reports["en"],
        office="",
        overview=(),
        key_highlights=(),
        indicator_pages=(),
        years=(),
        summary=(),
        pillars=(),
        teams=(),
        commentary=None,
        other_commentary=(),
    )
    path = write_pdf(empty, tmp_path / "empty.pdf")
    text = pdf_text(path)
    assert pdf_page_count(path) == 4  # cover, overview, summary table, measures
    assert empty.title in text and empty.label("summary") in text


# --- helpers -------------------------------------------------------------------------------------


def test_labels_come_from_the_report_then_the_project_catalogue(reports: dict[str, Report]) -> None:
    ja, en = reports["ja"], reports["en"]
    assert label(ja, "summary") == ja.label("summary")
    assert (label(ja, "estimate"), label(en, "estimate")) == ("推計値", "Estimate")
    assert (label(ja, "breakdown"), label(ja, "of_which")) == ("内訳", "うち")
    assert (label(en, "breakdown"), label(en, "of_which")) == ("breakdown", "of which")
    assert label(ja, "no such label") == ""


def test_report_data_is_plain_json_of_the_report(reports: dict[str, Report]) -> None:
    report = reports["ja"]
    data = report_data(report, [f"chart-{i:03d}.svg" for i in range(len(report.indicator_pages))])
    assert data["title"] == report.title and data["as_of_label"] == "2022-07-01"
    assert [r["indicator"] for g in data["overview"] for r in g["rows"]] == [r.indicator for r in report.overview]
    assert [g["area"] for g in data["overview"]] == list(dict.fromkeys(r.area for r in report.overview))
    statuses = [f["status_key"] for p in data["pages"] for f in p["facts"] if f["status_key"]]
    assert statuses == [p.card.status.value for p in report.indicator_pages]
    names = [r["name"] for s in data["summary"]["sections"] for r in s["rows"]]
    assert names == [row.name for s in report.summary for row in s.rows] and "内訳 キオスク端末" in names
    assert data["fonts"][0] == "BIZ UDGothic"


def _svg(chart: Chart, lang: str = "ja") -> ElementTree.Element:
    return ElementTree.fromstring(chart_svg(chart, lang, 640, 380))


def _texts(root: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_stacked_chart_as_svg(reports: dict[str, Report]) -> None:
    model = next(p.chart for p in reports["ja"].indicator_pages if p.card.indicator.code == "cert_total")
    root = _svg(model)
    parts = [s for s in model.drawn]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("width") != "10" and r.get("width") != "640"]
    assert len(bars) == sum(len(s.points) for s in parts)  # one block per part and year
    texts = _texts(root)
    for series in parts:  # every part named in the legend, in full
        assert series.name.ja in texts
    assert [c.label.ja for c in model.categories] == [t for t in texts if t in {c.label.ja for c in model.categories}]
    assert model.x_title.ja in texts and any(t.endswith(",000") for t in texts)  # the years, the axis, its ticks
    faded = [r for r in bars if r.get("fill-opacity") == "0.5"]
    plans = sum(1 for s in parts for _, v in s.points if v.kind == "plan")
    assert len(faded) == plans > 0  # planned parts drawn lighter
    width = float(root.get("width") or 0)
    legend_x = [float(t.get("x") or 0) + text_em(t.text or "") * 12 for t in root.iter(f"{SVG}text")]
    assert max(legend_x) <= width + 1  # nothing runs off the right edge


def test_targets_projections_and_two_axes_as_svg(reports: dict[str, Report]) -> None:
    pages = reports["ja"].indicator_pages
    with_targets = next(
        p.chart for p in pages if p.chart.projections and any(s.role is Role.TARGET for s in p.chart.drawn)
    )
    root = _svg(with_targets)
    diamonds = [p for p in root.iter(f"{SVG}polygon")]
    targets = sum(len(s.points) for s in with_targets.drawn if s.role is Role.TARGET)
    assert len(diamonds) == targets + 1  # every target and the legend's own diamond
    dashed = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke-dasharray") == "6 4"]
    assert len(dashed) == len(with_targets.projections)
    assert "目標（◇印）" in _texts(root)
    two_axes = next(p.chart for p in pages if p.chart.axis(Axis.SECONDARY) is not None)
    texts = _texts(_svg(two_axes, "en"))
    for axis in two_axes.axes:
        assert axis.title.get("en") in texts
    assert any("right axis" in t for t in texts) and any("left axis" in t for t in texts)


def test_svg_names_are_text_not_markup(reports: dict[str, Report]) -> None:
    chart = reports["ja"].indicator_pages[0].chart
    series = dataclasses.replace(chart.series[0], name=Names('<b>&"x"</b>'))
    odd = dataclasses.replace(chart, kind=ChartKind.COMPARISON, series=(series, *chart.series[1:]))
    assert '<b>&"x"</b>' in _texts(_svg(odd))  # parsed back as the same text


def test_nice_ticks() -> None:
    assert nice_ticks(0, 75.0, 10) == [0, 10, 20, 30, 40, 50, 60, 70, 80]
    assert nice_ticks(-44.1, 0, 10) == [-45, -40, -35, -30, -25, -20, -15, -10, -5, 0]
    assert nice_ticks(0, 2_350_000, 10) == [n * 200_000 for n in range(13)]
    assert nice_ticks(5, 5, 4)[0] <= 5 <= nice_ticks(5, 5, 4)[-1]


def test_text_em() -> None:
    assert text_em("R3年度") == 3.0
    assert text_em("▲44.1%") == 3.5
