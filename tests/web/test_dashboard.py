"""The dashboard through Django's test client, on SQLite and PostgreSQL: what each page says, in ja and en."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from shihyo.core.formatting import format_value
from shihyo.core.model import Dataset
from shihyo.core.periods import fiscal_year
from shihyo.io.cells import neutralise
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.catalogue.repository import save_dataset
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture
def kobe(kobe_files: Dataset) -> Dataset:
    save_dataset(kobe_files, now=T0, recorded_by="office", reason="test load")
    return kobe_files


def english(client: Client) -> Client:
    client.cookies["shihyo_language"] = "en"
    return client


def shown(code: str, period: int, org: str = "kobe") -> str:
    """The value as the engine computes it, formatted the way the pages write it."""
    state = evaluate_programme()
    indicator = state.result.programme.indicator_by_code()[code]
    value = state.result.value(code, org, fiscal_year(period))
    assert value is not None
    return format_value(value, indicator.unit, indicator.decimals, "ja")


def test_before_anything_is_loaded_the_page_says_what_to_do(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 503
    assert "shihyo load" in response.content.decode()


def test_overview_in_japanese_by_default(client: Client, kobe: Dataset) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "ja"
    assert '<html lang="ja">' in html and "主要指標の概要" in html
    for pillar in kobe.programme.pillars:
        assert pillar.name in html
    assert shown("mnc_rate", 2021) in html and shown("smart_coverage", 2021) in html
    assert "+16.2ポイント" in html  # the card's change vs the previous year, in points


def test_period_selects_the_figures(client: Client, kobe: Dataset) -> None:
    html = client.get("/?period=R1").content.decode()
    assert shown("mnc_rate", 2019) in html and shown("mnc_rate", 2021) not in html


def test_english(client: Client, kobe: Dataset) -> None:
    html = english(client).get("/").content.decode()
    assert '<html lang="en">' in html and "Key indicators at a glance" in html
    assert "My Number card issuance rate" in html and "+16.2 points" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=R9", "R9"),
        ("?period=nonsense", "nonsense"),
        ("?as_of=yesterday", "yesterday"),
        ("?as_of=2001-01-01", "2001-01-01"),
    ],
)
def test_bad_parameters_get_a_readable_400(client: Client, kobe: Dataset, query: str, message: str) -> None:
    response = client.get(f"/{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_indicator_page(client: Client, kobe: Dataset) -> None:
    html = client.get("/indicators/overtime_monthly_avg/").content.decode()
    assert "1人当たり月平均超過勤務時間" in html
    assert 'id="chart-spec"' in html and "vega-embed.js" in html
    assert "1,971,477 ÷ 10,227 ÷ 12 = 16.0643" in html  # the reconciliation note with its working
    assert "不一致" in html
    assert "test load" in html  # the revision history of the inputs
    assert client.get("/indicators/no_such_indicator/").status_code == 404


def test_other_pages(client: Client, kobe: Dataset) -> None:
    roadmap = client.get("/roadmap/").content.decode()
    task = kobe.programme.pillars[0].areas[0].measures[0].tasks[0]
    assert task.name in roadmap and kobe.programme.vision in roadmap
    organisation = client.get("/organisation/").content.decode()
    assert all(t.name in organisation for t in kobe.programme.teams)
    summary = client.get("/summary/").content.decode()
    assert "主要指標一覧表" in summary and "2,358,703件" in summary  # H29 certificates, the raw total
    assert client.get("/assets/vega-embed.js").content.startswith(b"")  # served without a CDN
    assert b"vegaEmbed" in client.get("/assets/vega-embed.js").content


def test_downloads(client: Client, kobe: Dataset) -> None:
    csv = client.get("/indicators/mnc_rate/download.csv")
    assert csv.content.startswith("\ufeff".encode()) and b"\r\n" in csv.content
    assert "マイナンバーカード交付率" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/indicators/mnc_rate/download.xlsx")
    assert zipfile.ZipFile(io.BytesIO(xlsx.content)).testzip() is None
    assert client.get("/indicators/mnc_rate/download.png").content.startswith(b"\x89PNG")
    assert b"<svg" in client.get("/indicators/mnc_rate/download.svg").content
    assert client.get("/indicators/mnc_rate/download.exe").status_code == 404


def test_user_text_is_escaped_and_formulas_neutralised(client: Client, kobe_files: Dataset) -> None:
    programme = kobe_files.programme
    hostile = tuple(
        replace(i, name='=HYPERLINK("x")<script>alert(1)</script>') if i.code == "mnc_rate" else i
        for i in programme.indicators
    )
    save_dataset(replace(kobe_files, programme=replace(programme, indicators=hostile)), now=T0)
    html = client.get("/indicators/mnc_rate/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    csv = client.get("/indicators/mnc_rate/download.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert neutralise("@SUM(A1)") == "'@SUM(A1)" and neutralise("plain") == "plain"


def test_new_data_shows_without_a_restart(client: Client, kobe: Dataset) -> None:
    before = client.get("/").content.decode()
    assert shown("mnc_rate", 2021) in before
    changed = tuple(
        replace(o, value=o.value + 1, text=str(o.value + 1))
        if o.code == "mnc_rate_published"
        and o.org_unit == "kobe"
        and o.period == fiscal_year(2021)
        and o.kind.value == "actual"
        else o
        for o in kobe.observations
    )
    save_dataset(replace(kobe, observations=changed), now=datetime(2022, 8, 1, tzinfo=ZoneInfo("Asia/Tokyo")))
    after = client.get("/").content.decode()
    # the R3 rate was published as 51.1: Kobe's policy keeps the published figure official until the office
    # decides, with the new recomputation beside it
    assert "公表値51.1 / 再計算52.1" in after
    past = client.get("/?as_of=2022-07-15").content.decode()
    assert "51.1%" in past and "再計算52.1" not in past  # the past stays as it was


def test_report_downloads_from_the_web(client: Client, kobe: Dataset) -> None:
    pdf = client.get("/report/download.pdf?period=R3")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="kobe-report-FY2021-ja.pdf"' in pdf["Content-Disposition"]
    pptx = client.get("/report/download.pptx")
    assert zipfile.ZipFile(io.BytesIO(pptx.content)).getinfo("ppt/presentation.xml")
    xlsx = english(client).get("/report/download.xlsx")
    assert zipfile.ZipFile(io.BytesIO(xlsx.content)).getinfo("xl/workbook.xml")
    assert client.get("/report/download.docx").status_code == 404
