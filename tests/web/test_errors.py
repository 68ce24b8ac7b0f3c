"""One error shape for the web: user errors as the site's page or as JSON, 404/403 in the layout, and an
internal error as an apology with the request id that the log line also carries."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from django.test import Client

from shihyo.core.model import Dataset
from shihyo.web.catalogue.repository import save_dataset

pytestmark = [pytest.mark.db, pytest.mark.django_db]
LAYOUT = 'class="site-header"'


@pytest.fixture
def loaded(mini: Dataset) -> Dataset:
    save_dataset(mini, now=datetime(2022, 4, 1, tzinfo=UTC), recorded_by="test")
    return mini


def english(client: Client) -> Client:
    client.cookies["shihyo_language"] = "en"
    return client


def test_a_user_error_is_the_sites_page_with_a_request_id(client: Client, loaded: Dataset) -> None:
    response = client.get("/?period=nonsense")
    html = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert LAYOUT in html and "このページを表示できません" in html and "期間として読み取れません" in html
    assert "[period]" in html, "the problem names the parameter"
    assert len(response["X-Request-ID"]) >= 8


def test_a_user_error_as_json_when_the_client_asks(client: Client, loaded: Dataset) -> None:
    response = english(client).get("/?period=FY1500", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"error", "problems"} and body["error"] == "please check this input"
    (problem,) = body["problems"]
    assert problem["place"] == "[period]" and "Japanese eras" in problem["message"] and "FY1869" in problem["fix"]


def test_a_user_error_without_problems_as_json(client: Client, loaded: Dataset) -> None:
    response = client.get("/?period=R30", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "R30 の数値はありません", "problems": []}


def test_json_lists_each_problem_with_place_message_and_fix(client: Client, loaded: Dataset) -> None:
    from tests.collection.conftest import PASSWORD, make_users

    make_users()
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    form = {"programme": "mini", "code": "r9", "name": "R9", "periods": "FY1500", "outlier_threshold": "nan"}
    response = client.post("/collection/new/", form, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["error"] == "入力を確認してください（2件）"
    places = {p["place"] for p in body["problems"]}
    assert {"[periods]", "[outlier_threshold]"} <= places
    assert all(p["message"] and p["fix"] for p in body["problems"]), body


def test_a_missing_page_uses_the_layout_in_both_languages(client: Client, loaded: Dataset) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and LAYOUT in response.content.decode()
    assert "ページが見つかりません" in response.content.decode()
    response = english(client).get("/no/such/page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_api_paths_answer_json_even_for_404(client: Client) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404 and json.loads(response.content)["problems"] == []


def test_a_refused_page_uses_the_layout_and_says_why(client: Client, loaded: Dataset) -> None:
    from tests.collection.conftest import PASSWORD, make_users

    make_users()
    client.post("/login/", {"username": "viewer", "password": PASSWORD})
    response = english(client).get("/collection/new/")
    html = response.content.decode()
    assert response.status_code == 403 and LAYOUT in html
    assert "Not permitted" in html and "Only the programme office opens rounds." in html


def test_a_form_without_its_csrf_token_gets_the_sites_403(loaded: Dataset) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and LAYOUT in response.content.decode()
    assert "再読み込み" in response.content.decode()


def test_an_internal_error_is_an_apology_with_the_logged_request_id(
    loaded: Dataset, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("secret detail of the failure")

    monkeypatch.setattr("shihyo.web.dashboard.views.evaluate_programme", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="shihyo.web"):
        response = client.get("/summary/")
    html = response.content.decode()
    ident = response["X-Request-ID"]
    assert response.status_code == 500 and ident in html
    assert "Traceback" not in html and "secret detail" not in html and "ZeroDivisionError" not in html
    records = [r for r in caplog.records if r.name == "shihyo.web"]
    assert len(records) == 1 and ident in records[0].getMessage() and "/summary/" in records[0].getMessage()
    assert records[0].exc_info is not None and records[0].exc_info[0] is ZeroDivisionError


def test_an_internal_error_as_json_gives_the_id_too(loaded: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("shihyo.web.dashboard.views.evaluate_programme", broken)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT="application/json")
    body = json.loads(response.content)
    assert response.status_code == 500 and body["request_id"] == response["X-Request-ID"]
    assert body["problems"] == [] and "boom" not in body["error"]


def test_a_proxys_request_id_is_kept(client: Client, loaded: Dataset) -> None:
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-id-12345")["X-Request-ID"] == "proxy-id-12345"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"
