"""The Excel report: numbers as numbers (the engine's), Japanese formats, native charts, same bytes twice.

Golden dumps: tests/golden/report_kobe_xlsx_ja.txt and _en.txt (`pytest --update-golden`, review the diff).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]  # no stubs; see pyproject mypy overrides
import polars as pl
import pytest

from shihyo.core.engine import EvaluationResult
from shihyo.core.indicators import ChartKind
from shihyo.core.numbers import to_decimal
from shihyo.core.official import Resolutions, official_figure, resolve
from shihyo.core.periods import Period, parse_period
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report
from shihyo.core.summary_table import PUBLISHED, summary_years
from shihyo.core.tables import indicator_rows
from shihyo.reports.xlsx.dump import workbook_charts, workbook_dump
from shihyo.reports.xlsx.render import BASE_FILL, FONT, PLAN_FILL, TEXT, number_format, write_xlsx

Golden = Callable[[str, str], None]
LANGS = ("ja", "en")


@pytest.fixture(scope="module")
def written(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("xlsx")
    return {lang: write_xlsx(report, folder / f"kobe_{lang}.xlsx") for lang, report in reports.items()}


@dataclasses.dataclass(frozen=True)
class _Disputed:
    result: EvaluationResult
    resolutions: Resolutions


_RESOLVED: dict[int, Resolutions] = {}


def _official(result: EvaluationResult, code: str, period: Period) -> Decimal | None:
    """The engine's value, or the official figure where a published figure differs (Kobe's policy)."""
    if id(result) not in _RESOLVED:
        _RESOLVED[id(result)] = resolve(reconcile(result), (), result.programme.show_when_differs)
    state = _Disputed(result, _RESOLVED[id(result)])
    figure = official_figure(state, code, "kobe", period)
    return figure.official if figure is not None else result.value(code, "kobe", period)


def _close(actual: Any, expected: Decimal | None) -> bool:
    assert expected is not None
    return (
        isinstance(actual, int | float)
        and not isinstance(actual, bool)
        and actual == pytest.approx(float(expected), rel=1e-12, abs=1e-12)
    )


def _summary_columns(ws: Any) -> tuple[int, dict[int, str]]:
    """Header row number and column → year label of the summary sheet."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        if row[1].value in (TEXT["ja"]["unit"], TEXT["en"]["unit"]):
            return row[0].row, {c.column: c.value for c in row[2:-1] if c.value}
    raise AssertionError("no header row")


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_matches_the_reviewed_dump(written: dict[str, Path], lang: str, golden: Golden) -> None:
    golden(f"report_kobe_xlsx_{lang}.txt", workbook_dump(written[lang]))


def test_write_returns_the_path_and_sheets_are_in_order(written: dict[str, Path], reports: dict[str, Report]) -> None:
    assert written["ja"].name == "kobe_ja.xlsx" and written["ja"].is_file()
    book = openpyxl.load_workbook(written["ja"])
    areas = list(dict.fromkeys(p.area.split(" — ")[-1] for p in reports["ja"].indicator_pages))
    assert book.sheetnames == ["表紙", "主要指標一覧表", *areas, "データ", "目標と予測", "所見", "主要施策一覧表"]
    assert openpyxl.load_workbook(written["en"]).sheetnames[:2] == ["Cover", "Summary"]


@pytest.mark.parametrize("lang", LANGS)
def test_summary_cells_are_the_engines_numbers(written: dict[str, Path], result: EvaluationResult, lang: str) -> None:
    ws = openpyxl.load_workbook(written[lang])[TEXT[lang]["summary"]]
    head, labels = _summary_columns(ws)
    years = {label: period for label, period in zip(labels.values(), summary_years(result), strict=True)}
    code_col = max(labels) + 1
    checked = 0
    for row in ws.iter_rows(min_row=head + 1):
        code = row[code_col - 1].value
        for cell in row[2 : code_col - 1]:
            if cell.value is None:
                continue
            assert cell.data_type == "n", f"{cell.coordinate} holds text {cell.value!r}: numbers must be numbers"
            expected = _official(result, str(code), years[labels[cell.column]])
            if expected is None:  # a published figure the engine cannot recompute (marked in the table)
                published = result.reported.filter(
                    (pl.col("code") == code) & (pl.col("period") == years[labels[cell.column]].key)
                )
                expected = to_decimal(published.get_column("value")[0]) if published.height else None
            assert _close(cell.value, expected), f"{code} {labels[cell.column]}: {cell.value} != {expected}"
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("lang", LANGS)
def test_key_indicator_rows_are_complete(written: dict[str, Path], reports: dict[str, Report], lang: str) -> None:
    """Every figure of a key indicator (and of the parts its chart stacks) is in the summary as a number."""
    report = reports[lang]
    shown = {p.card.indicator.code for p in report.indicator_pages}
    shown |= {c for p in report.indicator_pages if p.card.indicator.chart for c in p.card.indicator.chart.parts}
    ws = openpyxl.load_workbook(written[lang])[TEXT[lang]["summary"]]
    head, labels = _summary_columns(ws)
    code_col = max(labels) + 1
    rows = {r[code_col - 1].value: r for r in ws.iter_rows(min_row=head + 1)}
    for section in report.summary:
        for line in section.rows:
            if line.code in shown:
                written_cells = rows[line.code][2 : code_col - 1]
                for cell, summary_cell in zip(written_cells, line.cells, strict=True):
                    assert (cell.value is not None) == bool(summary_cell.kind), (line.code, cell.coordinate)


def test_signature_figures_in_the_summary(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["ja"])["主要指標一覧表"]
    head, labels = _summary_columns(ws)
    column = {label: col for col, label in labels.items()}
    code_col = max(labels) + 1
    rows = {r[code_col - 1].value: r[0].row for r in ws.iter_rows(min_row=head + 1)}
    assert ws.cell(rows["mnc_rate"], column["R3"]).value == 51.1
    assert ws.cell(rows["cert_total"], column["H29"]).value == 2_358_703
    assert ws.cell(rows["cert_kiosk"], column["H29"]).value == 58_842  # a part (series) of the stacked chart
    reduction = ws.cell(rows["print_reduction_rate"], column["R3"])
    assert reduction.value == pytest.approx(-44.0991756623) and reduction.number_format == '#,##0.0;"▲"#,##0.0'
    name = ws.cell(rows["cert_kiosk"], 1)
    assert name.alignment.indent == 1 and name.value == "内訳 キオスク端末"  # the label of summary_table.yaml


def test_plans_are_filled_estimates_marked_and_base_year_marked(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["ja"])["主要指標一覧表"]
    head, labels = _summary_columns(ws)
    column = {label: col for col, label in labels.items()}
    code_col = max(labels) + 1
    rows = {r[code_col - 1].value: r[0].row for r in ws.iter_rows(min_row=head + 1)}
    plan = ws.cell(rows["mnc_rate"], column["R4"])
    assert plan.value == 75 and plan.fill.fgColor.rgb == "FF" + PLAN_FILL[1:].upper()
    actual = ws.cell(rows["mnc_rate"], column["R3"])
    assert actual.fill.fgColor.rgb != plan.fill.fgColor.rgb
    estimate = ws.cell(rows["sb_total"], column["H29"])
    assert estimate.value == 2_224_231 and estimate.font.i and estimate.number_format.startswith('"※"')
    assert ws.cell(head, column["H29"]).fill.fgColor.rgb == "FF" + BASE_FILL[1:].upper()
    assert ws.cell(head - 1, column["H29"]).value == "基準年度"
    assert ws.cell(head - 1, column["R3"]).value == "報告年度"


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_format_shows_negatives_the_reports_way(written: dict[str, Path], lang: str) -> None:
    book = openpyxl.load_workbook(written[lang])
    minus = '"▲"' if lang == "ja" else ";-"
    formats = set()
    for ws in book.worksheets[1:]:  # the cover holds only the legend
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "n" and cell.value is not None and cell.number_format != "0":
                    formats.add(cell.number_format)
    assert formats and all(minus in f or '"※▲"' in f or '"*-"' in f for f in formats), formats
    assert number_format(1, lang) in formats


def test_the_targets_sheet_has_judged_targets_grades_and_projections(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["ja"])["目標と予測"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = rows[0]
    mnc = next(r for r in rows if r[0] == "マイナンバーカード交付率")
    cell = dict(zip(head, mnc, strict=True))
    assert cell["判定の対象"] == "R3年度目標 50.0%" and cell["最終目標"] == "R4年度 75.0%"
    assert cell["評価"] == "S" and isinstance(cell["進捗率（%）"], float) and round(cell["進捗率（%）"], 1) == 103.1
    assert isinstance(cell["予測値"], float) and round(cell["予測値"], 1) == 65.4  # numeric, not text
    assert cell["見通し"] == "加速が必要（届かない見込み）"
    assert cell["もとにした実績"] == "H31/R1 21.5%、R2 34.9%、R3 51.1%"
    smart = next(r for r in rows if r[0] == "行政手続スマート化カバー率")
    assert "2年度分しかありません" in dict(zip(head, smart, strict=True))["予測値"]  # says why there is none


def test_panes_are_frozen(written: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(written["ja"])
    head, _ = _summary_columns(book["主要指標一覧表"])
    assert book["主要指標一覧表"].freeze_panes == f"C{head + 1}"  # header rows, name and unit columns
    assert book["データ"].freeze_panes == "A2"


@pytest.mark.parametrize("lang", LANGS)
def test_data_sheet_rows_are_the_engines_values(written: dict[str, Path], result: EvaluationResult, lang: str) -> None:
    ws = openpyxl.load_workbook(written[lang])[TEXT[lang]["data"]]
    heads = [c.value for c in ws[1]]
    assert heads == TEXT[lang]["data_head"].split("|")
    count = 0
    for code, _, org_unit, period, _, year, _, value, _ in ws.iter_rows(min_row=2, values_only=True):
        assert isinstance(year, int) and parse_period(str(period)).fiscal_year == year
        assert _close(value, result.value(str(code), str(org_unit), str(period))), (code, org_unit, period, value)
        count += 1
    assert count > 80
    assert {r[2] for r in ws.iter_rows(min_row=2, values_only=True)} >= {"kobe", "national", "designated_cities"}


@pytest.mark.parametrize("lang", LANGS)
def test_each_indicator_page_has_a_native_chart(
    written: dict[str, Path], reports: dict[str, Report], lang: str
) -> None:
    report = reports[lang]
    charts = workbook_charts(written[lang])
    assert [c.title for c in charts] == [p.title for p in report.indicator_pages]
    for page, chart in zip(report.indicator_pages, charts, strict=True):
        assert chart.sheet == page.area.split(" — ")[-1]
        assert chart.description  # alternative text from the chart specification
        kind = page.card.indicator.chart.kind if page.card.indicator.chart else ChartKind.TREND
        types = [(p.type, p.grouping) for p in chart.plots]
        assert chart.has_secondary_axis == (kind is ChartKind.BAR_LINE), page.card.indicator.code
        if kind is ChartKind.BAR_LINE:
            assert types == [("bar", "clustered"), ("line", "standard")]
            assert not chart.plots[0].secondary and chart.plots[1].secondary
            # the legend says which series is the bar and which the line, on which axis, as the dashboard
            ja = ("（棒・左軸）", "（折れ線・右軸）")
            bar, line = ja if lang == "ja" else (" (bars, left axis)", " (line, right axis)")
            assert any(s.name.endswith(bar) for s in chart.plots[0].series), [s.name for s in chart.plots[0].series]
            assert any(s.name.endswith(line) for s in chart.plots[1].series)
        elif kind is ChartKind.STACKED:
            assert types == [("bar", "stacked")] and len(chart.plots[0].series) == 4
        elif kind is ChartKind.COMPARISON:
            assert types == [("line", "standard")]
            # Kobe, national, designated cities, target, then the projection
            assert len(chart.plots[0].series) == 4 + len(page.chart.projections)
        elif page.card.indicator.is_rate or page.card.indicator.unit in ("Pt", "時間"):
            assert types[0][0] == "line"
        else:
            assert types[0] == ("bar", "clustered")
        for plot in chart.plots:
            for s in plot.series:
                assert s.values.startswith(f"{chart.sheet}!$") and s.categories.startswith(f"{chart.sheet}!$A$")


def test_writing_twice_gives_the_same_bytes(reports: dict[str, Report], tmp_path: Path) -> None:
    first = write_xlsx(reports["ja"], tmp_path / "one.xlsx")
    second = write_xlsx(reports["ja"], tmp_path / "two.xlsx")
    assert first.read_bytes() == second.read_bytes()
    assert workbook_dump(first) == workbook_dump(second)


def test_formula_like_text_stays_text(reports: dict[str, Report], tmp_path: Path) -> None:
    report = reports["ja"]
    section = report.summary[0]
    row = dataclasses.replace(section.rows[0], name='=HYPERLINK("http://example.com","x")')
    hostile = dataclasses.replace(
        report,
        title="=1+1",
        data_version="@SUM(A1)",
        as_of_label="-2+3",
        summary=(dataclasses.replace(section, title="+cmd", rows=[row, *section.rows[1:]]), *report.summary[1:]),
    )
    book = openpyxl.load_workbook(write_xlsx(hostile, tmp_path / "hostile.xlsx"))
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {"=1+1", "@SUM(A1)", "+cmd", row.name}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_values_the_model_carries_fill_every_cell(
    reports: dict[str, Report], result: EvaluationResult, tmp_path: Path
) -> None:
    report = reports["ja"]
    book = openpyxl.load_workbook(write_xlsx(report, tmp_path / "full.xlsx"))
    ws = book["主要指標一覧表"]
    head, labels = _summary_columns(ws)
    years = dict(zip(labels.values(), summary_years(result), strict=True))
    code_col = max(labels) + 1
    rows = {r[code_col - 1].value: r for r in ws.iter_rows(min_row=head + 1)}
    expected = 0
    for section in report.summary:
        for line in section.rows:
            for cell, summary_cell in zip(rows[line.code][2 : code_col - 1], line.cells, strict=True):
                if summary_cell.kind:
                    year = years[labels[cell.column]]
                    engine = _official(result, line.code, year)
                    assert (engine is None) == (summary_cell.kind == PUBLISHED), (line.code, cell.coordinate)
                    expected_value = summary_cell.value if engine is None else engine
                    assert _close(cell.value, expected_value), (line.code, cell.coordinate)
                    expected += 1
                else:
                    assert cell.value is None
    assert expected > 280  # the cells summary_table.yaml defines and the engine (or a published figure) fills
    data = list(book["データ"].iter_rows(min_row=2, values_only=True))
    assert len(data) == len(report.data_rows) == len(indicator_rows(result))
    for code, _, org_unit, period, _, _, _, value, _ in data:
        assert _close(value, result.value(str(code), str(org_unit), str(period)))


def test_workbook_font_is_biz_ud_gothic(written: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(written["ja"])
    default = book._fonts[0]  # the workbook's default (Normal) font
    assert default.name == FONT and default.charset == 128
    assert all(f.name == FONT for f in book._fonts)


def _cell(book: Any, ref: str) -> Any:
    sheet, at = ref.split("!")
    return book[sheet.strip("'")][at.replace("$", "")]


def _range(book: Any, ref: str) -> list[Any]:
    sheet, at = ref.split("!")
    return [c.value for row in book[sheet.strip("'")][at.replace("$", "")] for c in row]


@pytest.mark.parametrize("lang", LANGS)
def test_every_projection_is_a_dashed_series_of_its_chart(
    written: dict[str, Path], reports: dict[str, Report], lang: str
) -> None:
    """Read back with openpyxl and the chart XML: each projected page's chart has a dashed series named for the
    projection, its two cells the latest actual and the projected value, joined across the blank years; bar
    charts (a trend of counts, bars with a ratio line) draw it too."""
    report = reports[lang]
    book = openpyxl.load_workbook(written[lang])
    charts = workbook_charts(written[lang])
    kinds = set()
    for page, chart in zip(report.indicator_pages, charts, strict=True):
        series = [s for plot in chart.plots for s in plot.series]
        names = [_cell(book, s.name).value if "!" in s.name else s.name for s in series]
        if not page.chart.projections:
            assert chart.blanks in ("", "gap") and not any(s.dash for s in series), page.title  # gap: the default
            continue
        (segment,) = page.chart.projections
        (drawn,) = [s for s, name in zip(series, names, strict=True) if name == segment.label.get(lang)]
        assert drawn.dash == "dash" and chart.blanks == "span"
        values = _range(book, drawn.values)
        assert values[segment.start] == pytest.approx(float(segment.start_value))
        assert values[segment.end] == pytest.approx(float(segment.end_value))
        assert sum(v is not None for v in values) == 2
        plot = next(p for p in chart.plots if drawn in p.series)
        assert plot.secondary == (page.chart.kind is ChartKind.BAR_LINE and segment.axis.value == "secondary")
        kinds.add(chart.plots[0].type)
    assert kinds == {"bar", "line"}  # Kobe projects on bar charts and on line charts
