"""Charts on the dashboard: names with quotes or Vega syntax are drawn as text, and the page's data
table (the chart's text alternative) lists every series the chart draws."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime
from html import unescape
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.formatting import format_value
from shihyo.core.model import Dataset
from shihyo.core.periods import fiscal_year
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.repository import save_dataset
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

# a name with both quotes, and names written as Vega expressions that would run if spliced into one
HOSTILE = {
    "cert_kiosk": 'O\'Brien "kiosk"',  # a part of the stacked chart cert_total
    "cert_mail_online": "'); alert(1); ('",
    "pc_small_count": '" || datum.value > 0 || "',  # the bars of the bar_line chart pc_small_rate
}
HOSTILE_UNITS = {"national": "全国 'x' \"y\"", "designated_cities": "datum['value']"}  # lines of mnc_rate
CHARTS = ("cert_total", "pc_small_rate", "mnc_rate")


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture
def hostile(kobe_files: Dataset) -> Dataset:
    programme = kobe_files.programme
    series = tuple(replace(s, name=HOSTILE[s.code]) if s.code in HOSTILE else s for s in programme.series)
    units = tuple(replace(u, name=HOSTILE_UNITS[u.code]) if u.code in HOSTILE_UNITS else u for u in programme.org_units)
    dataset = replace(kobe_files, programme=replace(programme, series=series, org_units=units))
    save_dataset(dataset, now=T0, recorded_by="office", reason="test load")
    return dataset


def _svg_texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text") or e.tag == "text"]


@pytest.mark.parametrize("code", CHARTS)
def test_chart_downloads_draw_quoted_and_expression_like_names_as_text(
    client: Client, hostile: Dataset, code: str
) -> None:
    svg = client.get(f"/indicators/{code}/download.svg")
    assert svg.status_code == 200, svg.content[:300]
    texts = _svg_texts(svg.content)
    names = {
        "cert_total": [HOSTILE["cert_kiosk"], HOSTILE["cert_mail_online"]],
        "pc_small_rate": [HOSTILE["pc_small_count"]],  # in the left axis title
        "mnc_rate": list(HOSTILE_UNITS.values()),  # in the legend
    }[code]
    for name in names:
        assert any(name in text for text in texts), (name, texts)
    png = client.get(f"/indicators/{code}/download.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_report_downloads_with_such_names(client: Client, hostile: Dataset) -> None:
    for fmt in ("pdf", "pptx", "xlsx"):
        response = client.get(f"/report/download.{fmt}?period=R3")
        assert response.status_code == 200, (fmt, response.content[:300])
    deck = zipfile.ZipFile(io.BytesIO(client.get("/report/download.pptx?period=R3").content))
    charts = "".join(deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/charts/chart"))
    assert all(unescape(name) in unescape(charts) for name in (*HOSTILE.values(), *HOSTILE_UNITS.values()))


def test_the_data_table_lists_every_series_the_chart_draws(client: Client, kobe_files: Dataset) -> None:
    save_dataset(kobe_files, now=T0, recorded_by="office", reason="test load")
    result = evaluate(EvaluationRequest(kobe_files.programme, revisions_frame(kobe_files.observations)))
    series = kobe_files.programme.series_by_code()
    expected = {
        "mnc_rate": [("national", "mnc_rate", "全国"), ("designated_cities", "mnc_rate", "指定都市")],
        "cert_total": [
            *(("kobe", code, series[code].name) for code in ("cert_kiosk", "cert_ward_counter")),
            ("kobe", "cert_total", kobe_files.programme.indicator_by_code()["cert_total"].name),  # their whole
        ],
        "overtime_monthly_avg": [("kobe", "overtime_720_count", series["overtime_720_count"].name)],
    }
    for indicator, shown in expected.items():
        html = client.get(f"/indicators/{indicator}/").content.decode()
        table = html[html.index('<table class="data">') : html.index("</table>")]
        for org_unit, code, name in shown:
            assert f'<th scope="col" class="num">{name}</th>' in table, (indicator, name)
            value = result.value(code, org_unit, fiscal_year(2021))
            assert value is not None
            unit = series[code].unit if code in series else kobe_files.programme.indicator_by_code()[code].unit
            decimals = (
                series[code].decimals if code in series else kobe_files.programme.indicator_by_code()[code].decimals
            )
            assert f">{format_value(value, unit, decimals, 'ja')}<" in table, (indicator, code, org_unit)
