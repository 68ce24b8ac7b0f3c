"""The Kobe report as an editable PowerPoint deck.

The deck's text (every slide's texts, tables cell by cell, charts' series) is compared with the reviewed
golden files tests/golden/report_kobe_pptx_{ja,en}.txt (regenerate with `pytest --update-golden`, review
the diff). The other tests check what a golden text cannot show: the slide plan follows the report model,
every Japanese run names an East Asian font, combined charts have a real secondary axis whose data is in
the embedded workbook, chart values are the engine's values, the file is reproducible and well formed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn

from shihyo.core.charts.build import index_target_chart
from shihyo.core.charts.legend import legend_entry
from shihyo.core.charts.model import Axis
from shihyo.core.charts.palette import KIND_LABELS
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.indicators import Chart, ChartKind
from shihyo.core.model import Dataset
from shihyo.core.report import Report
from shihyo.core.summary_table import SummaryCell
from shihyo.io.directory import read_programme_dir
from shihyo.reports.pptx.chart_drawing import add_chart
from shihyo.reports.pptx.charts import plan_chart
from shihyo.reports.pptx.dump import deck_dump
from shihyo.reports.pptx.render import STATUS_STYLE, plan_deck, write_pptx
from shihyo.reports.pptx.text import FONT, has_japanese
from tests.conftest import KOBE

Golden = Callable[[str, str], None]
LANGS = ("ja", "en")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def kobe() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture(scope="module")
def decks(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pptx")
    return {lang: write_pptx(report, folder / f"kobe_{lang}.pptx") for lang, report in reports.items()}


def _xml_parts(path: Path, prefixes: tuple[str, ...] = ("ppt/slides/slide", "ppt/charts/chart")) -> Iterator[Any]:
    """(name, parsed root) of the slide and chart parts of a saved deck."""
    with zipfile.ZipFile(path) as package:
        for name in sorted(package.namelist()):
            if name.startswith(prefixes) and name.endswith(".xml"):
                yield name, parse_xml(package.read(name))


def indicator_slides(report: Report) -> list[int]:
    """The slide number of each indicator page, in page order (a commentary slide may follow one)."""
    return [n for n, plan in enumerate(plan_deck(report), 1) if plan.kind == "indicator"]


def _charts(path: Path) -> dict[int, list[Any]]:
    """Slide number → the charts on it (python-pptx objects)."""
    prs = Presentation(str(path))
    found: dict[int, list[Any]] = {}
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                found.setdefault(number, []).append(shape.chart)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_deck_matches_the_reviewed_text(decks: dict[str, Path], lang: str, golden: Golden) -> None:
    golden(f"report_kobe_pptx_{lang}.txt", deck_dump(decks[lang]))


@pytest.mark.parametrize("lang", LANGS)
def test_one_slide_per_page_of_the_report(reports: dict[str, Report], decks: dict[str, Path], lang: str) -> None:
    report = reports[lang]
    plan = plan_deck(report)
    kinds = [p.kind for p in plan]
    count = {kind: kinds.count(kind) for kind in set(kinds)}
    # Kobe's overview, highlights and teams each fit one slide; the summary and measures tables need several
    assert count["cover"] == count["overview"] == count["highlights"] == count["teams"] == 1
    assert count["indicator"] == len(report.indicator_pages) == 19
    assert count["summary"] >= 2 and count["measures"] >= 2
    # the office's commentary: one slide after the highlights (the programme's) and one after each page that has it
    written = sum(1 for p in report.indicator_pages if p.commentary) + (report.commentary is not None)
    written += len(report.other_commentary)  # on indicators without a page of their own (電子契約)
    assert count["commentary"] == written == 9
    expected = 1 + 1 + 1 + len(report.indicator_pages) + written + count["summary"] + count["measures"] + 1
    prs = Presentation(str(decks[lang]))
    assert len(prs.slides) == len(plan) == expected
    for n, kind in enumerate(kinds):
        if kind == "commentary":  # after the highlights, or right after the indicator it is about
            assert kinds[n - 1] in ("highlights", "indicator", "commentary")
            if kinds[n - 1] == "indicator":
                assert plan[n].title.endswith(plan[n - 1].title)
    ordered = [k for k in kinds if k != "commentary"]
    assert ordered == sorted(
        ordered, key=["cover", "overview", "highlights", "indicator", "summary", "measures", "teams"].index
    )
    width, height = prs.slide_width, prs.slide_height
    assert width is not None and height is not None and width * 9 == height * 16  # 16:9
    titles = [p.title for p in plan if p.kind == "indicator"]
    assert titles == [page.title for page in report.indicator_pages]


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_row_of_the_model_is_on_a_slide(
    reports: dict[str, Report], decks: dict[str, Path], lang: str
) -> None:
    report = reports[lang]
    dump = deck_dump(decks[lang])
    for row in report.overview:
        assert f"| {row.indicator} | {row.latest} | {row.previous} | {row.target} | {row.status}" in dump
    summary = [line for line in dump.splitlines() if line.startswith("  r")]

    def shown(c: SummaryCell) -> str:  # a published figure shihyo cannot recompute is marked ※
        return c.text + ("※" if c.kind == "reported" else "")

    rows = Counter(f"{row.name} | {' | '.join(shown(c) for c in row.cells)}" for s in report.summary for row in s.rows)
    for text, times in rows.items():
        matches = [line for line in summary if line.endswith(f" {text}")]
        assert len(matches) == times, (text, matches)  # split over slides, never repeated or dropped


@pytest.mark.parametrize("lang", LANGS)
def test_every_run_names_the_japanese_font(decks: dict[str, Path], lang: str) -> None:
    runs = japanese = 0
    for name, root in _xml_parts(decks[lang]):
        for run in root.iter(qn("a:r")):
            runs += 1
            text = "".join(t.text or "" for t in run.iter(qn("a:t")))
            props = run.find(qn("a:rPr"))
            assert props is not None, (name, text)
            ea, latin = props.find(qn("a:ea")), props.find(qn("a:latin"))
            assert ea is not None and ea.get("typeface") == FONT, (name, text)
            assert latin is not None and latin.get("typeface") == FONT, (name, text)
            if has_japanese(text):
                japanese += 1
                assert props.get("lang") == "ja-JP", (name, text)
        # text without runs (chart tick labels, legends, data labels) takes c:txPr defaults: they too
        for tag in ("a:defRPr", "a:endParaRPr"):
            for props in root.iter(qn(tag)):
                ea = props.find(qn("a:ea"))
                assert ea is not None and ea.get("typeface") == FONT, (name, tag)
    assert runs > 1000 and (japanese > 500 if lang == "ja" else japanese > 0)  # English names the Japanese keep


def test_chart_text_properties_cover_titles_axes_and_legends(decks: dict[str, Path]) -> None:
    for name, root in _xml_parts(decks["ja"], ("ppt/charts/chart",)):
        assert root.find(qn("c:txPr")) is not None, name  # the chart's default text
        plot_area = root.find(qn("c:chart")).find(qn("c:plotArea"))
        for axis in [*plot_area.findall(qn("c:catAx")), *plot_area.findall(qn("c:valAx"))]:
            if axis.find(qn("c:delete")).get("val") == "0":
                assert axis.find(qn("c:txPr")) is not None, name
        legend = root.find(qn("c:chart")).find(qn("c:legend"))
        if legend is not None:
            assert legend.find(qn("c:txPr")) is not None, name


def _sheet_columns(xlsx: bytes) -> dict[str, list[Any]]:
    """The embedded workbook's first sheet: column letter → cell values (shared strings resolved)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            shared = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter(f"{SHEET}t")) for si in shared.iter(f"{SHEET}si")]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    columns: dict[str, list[Any]] = {}
    for cell in sheet.iter(f"{SHEET}c"):
        value = cell.find(f"{SHEET}v")
        if value is None or value.text is None:
            continue
        column = re.sub(r"\d", "", cell.get("r", ""))
        columns.setdefault(column, []).append(strings[int(value.text)] if cell.get("t") == "s" else float(value.text))
    return columns


@pytest.mark.parametrize("code", ["pc_small_rate", "wlan_rate", "free_address_rate", "paternity_leave_rate"])
def test_bar_line_charts_have_a_secondary_axis_with_both_series(
    reports: dict[str, Report], decks: dict[str, Path], code: str
) -> None:
    report = reports["ja"]
    index = next(i for i, p in enumerate(report.indicator_pages) if p.card.indicator.code == code)
    number = indicator_slides(report)[index]
    (chart,) = _charts(decks["ja"])[number]
    plot_area = chart._chartSpace.chart.plotArea
    bar, line = plot_area.find(qn("c:barChart")), plot_area.find(qn("c:lineChart"))
    assert bar is not None and line is not None
    value_axes = {a.find(qn("c:axId")).get("val"): a for a in plot_area.findall(qn("c:valAx"))}
    category_axes = {a.find(qn("c:axId")).get("val"): a for a in plot_area.findall(qn("c:catAx"))}
    line_cat, line_val = (a.get("val") for a in line.findall(qn("c:axId")))
    _, bar_val = (a.get("val") for a in bar.findall(qn("c:axId")))
    assert len(value_axes) == 2 and line_val != bar_val
    secondary = value_axes[line_val]
    assert secondary.find(qn("c:axPos")).get("val") == "r"
    assert secondary.find(qn("c:crosses")).get("val") == "max"
    assert secondary.find(qn("c:crossAx")).get("val") == line_cat
    assert category_axes[line_cat].find(qn("c:delete")).get("val") == "1"
    assert value_axes[bar_val].find(qn("c:axPos")).get("val") == "l"
    model = report.indicator_pages[index].chart
    # the legend says which is the bar and which the line, and on which axis; then the projection, if any
    names = [legend_entry("ja", s.name.ja, "bar" if s.axis is Axis.PRIMARY else "line", s.axis) for s in model.drawn]
    names += [p.label.ja for p in model.projections]
    bar_series, line_series = (list(p.series) for p in chart.plots)
    assert [s.name for s in bar_series + line_series] == names
    assert names[0].endswith("（棒・左軸）") and names[1].endswith("（折れ線・右軸）")
    # the line's data is in the embedded workbook, where its c:val reference points
    columns = _sheet_columns(chart.part.chart_workbook.xlsx_part.blob)
    ref = line.find(qn("c:ser")).find(qn("c:val")).find(qn("c:numRef")).find(qn("c:f")).text
    column = re.search(r"\$([A-Z]+)\$", ref)
    assert column is not None
    header, *values = columns[column.group(1)]
    assert header == line_series[0].name
    assert values == [v for v in line_series[0].values if v is not None]


@pytest.mark.parametrize("lang", LANGS)
def test_chart_values_are_the_engines_values(
    kobe: Dataset, reports: dict[str, Report], decks: dict[str, Path], lang: str
) -> None:
    report = reports[lang]
    style = kobe.programme.wareki_style
    charts = _charts(decks[lang])
    for number, page in zip(indicator_slides(report), report.indicator_pages, strict=True):
        (chart,) = charts[number]
        shown: dict[str, set[float]] = {}
        stacks: dict[str, float] = {}
        for plot in chart.plots:
            categories = [str(c) for c in plot.categories]
            for series in plot.series:
                for category, value in zip(categories, series.values, strict=True):
                    if value is not None:
                        shown.setdefault(category, set()).add(value)
                        stacks[category] = stacks.get(category, 0.0) + value
        # every yearly value of the indicator (actual, estimate, plan) is drawn at its period: as a point or
        # a bar, or as the height of the stack of its parts
        stacked = page.card.indicator.chart is not None and page.card.indicator.chart.kind is ChartKind.STACKED
        # where a published figure differs from its recomputation the official one is drawn (H29 overtime 16.2)
        official = {
            page.chart.categories[n].label.get(lang): float(v.value)
            for s in page.chart.series
            if s.code == page.card.indicator.code
            for n, v in s.points
            if v.other is not None
        }
        for point in page.card.trend:
            label = point.period.label(style, lang)
            expected = official.get(label, float(point.value))
            if stacked:
                assert stacks[label] == pytest.approx(expected, abs=1e-6), (page.title, point)
            else:
                assert expected in shown.get(label, set()), (page.title, point)
        # and nothing else is drawn: each value is a value of the page's chart model
        rows = {
            (page.chart.categories[n].label.get(lang), float(v.value)) for s in page.chart.series for n, v in s.points
        }
        for p in page.chart.projections:  # a projection is drawn from the latest actual to the target year
            rows.add((page.chart.categories[p.start].label.get(lang), float(p.start_value)))
            rows.add((page.chart.categories[p.end].label.get(lang), float(p.end_value)))
        for category, values in shown.items():
            for value in values:
                assert (category, value) in rows, (page.title, category, value)


def test_number_formats_follow_the_indicators_precision(decks: dict[str, Path], reports: dict[str, Report]) -> None:
    pages = reports["ja"].indicator_pages
    charts = _charts(decks["ja"])
    numbers = indicator_slides(reports["ja"])
    plot_areas = {
        p.card.indicator.code: charts[n][0]._chartSpace.chart.plotArea for n, p in zip(numbers, pages, strict=True)
    }

    def axis_format(code: str) -> str:
        return str(plot_areas[code].findall(qn("c:valAx"))[0].find(qn("c:numFmt")).get("formatCode"))

    assert axis_format("smart_coverage") == '#,##0.0;"▲"#,##0.0'  # a rate with one decimal
    assert axis_format("print_reduction_rate") == '#,##0.0;"▲"#,##0.0'  # negative: ▲44.1
    assert axis_format("cert_total") == '#,##0;"▲"#,##0'
    assert axis_format("hp_faq_access") == '#,##0,,"百万";"▲"#,##0,,"百万"'  # published in 百万件
    en = _charts(decks["en"])
    index = next(i for i, p in enumerate(pages) if p.card.indicator.code == "smart_coverage")
    plot_area = en[indicator_slides(reports["en"])[index]][0]._chartSpace.chart.plotArea
    assert plot_area.findall(qn("c:valAx"))[0].find(qn("c:numFmt")).get("formatCode") == "#,##0.0"


def test_overview_status_cells_are_coloured(decks: dict[str, Path], reports: dict[str, Report]) -> None:
    prs = Presentation(str(decks["ja"]))
    table = next(s for s in prs.slides[1].shapes if getattr(s, "has_table", False) and s.has_table).table
    for r, row in enumerate(reports["ja"].overview, 1):
        cell = table.cell(r, 5)
        assert cell.text == row.status
        colour, fill = STATUS_STYLE[row.status_key]
        tc = cell._tc
        assert tc.find(qn("a:tcPr")).find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val") == fill[1:].upper()
        assert (
            tc.find(".//" + qn("a:rPr")).find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val") == colour[1:].upper()
        )


def test_summary_plan_cells_are_shaded(decks: dict[str, Path], reports: dict[str, Report]) -> None:
    plan_texts = {c.text for s in reports["ja"].summary for r in s.rows for c in r.cells if c.kind == "plan"}
    prs = Presentation(str(decks["ja"]))
    shaded = plain = 0
    for number, slide_plan in enumerate(plan_deck(reports["ja"])):
        if slide_plan.kind != "summary":
            continue
        table = next(s for s in prs.slides[number].shapes if getattr(s, "has_table", False) and s.has_table).table
        for row in list(table.rows)[1:]:
            for cell in list(row.cells)[1:]:
                fill = cell._tc.find(qn("a:tcPr")).find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val")
                if fill == "DBE4FD":
                    shaded += 1
                    assert cell.text in plan_texts
                else:
                    plain += 1
    assert shaded > 20 and plain > shaded


def test_the_file_is_reproducible(reports: dict[str, Report], tmp_path: Path) -> None:
    first = write_pptx(reports["ja"], tmp_path / "a.pptx")
    second = write_pptx(reports["ja"], tmp_path / "b.pptx")
    assert deck_dump(first) == deck_dump(second)
    assert first.read_bytes() == second.read_bytes()  # fixed dates, zip timestamps and embedded workbooks
    props = Presentation(str(first)).core_properties
    assert props.created is not None and props.created.isoformat().startswith("2022-07-01")
    assert props.title == reports["ja"].title


@pytest.mark.parametrize("lang", LANGS)
def test_the_package_is_well_formed(decks: dict[str, Path], lang: str) -> None:
    """Every part parses, every internal relationship resolves, and each chart's workbook opens."""
    with zipfile.ZipFile(decks[lang]) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        for name in names:
            if name.endswith((".xml", ".rels")):
                parse_xml(package.read(name))
        for rels in (n for n in names if n.endswith(".rels")):
            base = rels.replace("_rels/", "").removesuffix(".rels")
            folder = base.rsplit("/", 1)[0] if "/" in base else ""
            for rel in ElementTree.fromstring(package.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = os.path.normpath(os.path.join(folder, rel.get("Target", ""))).lstrip("/")
                assert target in names, (rels, target)
        books = [n for n in names if n.startswith("ppt/embeddings/")]
        assert len(books) == 19
        for book in books:
            assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(package.read(book))).namelist()
    charts = _charts(decks[lang])  # python-pptx reads it back
    assert sum(len(found) for found in charts.values()) == 19


def test_index_target_charts_draw_the_actual_and_the_target_path(
    kobe: Dataset, reports: dict[str, Report], tmp_path: Path
) -> None:
    """No Kobe indicator uses it; draw one from Kobe's figures to check the kind."""
    result: EvaluationResult = evaluate(EvaluationRequest(kobe.programme, revisions_frame(kobe.observations)))
    page = next(p for p in reports["ja"].indicator_pages if p.card.indicator.code == "print_reduction_rate")
    indicator = replace(page.card.indicator, chart=Chart(ChartKind.INDEX_TARGET))
    plan = plan_chart(index_target_chart(result, indicator, "kobe"), "ja")
    assert plan is not None and plan.kind == "index_target"
    assert [s.name for s in plan.series] == ["実績", "目標"] and plan.series[1].dashed
    prs = Presentation()
    add_chart(prs.slides.add_slide(prs.slide_layouts[6]), plan, (0.5, 0.5, 8, 5))
    prs.save(str(tmp_path / "index.pptx"))
    (chart,) = _charts(tmp_path / "index.pptx")[1]
    (plot,) = chart.plots
    assert [s.name for s in plot.series] == ["実績", "目標"]
    assert chart._chartSpace.chart.plotArea.find(qn("c:lineChart")) is not None


def test_libreoffice_opens_the_deck(decks: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice converts the deck to PDF with one page per slide (combined charts included)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-impress): conversion not checked")
    profile = tmp_path / "profile"  # a private profile: runs in parallel do not share LibreOffice's lock
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(decks["ja"]),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / "kobe_ja.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr.decode(errors="replace")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(Presentation(str(decks["ja"])).slides)


@pytest.mark.parametrize("lang", LANGS)
def test_legends_name_the_target_mark_and_bar_charts_draw_their_projection(
    reports: dict[str, Report], decks: dict[str, Path], lang: str
) -> None:
    """Read back from the deck: a bar trend (smart-office total) shows its projection as a dashed
    grey line beside its bars, and the target's legend entry says what the diamond is."""
    report = reports[lang]
    index = next(i for i, p in enumerate(report.indicator_pages) if p.card.indicator.code == "sb_total")
    model = report.indicator_pages[index].chart
    (segment,) = model.projections
    (chart,) = _charts(decks[lang])[indicator_slides(report)[index]]
    assert chart.has_legend
    bars, lines = (list(p.series) for p in chart.plots)
    assert chart.plots[0].__class__.__name__ == "BarPlot" and chart.plots[1].__class__.__name__ == "LinePlot"
    names = [s.name for s in lines]
    assert names == ["目標（◇印）" if lang == "ja" else "Target (◇)", segment.label.get(lang)]
    projection = lines[1]
    values = list(projection.values)
    assert values[segment.start] == pytest.approx(float(segment.start_value))
    assert values[segment.end] == pytest.approx(float(segment.end_value))
    assert [v for i, v in enumerate(values) if i not in (segment.start, segment.end)] == [None] * (len(values) - 2)
    assert projection.format.line.dash_style is not None  # dashed, distinct from the bars of plans
    assert chart._chartSpace.chart.find(qn("c:dispBlanksAs")).get("val") == "span"  # the two points are joined
    kinds = KIND_LABELS[lang]
    assert [s.name for s in bars] == [kinds["actual"], kinds["estimate"], kinds["plan"]]  # the bars, by kind
