"""The catalogue's Excel round trip: download, change a target and an assignment in the workbook, upload,
see the preview and save; a broken sheet names its cell and saves nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl  # type: ignore[import-untyped]  # no stubs
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shihyo.examples import path as example_path
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import definitions_of
from shihyo.web.catalogue.models import DefinitionRevision
from shihyo.web.catalogue.repository import save_dataset
from shihyo.web.collection.models import Membership

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2024, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def office() -> Client:
    save_dataset(read_programme_dir(example_path("minato")), now=T0, recorded_by="office", reason="load")
    user = User.objects.create_user(username="office", password="book-test-password-1")
    Membership.objects.create(user=user, role="admin", org_units=[])
    client = Client()
    client.force_login(user)
    return client


def download(client: Client) -> Any:
    response = client.get("/catalogue/minato/catalogue.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def column(ws: Any, key: str) -> int:
    return int(next(c.column for c in ws[2] if c.value == key))


def row_of(ws: Any, key: str, value: str) -> int:
    col = column(ws, key)
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col).value == value)


def upload(client: Client, book: Any, **extra: str) -> Any:
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("minato-catalogue.xlsx", out.getvalue(), content_type=XLSX)
    return client.post("/catalogue/minato/upload/", {"file": file, **extra})


def test_a_target_and_an_assignment_changed_in_excel_are_previewed_and_saved(office: Client) -> None:
    book = download(office)
    targets, series = book["目標"], book["系列"]
    target = definitions_of("minato").targets[0]
    point = target.points[-1]
    r = next(
        r
        for r in range(3, targets.max_row + 1)
        if targets.cell(r, column(targets, "indicator")).value == target.indicator
        and targets.cell(r, column(targets, "period")).value == point.period.key
    )
    new_value = str(point.value + 5)
    targets.cell(r, column(targets, "value")).value = new_value
    s = row_of(series, "code", "overtime_hours")
    series.cell(s, column(series, "reported_by")).value = "department"
    before = DefinitionRevision.objects.count()
    preview = upload(office, book)
    html = preview.content.decode()
    assert preview.status_code == 200, [p.render() for p in preview.context.get("problems", [])]
    assert "この変更で動く数値" in html and DefinitionRevision.objects.count() == before
    digest = preview.context["digest"]
    saved = office.post("/catalogue/minato/upload/", {"action": "save", "previewed": digest, "reason": "目標の見直し"})
    assert saved.status_code == 302
    assert DefinitionRevision.objects.count() == before + 1
    changed = definitions_of("minato")
    assert next(t for t in changed.targets if t.indicator == target.indicator).points[-1].value == point.value + 5
    assert next(s for s in changed.series if s.code == "overtime_hours").reported_by == ("department",)


def test_an_untouched_workbook_changes_nothing(office: Client) -> None:
    book = download(office)
    preview = upload(office, book)
    assert preview.status_code == 200 and preview.context["changes"].total == 0
    digest = preview.context["digest"]
    before = DefinitionRevision.objects.count()
    office.post("/catalogue/minato/upload/", {"action": "save", "previewed": digest, "reason": "確認"})
    assert DefinitionRevision.objects.count() == before  # the same files: no new version


@pytest.mark.parametrize(
    ("sheet", "key", "value", "message"),
    [
        ("系列", "decimals", "=1+1", "数式は使えません"),
        ("系列", "time_aggregation", "median", "使える値"),
        ("目標", "value", "たくさん", "目標!"),
        ("目標", "period", "来年", "目標!"),
        ("系列", "reported_by", "no_such_unit", "no_such_unit"),
        ("指標", "kind", "planet", "指標!"),
        ("指標", "base", "sometime", "指標!"),
        ("指標", "decimals", "=A1", "数式は使えません"),
    ],
)
def test_a_broken_sheet_names_the_cell_and_saves_nothing(
    office: Client, sheet: str, key: str, value: str, message: str
) -> None:
    book = download(office)
    ws = book[sheet]
    ws.cell(3, column(ws, key)).value = value
    before = DefinitionRevision.objects.count()
    response = upload(office, book)
    html = response.content.decode()
    assert response.status_code == 400, html[:500]
    assert message in html and f"{sheet}!" in html
    assert DefinitionRevision.objects.count() == before


def test_hostile_and_stale_workbooks_are_refused(office: Client) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (60 * 1024 * 1024))
    file = SimpleUploadedFile("bomb.xlsx", bomb.getvalue(), content_type=XLSX)
    assert office.post("/catalogue/minato/upload/", {"file": file}).status_code == 400
    junk = SimpleUploadedFile("junk.xlsx", b"not a workbook", content_type=XLSX)
    response = office.post("/catalogue/minato/upload/", {"file": junk})
    assert response.status_code == 400 and "読めません" in response.content.decode()
    book = download(office)
    stale = book["shihyo"]
    stale["B3"].value = str(int(stale["B3"].value) - 1)
    response = upload(office, book)
    assert response.status_code == 400 and "定義が変更されています" in response.content.decode()


def test_an_indicator_changed_in_excel_moves_its_figures_and_keeps_its_chart(office: Client) -> None:
    book = download(office)
    ws = book["指標"]
    r = row_of(ws, "code", "online_per_1000")
    assert ws.cell(r, column(ws, "factor")).value == "1000" and ws.cell(r, column(ws, "kind")).value == "ratio"
    ws.cell(r, column(ws, "factor")).value = "10000"
    ws.cell(r, column(ws, "name")).value = "人口1万人当たりのオンライン申請件数"
    preview = upload(office, book)
    assert preview.status_code == 200, [p.render() for p in preview.context.get("problems", [])]
    moved = {c.code for c in preview.context["changes"].shown}
    assert moved == {"online_per_1000"}  # only that indicator's figures move
    charts = {i.code: i.chart for i in definitions_of("minato").indicators}
    saved = office.post(
        "/catalogue/minato/upload/", {"action": "save", "previewed": preview.context["digest"], "reason": "1万人当たり"}
    )
    assert saved.status_code == 302
    after = {i.code: i for i in definitions_of("minato").indicators}
    assert after["online_per_1000"].name == "人口1万人当たりのオンライン申請件数"
    assert {c: i.chart for c, i in after.items()} == charts  # the charts the workbook does not hold are kept


def test_a_workbook_made_before_the_indicators_sheet_keeps_the_indicators(office: Client) -> None:
    book = download(office)
    del book["指標"]
    preview = upload(office, book)
    assert preview.status_code == 200 and preview.context["changes"].total == 0


def test_kobes_catalogue_round_trips_unchanged(office: Client) -> None:
    from tests.conftest import KOBE

    save_dataset(read_programme_dir(KOBE), now=T0, recorded_by="office", reason="load")
    response = office.get("/catalogue/kobe/catalogue.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["指標"].max_row > 40  # every indicator, restated bases and expressions included
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("kobe-catalogue.xlsx", out.getvalue(), content_type=XLSX)
    preview = office.post("/catalogue/kobe/upload/", {"file": file})
    assert preview.status_code == 200, [p.render() for p in preview.context.get("problems", [])]
    assert preview.context["changes"].total == 0
