"""Downloads of an indicator: data as CSV (UTF-8 with BOM) or XLSX, the chart as SVG or PNG."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Any

import vl_convert
from django.http import Http404, HttpResponse

from shihyo.core.charts import chart_spec
from shihyo.core.indicators import Indicator
from shihyo.core.official_rows import OFFICIAL_COLUMNS, with_official
from shihyo.core.overview import main_org_unit
from shihyo.core.periods import Period
from shihyo.core.tables import indicator_rows
from shihyo.fonts import chart_png, chart_svg
from shihyo.io.cells import neutralise
from shihyo.reports.build import REPORT_TZ, report_for, write_reports
from shihyo.web.catalogue.evaluation import ProgrammeState
from shihyo.web.dashboard import report_files

COLUMNS = [
    "indicator",
    "name",
    "org_unit",
    "period",
    "period_label",
    "fiscal_year",
    "kind",
    "value",
    "unit",
    "display",
    *OFFICIAL_COLUMNS,
]


@cache
def vega_bundle() -> str:
    return vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;")


def _rows(state: ProgrammeState, indicator: Indicator, lang: str) -> list[dict[str, Any]]:
    return with_official(indicator_rows(state.result, lang, codes=[indicator.code]), state, lang)


def _attachment(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(state: ProgrammeState, indicator: Indicator, fmt: str, lang: str) -> HttpResponse:
    name = f"{indicator.code}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in _rows(state, indicator, lang):
            writer.writerow({k: neutralise(str(v)) if k not in ("value", "fiscal_year") else v for k, v in row.items()})
        return _attachment(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        return _attachment(
            _xlsx(state, indicator, lang),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    if fmt in ("svg", "png"):
        spec = chart_spec(state.result, indicator, main_org_unit(state.result.programme), lang, state.resolutions)
        if fmt == "svg":
            return _attachment(chart_svg(spec), "image/svg+xml", f"{name}.svg")
        return _attachment(chart_png(spec), "image/png", f"{name}.png")
    raise Http404(fmt)


def _xlsx(state: ProgrammeState, indicator: Indicator, lang: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(indicator.code[:31])
    bold = book.add_format({"bold": True, "bg_color": "#e8f1fe", "border": 1})
    decimals = max(indicator.decimals, 0)
    number = book.add_format(
        {
            "num_format": ("#,##0" + ("." + "0" * decimals if decimals else ""))
            + ';"▲"'
            + ("#,##0" + ("." + "0" * decimals if decimals else "")),
            "border": 1,
        }
    )
    text = book.add_format({"border": 1})
    headers = ["period_label", "kind", "value", "unit", "name", *OFFICIAL_COLUMNS]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    for r, row in enumerate(_rows(state, indicator, lang), start=1):
        sheet.write_string(r, 0, neutralise(str(row["period_label"])), text)
        sheet.write_string(r, 1, str(row["kind"]), text)
        sheet.write_number(r, 2, float(row["value"]), number)
        sheet.write_string(r, 3, neutralise(str(row["unit"])), text)
        sheet.write_string(r, 4, neutralise(str(row["name"])), text)
        for col, key in enumerate(OFFICIAL_COLUMNS, start=5):  # the other value beside an official figure
            if row[key]:
                sheet.write_string(r, col, neutralise(str(row[key])), text)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 12)
    sheet.set_column(2, 2, 16)
    sheet.set_column(4, 4, 40)
    sheet.set_column(8, 8, 60)
    book.close()
    return buffer.getvalue()


def as_of_label(state: ProgrammeState, lang: str) -> str:
    """When the report's data were taken: the evaluated moment in Tokyo time, or "latest"."""
    if state.as_of is None:
        return "最新" if lang == "ja" else "latest"
    return state.as_of.astimezone(REPORT_TZ).strftime("%Y-%m-%d %H:%M")


def report_key(state: ProgrammeState, period: Period, fmt: str, lang: str) -> report_files.ReportKey:
    return report_files.ReportKey(state.code, str(state.version), state.as_of, period.key, lang, fmt)


def report_file(
    state: ProgrammeState, period: Period, fmt: str, content_type: str, lang: str, as_of: str = ""
) -> HttpResponse:
    """The report written by the same code as `shihyo report`, kept on disk per data version and served from
    there (`report_files`); `as_of` is no longer needed (the label comes from the evaluated moment)."""
    stem = f"{state.result.programme.code}-report-{period.key}-{lang}"
    key = report_key(state, period, fmt, lang)

    def write(folder: Path) -> Path:
        model = report_for(state, period, lang, as_of_label(state, lang))
        (path,) = write_reports(model, [fmt], folder, stem)
        return path

    path = report_files.report_path(key, write)
    return _attachment(path.read_bytes(), content_type, f"{stem}.{fmt}")
