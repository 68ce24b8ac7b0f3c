"""Whole public pages come from the page cache, keyed by the data: ETag, 304, fresh after every write,
each visitor's own CSRF token, signed-in users never served a cached page."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shihyo.core.model import Dataset
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.repository import Publication, publish, save_dataset
from shihyo.web.collection import services
from shihyo.web.collection.models import Membership
from shihyo.web.dashboard.page_cache import page_state
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_token(content: bytes) -> str:
    return TOKEN.sub("", content.decode())


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture
def kobe(kobe_files: Dataset) -> Dataset:
    save_dataset(kobe_files, now=T0, recorded_by="office", reason="test load")
    return kobe_files


def test_a_page_is_served_again_from_the_cache_with_an_etag_and_304(client: Client, kobe: Dataset) -> None:
    first = client.get("/indicators/mnc_rate/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "no-cache" and "Cookie" in first["Vary"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/indicators/mnc_rate/")
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert without_token(again.content) == without_token(first.content)  # the token is masked anew each time
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]  # the page state, nothing else
    unchanged = client.get("/indicators/mnc_rate/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == first["ETag"]
    since = client.get("/indicators/mnc_rate/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # another language, another period, another page: other entries
    client.cookies["shihyo_language"] = "en"
    english = client.get("/indicators/mnc_rate/")
    assert english["ETag"] != first["ETag"] and "Overview" in english.content.decode()
    assert client.get("/indicators/mnc_rate/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_after_a_write_the_next_request_gets_the_new_figures(client: Client, kobe: Dataset) -> None:
    before = client.get("/indicators/mnc_rate/")
    assert "98.7" not in without_token(before.content)
    publish("kobe", "kobe", [Publication("mnc_rate_published", "FY2021", "98.7", "98.7", "", "t")], by="r", now=T0)
    after = client.get("/indicators/mnc_rate/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "98.7" in without_token(after.content)


def test_each_visitor_gets_a_working_csrf_token_of_their_own(kobe: Dataset) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_a = first.get("/").content.decode()
    page_b = second.get("/").content.decode()  # from the cache
    token_a, token_b = TOKEN.search(page_a), TOKEN.search(page_b)
    assert token_a and token_b and token_a.group(1) != token_b.group(1)
    assert "__shihyo_csrf_token__" not in page_b
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_b.group(1)})
    assert switched.status_code == 302, "the language switch of a cached page works"


def test_signed_in_users_are_not_served_cached_pages(client: Client, kobe: Dataset) -> None:
    user = User.objects.create_user("office", password="a-long-enough-password-1")
    Membership.objects.create(user=user, role="admin", org_units=[])
    client.get("/")  # cached for the public
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200 and "ETag" not in page
    assert "office" in page.content.decode()


def test_the_collection_rounds_are_part_of_the_page_state(kobe: Dataset) -> None:
    before = page_state()
    series = [s.code for s in kobe.programme.series][:1]
    services.open_round(
        "kobe", code="r9", name="R9", periods=["R4"], series=series, org_units=["kobe"], due=date(2022, 10, 31), by="o"
    )
    assert page_state().digest != before.digest
