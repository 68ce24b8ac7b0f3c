"""A round from the users' side, over HTTP: submit on the web or in Excel/CSV, review, approve, audit."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import openpyxl  # type: ignore[import-untyped]  # no stubs
import pytest
from django.test import Client

from shihyo.core.clock import TOKYO, FixedClock
from shihyo.core.model import Dataset
from shihyo.web.catalogue.evaluation import clear_cache, evaluate_programme
from shihyo.web.catalogue.models import ObservationRevision
from shihyo.web.catalogue.repository import read_programme
from shihyo.web.collection.models import EntryRevision, Submission, SubmissionEvent
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]
BASE = "/collection/mini/r4-h1"


def signed_in(name: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": name, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def version(unit: str) -> int:
    return Submission.objects.get(org_unit=unit).version


def submit(client: Client, unit: str, online: str, staff: str, **extra: str) -> Any:
    data = {"version": str(version(unit)), "v-online-FY2022H1": online, "v-staff-FY2022H1": staff, **extra}
    return client.post(f"{BASE}/{unit}/", data)


def state(unit: str) -> str:
    return Submission.objects.get(org_unit=unit).state


def review(client: Client, unit: str, action: str, comment: str = "") -> Any:
    return client.post(f"{BASE}/{unit}/review/", {"action": action, "comment": comment, "version": version(unit)})


def test_a_round_from_submission_to_the_city_total(round_: object) -> None:
    ward_a, ward_b, city, reviewer = (signed_in(n) for n in ("ward_a_clerk", "ward_b_clerk", "city_clerk", "reviewer"))
    page = ward_a.get(f"{BASE}/ward_a/").content.decode()
    assert "R4年度上期" in page and "電子申請件数" in page and 'name="v-online-FY2022H1"' in page
    assert submit(ward_a, "ward_a", "1,200", "１０").status_code == 302
    assert submit(ward_b, "ward_b", "▲5", "8").status_code == 400, "a negative count is refused"
    assert EntryRevision.objects.filter(submission__org_unit="ward_b").count() == 0, "a refused form saves nothing"
    assert submit(ward_b, "ward_b", "0.08万", "8").status_code == 302
    city_form = city.get(f"{BASE}/city/").content.decode()
    assert 'name="v-hours-FY2022H1"' in city_form and 'name="v-online-FY2022H1"' not in city_form, (
        "the city reports its own series; the wards' series reach it as roll-ups"
    )
    assert city.post(f"{BASE}/city/", {"version": version("city"), "v-hours-FY2022H1": "300"}).status_code == 302
    assert {state(u) for u in ("city", "ward_a", "ward_b")} == {"submitted"}

    refused = review(reviewer, "city", "approve")
    assert refused.status_code == 409 and "下位の所属を先に承認" in refused.content.decode()
    assert review(reviewer, "ward_a", "approve").status_code == 302
    assert review(reviewer, "ward_b", "approve").status_code == 302
    assert review(reviewer, "city", "approve").status_code == 302
    assert state("city") == "approved"

    clear_cache()
    result = evaluate_programme("mini").result
    assert result.value("online", "ward_a", "FY2022H1") == Decimal(1200)
    assert result.value("online", "city", "FY2022H1") == Decimal(2000), "department values roll up to the city total"
    assert result.value("staff", "city", "FY2022H1") == Decimal(18)
    published = ObservationRevision.objects.filter(period="FY2022H1", org_unit="ward_a", code="online").get()
    assert published.text == "1,200" and published.recorded_by == "reviewer" and "R4年度上期" in published.reason


def test_the_city_total_is_provisional_until_every_ward_is_approved(round_: object) -> None:
    ward_a, ward_b, reviewer = signed_in("ward_a_clerk"), signed_in("ward_b_clerk"), signed_in("reviewer")
    public = Client()
    page = "/indicators/online_count/?period=FY2022H1&programme=mini"
    submit(ward_a, "ward_a", "1,200", "10")
    submit(ward_b, "ward_b", "800", "8")
    before = public.get(page).content.decode()
    assert "2区中0区" in before and "A区、B区" in before, "submitted figures are not public before approval"
    review(reviewer, "ward_a", "approve")
    clear_cache()
    partial = public.get(page).content.decode()
    assert "暫定 (2区中1区)" in partial and "まだの所属: B区" in partial
    assert "前年同期比" in partial and "前年度比" not in partial, "a half is compared with the same half a year before"
    assert "1,200件" in partial, "the approved ward's figure is public at once, and it is the city's provisional total"
    english = Client()
    english.cookies["shihyo_language"] = "en"
    assert "provisional (1 of 2 wards)" in english.get(page).content.decode()
    units_table = partial[partial.index('id="units-title"') :].split("</table>")[0]
    assert units_table.index("A区") < units_table.index("B区")
    assert "承認済" in units_table and "提出済" in units_table, "each ward's state in the round"
    assert "800" not in units_table and "未承認" not in units_table, "B区's figure is not public before approval"
    office = signed_in("office").get(page).content.decode()
    office_table = office[office.index('id="units-title"') :].split("</table>")[0]
    assert "未承認" in office_table and "800" in office_table, "the office sees what B区 entered, marked"
    review(reviewer, "ward_b", "approve")
    clear_cache()
    final = public.get(page).content.decode()
    assert "暫定" not in final and "2,000件" in final, "all wards in: the total is final and equals the sum"
    shares = final[final.index('id="units-title"') :]
    assert "60.0%" in shares and "40.0%" in shares, "each ward's share of the city total"
    spec = json.loads(final.split('<script id="units-spec" type="application/json">')[1].split("</script>")[0])
    assert [(row["unit"], row["value"]) for row in spec["data"]["values"]] == [("A区", 1200.0), ("B区", 800.0)]


def test_approved_figures_are_locked_until_reopened_with_a_reason(round_: object) -> None:
    clerk, reviewer = signed_in("ward_a_clerk"), signed_in("reviewer")
    submit(clerk, "ward_a", "100", "5")
    review(reviewer, "ward_a", "approve")
    locked = submit(clerk, "ward_a", "999", "5")
    assert locked.status_code == 409 and "ロック" in locked.content.decode()
    assert review(reviewer, "ward_a", "reopen").status_code == 400, "reopening needs a reason"
    assert review(reviewer, "ward_a", "reopen", "件数の集計漏れ").status_code == 302
    assert state("ward_a") == "returned"
    assert submit(clerk, "ward_a", "120", "5", **{"c-online-FY2022H1": "集計漏れを追加"}).status_code == 302
    review(reviewer, "ward_a", "approve")
    steps = list(SubmissionEvent.objects.filter(submission__org_unit="ward_a").values_list("action", "by", "comment"))
    assert steps == [
        ("submit", "ward_a_clerk", ""),
        ("approve", "reviewer", ""),
        ("reopen", "reviewer", "件数の集計漏れ"),
        ("submit", "ward_a_clerk", ""),
        ("approve", "reviewer", ""),
    ]
    history = clerk.get("/collection/mini/history/?code=online&org_unit=ward_a&period=R4上期").content.decode()
    assert history.count("<tr>") == 1 + 4, "two entries and two publications, after the header"
    assert "集計漏れを追加" in history and "100" in history and "120" in history


def test_return_needs_a_comment_and_lets_the_department_correct(round_: object) -> None:
    clerk, reviewer = signed_in("ward_a_clerk"), signed_in("reviewer")
    submit(clerk, "ward_a", "100", "5")
    assert review(reviewer, "ward_a", "return").status_code == 400
    assert review(reviewer, "ward_a", "return", "人数が昨年と違います").status_code == 302
    assert state("ward_a") == "returned"
    page = clerk.get(f"{BASE}/ward_a/").content.decode()
    assert "差戻し" in page and "人数が昨年と違います" in page


def test_a_stale_form_is_a_conflict_not_a_lost_update(round_: object) -> None:
    first, second = signed_in("ward_a_clerk"), signed_in("office")
    stale = version("ward_a")
    assert submit(first, "ward_a", "100", "5").status_code == 302
    response = second.post(f"{BASE}/ward_a/", {"version": stale, "v-online-FY2022H1": "999", "v-staff-FY2022H1": "5"})
    assert response.status_code == 409
    assert "他の人がこの提出を更新しました" in response.content.decode()
    latest = EntryRevision.objects.filter(code="online").order_by("-id").first()
    assert latest is not None and latest.text == "100"


def test_the_dashboard_can_be_read_as_of_before_the_approval(round_: object) -> None:
    clerk, reviewer = signed_in("ward_a_clerk"), signed_in("reviewer")
    submit(clerk, "ward_a", "100", "5")
    before = datetime.now(UTC)
    review(reviewer, "ward_a", "approve")
    assert ObservationRevision.objects.filter(period="FY2022H1").count() == 2
    old = read_programme("mini", before)
    assert not [o for o in old.dataset.observations if o.period.key == "FY2022H1"]
    new = read_programme("mini", before + timedelta(minutes=1))
    assert {o.code for o in new.dataset.observations if o.period.key == "FY2022H1"} == {"online", "staff"}


def filled_template(client: Client, unit: str, cells: dict[str, object]) -> bytes:
    response = client.get(f"{BASE}/{unit}/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["提出"]
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, unit: str, name: str, raw: bytes) -> Any:
    return client.post(f"{BASE}/{unit}/upload/", {"file": _named(raw, name), "version": version(unit)})


def _named(raw: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(raw)
    handle.name = name
    return handle


def test_the_excel_template_comes_back_with_japanese_notations(round_: object) -> None:
    clerk = signed_in("ward_a_clerk")
    raw = filled_template(clerk, "ward_a", {"H7": "1.2万", "H8": 10, "I7": "窓口の電子化で増加"})
    response = upload(clerk, "ward_a", "r4.xlsx", raw)
    assert response.status_code == 302, response.content.decode()[-2000:]
    texts = dict(EntryRevision.objects.values_list("code", "text"))
    assert texts == {"online": "1.2万", "staff": "10"}
    event = SubmissionEvent.objects.get()
    assert event.via == "xlsx"


def test_a_template_with_one_bad_cell_saves_nothing_and_names_the_cell(round_: object) -> None:
    clerk = signed_in("ward_a_clerk")
    raw = filled_template(clerk, "ward_a", {"H7": "1,200", "H8": "=5+5"})
    response = upload(clerk, "ward_a", "r4.xlsx", raw)
    body = response.content.decode()
    assert response.status_code == 400
    assert "r4.xlsx / 提出" in body and "H8" in body and "数式は使えません" in body
    assert EntryRevision.objects.count() == 0 and SubmissionEvent.objects.count() == 0


def test_a_template_of_another_unit_is_refused(round_: object) -> None:
    office = signed_in("office")
    raw = filled_template(office, "ward_b", {"H7": "1", "H8": "1"})
    response = upload(office, "ward_a", "ward_b.xlsx", raw)
    assert response.status_code == 400 and "ward_b" in response.content.decode()
    assert EntryRevision.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_uploads_in_every_encoding_excel_writes(round_: object, encoding: str) -> None:
    clerk = signed_in("ward_a_clerk")
    text = 'code,period,value,comment\r\nonline,R4上期,"1,500",前年より増加\r\nstaff,令和4年度上期,１２,\r\n'
    response = upload(clerk, "ward_a", "r4.csv", text.encode(encoding))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert dict(EntryRevision.objects.values_list("code", "text")) == {"online": "1,500", "staff": "１２"}
    assert EntryRevision.objects.get(code="online").comment == "前年より増加"


def test_the_round_page_lists_states_and_the_overdue(round_: object, clock: FixedClock) -> None:
    submit(signed_in("ward_a_clerk"), "ward_a", "1", "1")
    page = signed_in("office").get(f"{BASE}/").content.decode()
    assert page.count("未提出") >= 2 and "提出済" in page
    overdue = page.split('id="overdue-title"')[1].split("</section>")[0]
    assert "A区" not in overdue and "B区" in overdue and "テスト市" in overdue


def test_nothing_is_overdue_on_the_due_date(round_: object, clock: FixedClock) -> None:
    clock.moment = datetime(2022, 10, 31, 23, 59, tzinfo=TOKYO)  # the round is due 2022-10-31
    page = signed_in("office").get(f"{BASE}/").content.decode()
    assert 'id="overdue-title"' not in page
    clock.advance(timedelta(minutes=1))  # midnight in Tokyo: the next day
    page = signed_in("office").get(f"{BASE}/").content.decode()
    assert 'id="overdue-title"' in page


@pytest.mark.parametrize("table", ["collection_submissionevent", "collection_entryrevision"])
def test_the_database_refuses_to_rewrite_submission_history(round_: object, table: str) -> None:
    from django.db import DatabaseError, connection, transaction

    submit(signed_in("ward_a_clerk"), "ward_a", "100", "5")
    column = "comment"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = 'rewritten'")
    with pytest.raises(Exception, match="append-only"):
        EntryRevision.objects.all().delete()


def test_reloading_the_programme_files_keeps_the_figures_departments_sent(round_: object, dataset: Dataset) -> None:
    from shihyo.web.catalogue.repository import save_dataset
    from shihyo.web.collection.services import published_keys

    submit(signed_in("ward_a_clerk"), "ward_a", "100", "5")
    review(signed_in("reviewer"), "ward_a", "approve")
    keys = published_keys("mini")
    assert keys == {("online", "ward_a", "FY2022H1", "actual", ""), ("staff", "ward_a", "FY2022H1", "actual", "")}
    summary = save_dataset(dataset, now=datetime.now(UTC), reason="reload", keep=keys)
    assert (summary.withdrawn, summary.kept) == (0, 2)
    clear_cache()
    assert evaluate_programme("mini").result.value("online", "ward_a", "FY2022H1") == Decimal(100)


def test_the_rounds_list_shows_each_rounds_progress(round_: object) -> None:
    submit(signed_in("ward_a_clerk"), "ward_a", "1", "1")
    review(signed_in("reviewer"), "ward_a", "approve")
    submit(signed_in("ward_b_clerk"), "ward_b", "1", "1")
    page = signed_in("office").get("/collection/").content.decode()
    cell = page.split('class="progress-cell"')[1].split("</td>")[0]
    assert '<progress max="3" value="1"' in cell
    assert "承認済 1" in cell and "提出済 1" in cell and "未提出 1" in cell
    assert "期限超過 1" in cell, "the city has not submitted and the due date has passed"
