"""What the pages say about periods, the summary table and internal notes (Django test client, both databases)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from shihyo import examples
from shihyo.core.model import Dataset, ShowPolicy
from shihyo.core.official import Decision
from shihyo.core.periods import WarekiStyle, fiscal_year
from shihyo.core.reconcile import Basis
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.repository import record_decision, save_dataset
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


def load(dataset: Dataset, style: WarekiStyle | None = None) -> Dataset:
    if style is not None:
        dataset = replace(dataset, programme=replace(dataset.programme, wareki_style=style))
    save_dataset(dataset, now=T0, recorded_by="office", reason="test load")
    return dataset


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("style", list(WarekiStyle))
def test_the_year_is_named_once_in_every_style(client: Client, kobe_files: Dataset, style: WarekiStyle) -> None:
    load(kobe_files, style)
    for path in ("/", "/summary/", "/organisation/", "/roadmap/", "/indicators/print_index/"):
        page = text_of(client.get(path).content.decode())
        assert "年度年度" not in page and "期年度" not in page, path
    overview = text_of(client.get("/").content.decode())
    assert {"H31/R1": "R3年度", "R1": "R3年度", "令和元年度": "令和3年度"}[style.value] in overview


def test_months_follow_the_programmes_style(client: Client, kobe_files: Dataset) -> None:
    load(kobe_files, WarekiStyle.KANJI)
    organisation = text_of(client.get("/organisation/").content.decode())
    assert "令和2年3月" in organisation  # the smart-procedures PT, started R2/3
    assert not re.search(r"[HR][0-9]+年[0-9]+月", organisation)


def test_the_summary_page_is_the_reports_table(client: Client, kobe_files: Dataset) -> None:
    load(kobe_files)
    html = client.get("/summary/").content.decode()
    table = kobe_files.programme.summary_table
    assert table is not None
    rows = re.findall(r'<th scope="row" class="sticky-col[^"]*">(.*?)</th>', html, flags=re.S)
    assert [text_of(r).strip() for r in rows] == [r.label for s in table.sections for r in s.rows]
    years = re.findall(r'<th scope="col" class="num[^"]*">([^<]*)', html)
    assert years == ["H29", "H30", "H31/R1", "R2", "R3", "R4"]  # the definition's columns, as in the report
    assert "その他の指標" not in html and "912,466.7%" not in html  # nothing appended, no undefined cell
    assert "45.0%" in html and "cell--reported" in html  # the published R4 plan of the coverage, marked
    assert "published figure" in html or "公表値" in html


def test_public_pages_show_no_internal_notes_or_codes(client: Client, kobe_files: Dataset) -> None:
    load(kobe_files)
    roadmap = client.get("/roadmap/").content.decode()
    assert "phase: null" not in roadmap and "new: null" not in roadmap
    organisation = client.get("/organisation/").content.decode()
    for team in kobe_files.programme.teams:
        assert team.code not in text_of(organisation), team.code
    indicator = client.get("/indicators/print_index/").content.decode()
    assert "計算されない" not in indicator and "補正基準値の系列" not in indicator


def test_a_half_year_heads_the_page_as_a_half(client: Client) -> None:
    minato = load(read_programme_dir(examples.path("minato")))
    half = "FY2023H1"
    page = text_of(client.get(f"/?programme={minato.programme.code}&period={half}").content.decode())
    assert "R5年度上期" in page and "上期年度" not in page
    assert "前年同期比" in page


def test_the_summary_table_shows_the_official_figure_with_its_note(client: Client, kobe_files: Dataset) -> None:
    load(kobe_files)
    page = text_of(client.get("/summary/").content.decode())
    # as on the card and the indicator page: the published 16.2 (Kobe's policy), marked, the other value noted
    assert re.search(r"16\.2時間※(\d+)", page) and "16.1時間" not in page
    mark = re.search(r"16\.2時間(※\d+)", page)
    assert mark and f"{mark.group(1)} ⑫一人当たり平均超過勤務時間（H29）：公表値16.2・再計算値16.1" in page
    card = text_of(client.get("/indicators/overtime_monthly_avg/").content.decode())
    assert "16.2" in card
    record_decision(
        kobe_files.programme.code,
        Decision(
            "overtime_monthly_avg",
            "kobe",
            fiscal_year(2017),
            Basis.ACTUAL,
            ShowPolicy.RECOMPUTED,
            "総時間÷人数÷12で訂正",
            "office",
            T0 + timedelta(days=1),
        ),
    )
    corrected = text_of(client.get("/summary/").content.decode())
    assert re.search(r"16\.1時間※\d+", corrected) and "16.2時間" not in corrected
    assert "公表値16.2を再計算値16.1に訂正。office、" in corrected and "総時間÷人数÷12で訂正" in corrected
