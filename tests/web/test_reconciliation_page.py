"""The office's reconciliation page through the test client: list, filter, decide, refuse, history, as-of."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from shihyo.core.clock import FixedClock, use
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.models import ResolutionRevision
from shihyo.web.catalogue.repository import save_dataset
from tests.collection.conftest import PASSWORD, make_users
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
URL = "/reconciliation/"
H29_OVERTIME = {"programme": "kobe", "code": "overtime_monthly_avg", "org_unit": "kobe", "period": "FY2017"}


@pytest.fixture
def office() -> Client:
    save_dataset(read_programme_dir(KOBE), now=T0, recorded_by="office", reason="test load")
    make_users()
    client = Client()
    assert client.login(username="office", password=PASSWORD)
    return client


def test_the_list_shows_the_h29_overtime_case_with_both_values_and_the_policy(office: Client) -> None:
    page = office.get(URL).content.decode()
    assert "公表値を表示" in page  # the programme's policy, in words
    assert "overtime_monthly_avg" in page and "公表値16.2 / 再計算16.1" in page
    assert "1,971,477 ÷ 10,227 ÷ 12 = 16.0643" in page
    assert "mnc_rate" not in page  # agrees: not in the default list of differing figures
    assert "不一致 (13)" in page  # 13 differing figures (printed 18 times)
    agrees = office.get(URL, {"verdict": "agrees"}).content.decode()
    assert "mnc_rate" in agrees and 'name="reason"' not in agrees
    english = Client()
    english.cookies["shihyo_language"] = "en"
    english.login(username="office", password=PASSWORD)
    page_en = english.get(URL).content.decode()
    assert "published 16.2 / recomputed 16.1" in page_en and "show the published figure" in page_en


def test_a_decision_is_recorded_with_who_and_why_and_shows_everywhere_on_the_page(office: Client) -> None:
    moment = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    with use(FixedClock(moment)):
        response = office.post(
            URL + "?programme=kobe",
            {**H29_OVERTIME, "basis": "actual", "keep": "recomputed", "reason": "総時間÷人数÷12で訂正"},
        )
    assert response.status_code == 302
    row = ResolutionRevision.objects.get()
    assert (row.recorded_by, row.keep, row.reason, row.published_text, row.recomputed_text) == (
        "office",
        "recomputed",
        "総時間÷人数÷12で訂正",
        "16.2",
        "16.1",
    )
    page = office.get(URL).content.decode()
    assert "再計算16.1 / 公表値16.2" in page and "office、2026-12-02決定。理由: 総時間÷人数÷12で訂正" in page
    assert "2026-12-02 10:00" in page  # in the history
    # before the decision (data date the day before) the policy still decides, and no form is offered
    before = office.get(URL, {"as_of": (moment - timedelta(days=1)).strftime("%Y-%m-%d")}).content.decode()
    assert "公表値16.2 / 再計算16.1" in before and "方針により公表値を表示" in before
    assert 'name="reason"' not in before and "総時間÷人数÷12で訂正" not in before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**H29_OVERTIME, "basis": "actual", "keep": "recomputed", "reason": ""}, "reason"),
        ({**H29_OVERTIME, "basis": "actual", "keep": "recomputed", "reason": "長" * 501}, "reason"),
        ({**H29_OVERTIME, "basis": "actual", "keep": "delete", "reason": "x"}, "keep"),
        ({**H29_OVERTIME, "basis": "guess", "keep": "published", "reason": "x"}, "basis"),
        ({**H29_OVERTIME, "period": "R99", "basis": "actual", "keep": "published", "reason": "x"}, "period"),
        ({**H29_OVERTIME, "period": "FY2018", "basis": "actual", "keep": "published", "reason": "x"}, "一致"),
        ({**H29_OVERTIME, "code": "x" * 5000, "basis": "actual", "keep": "published", "reason": "x"}, "code"),
        ({"programme": "nowhere", "code": "c", "org_unit": "u", "period": "R3", "basis": "actual",
          "keep": "published", "reason": "x"}, "nowhere"),
    ],
)  # fmt: skip
def test_a_refused_decision_says_why_and_saves_nothing(office: Client, data: dict[str, str], message: str) -> None:
    response = office.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ResolutionRevision.objects.count() == 0


def test_without_csrf_token_the_form_is_refused(office: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="office", password=PASSWORD)
    data = {**H29_OVERTIME, "basis": "actual", "keep": "published", "reason": "定義変更"}
    assert strict.post(URL, data).status_code == 403
    assert ResolutionRevision.objects.count() == 0


def test_only_the_office_sees_the_page_and_its_link(office: Client) -> None:
    assert 'href="/reconciliation/' in office.get("/").content.decode()
    for name in ("reviewer", "viewer", "ward_a_clerk"):
        other = Client()
        assert other.login(username=name, password=PASSWORD)
        assert other.get(URL).status_code == 403
        assert (
            other.post(URL, {**H29_OVERTIME, "basis": "actual", "keep": "published", "reason": "x"}).status_code == 403
        )
        assert 'href="/reconciliation/' not in other.get("/").content.decode()
    anonymous = Client()
    assert anonymous.get(URL).status_code == 302
    assert ResolutionRevision.objects.count() == 0


def test_the_indicator_page_and_its_downloads_show_the_official_figure_with_the_other_beside_it(office: Client) -> None:
    page = Client().get("/indicators/overtime_monthly_avg/").content.decode()
    assert "16.2時間※1（公表値16.2 / 再計算16.1）" in page  # the year-by-year table, for the public too
    assert "※1 公表値16.2と再計算値16.1" in page and "方針により公表値を表示" in page
    csv_text = Client().get("/indicators/overtime_monthly_avg/download.csv").content.decode("utf-8-sig")
    (h29,) = [line for line in csv_text.splitlines() if ",FY2017," in line and line.startswith("overtime_monthly_avg,")]
    assert "16.2時間※（公表値16.2 / 再計算16.1）,published,16.2,16.1," in h29
    office.post(URL, {**H29_OVERTIME, "basis": "actual", "keep": "recomputed", "reason": "総時間÷人数÷12で訂正"})
    page = Client().get("/indicators/overtime_monthly_avg/").content.decode()
    assert "16.1時間※1（再計算16.1 / 公表値16.2）" in page and "理由: 総時間÷人数÷12で訂正" in page
    csv_text = Client().get("/indicators/overtime_monthly_avg/download.csv").content.decode("utf-8-sig")
    (h29,) = [line for line in csv_text.splitlines() if ",FY2017," in line and line.startswith("overtime_monthly_avg,")]
    assert "16.1時間※（再計算16.1 / 公表値16.2）,recomputed,16.2,16.1," in h29 and ",16.0643" in h29


def test_once_r4_actuals_are_approved_the_published_r4_plan_is_still_compared_with_the_plan(office: Client) -> None:
    from shihyo.core.reconcile import Basis, Verdict
    from shihyo.web.catalogue.evaluation import clear_cache, evaluate_programme
    from shihyo.web.catalogue.repository import Publication, publish

    approved = Publication("mnc_rate_published", "FY2022", "67.0", "67.0", "", "R4 approved")
    publish("kobe", "kobe", [approved], by="reviewer", now=T0 + timedelta(days=365))
    clear_cache()
    state = evaluate_programme("kobe")
    assert state.result.value("mnc_rate", "kobe", "FY2022") == 67  # the actual is in
    case = state.resolutions.case(("mnc_rate", "kobe", "FY2022", Basis.PLAN))
    assert case is not None and case.verdict is Verdict.AGREES  # 75.0 planned, 75.0 published: no 不一致
    assert "75.0 vs 67" not in office.get(URL).content.decode()
    assert "mnc_rate" not in office.get(URL).content.decode()  # not among the differing figures


def test_minato_works_as_well(office: Client) -> None:
    from shihyo import examples

    save_dataset(read_programme_dir(examples.path("minato")), now=T0, recorded_by="office", reason="test load")
    page = office.get(URL, {"programme": "minato"}).content.decode()
    assert "overtime_per_capita" in page and "公表値" in page and 'name="reason"' in page
    response = office.post(
        URL + "?programme=minato",
        {"programme": "minato", "code": "overtime_per_capita", "org_unit": "minato", "period": _minato_period(page)}
        | {"basis": "actual", "keep": "published", "reason": "報告書は切り捨てで表示"},
    )
    assert response.status_code == 302
    page = office.get(URL, {"programme": "minato"}).content.decode()
    assert "報告書は切り捨てで表示" in page and ResolutionRevision.objects.get().programme.code == "minato"


def _minato_period(page: str) -> str:
    import re

    found = re.search(
        r'name="code" value="overtime_per_capita">\s*<input[^>]*>\s*<input type="hidden" name="period" value="([^"]+)"',
        page,
    )
    assert found is not None
    return found.group(1)
