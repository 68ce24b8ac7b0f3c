"""Writing through the API as a department's system would: the same checks as the web form with problems
in the JSON shape (place, message, fix), the version guard (409), review steps, and English on request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.collection.models import EntryRevision, Round, Submission
from tests.api.test_permissions import UNIT, token_of
from tests.collection.conftest import dataset, fresh_evaluation_cache, round_

pytestmark = [pytest.mark.db, pytest.mark.django_db]
__all__ = ["dataset", "fresh_evaluation_cache", "round_"]


def post(client: Client, path: str, body: dict[str, Any], language: str = "ja") -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers={"Accept-Language": language})


def clerk() -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_of('ward_a_clerk')}")


def test_a_submission_with_problems_saves_nothing_and_names_each_place(round_: Round) -> None:
    body = {
        "version": 0,
        "entries": [
            {"code": "online", "period": "R4上期", "value": "-5"},
            {"code": "staff", "period": "R4上期", "value": "abc"},
        ],
    }
    response = post(clerk(), f"{UNIT}/submission", body, "en")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert len(problems) == 2
    assert all(p["place"] and p["message"] and p["fix"] for p in problems)
    assert "entries[1].value" in problems[1]["place"]
    assert EntryRevision.objects.count() == 0


def test_a_period_or_series_the_round_does_not_ask_for_is_refused(round_: Round) -> None:
    body = {
        "version": 0,
        "entries": [
            {"code": "online", "period": "R9上期", "value": "5"},
            {"code": "x", "period": "令和4年度上期", "value": "1"},
        ],
    }
    response = post(clerk(), f"{UNIT}/submission", body)
    assert response.status_code == 400
    assert [p["place"] for p in response.json()["problems"]] == ["api [entries[0]]", "api [entries[1]]"]
    response = post(
        clerk(),
        f"{UNIT}/submission",
        {"version": 0, "entries": [{"code": "online", "period": "R4かみき", "value": "1"}]},
    )
    assert response.status_code == 400 and "entries[0].period" in response.json()["problems"][0]["place"]


def test_a_stale_version_is_a_conflict_and_saves_nothing(round_: Round) -> None:
    good = {
        "version": 0,
        "entries": [
            {"code": "online", "period": "R4上期", "value": "10"},
            {"code": "staff", "period": "R4上期", "value": "2"},
        ],
    }
    first = post(clerk(), f"{UNIT}/submission", good)
    assert first.status_code == 200 and first.json() == {"version": 1, "changed": 2, "state": "submitted"}
    count = EntryRevision.objects.count()
    changed = [
        {"code": "online", "period": "R4上期", "value": "11"},
        {"code": "staff", "period": "R4上期", "value": "2"},
    ]
    second = post(clerk(), f"{UNIT}/submission", {**good, "entries": changed})  # still from version 0
    assert second.status_code == 409
    assert "version 0" in second.json()["error"] or "版 0" in second.json()["error"]
    assert EntryRevision.objects.count() == count


def test_a_reviewer_approves_through_the_api_and_the_figure_is_published(round_: Round) -> None:
    good = {
        "version": 0,
        "entries": [
            {"code": "online", "period": "R4上期", "value": "1,234"},
            {"code": "staff", "period": "R4上期", "value": "2"},
        ],
    }
    assert post(clerk(), f"{UNIT}/submission", good).status_code == 200
    reviewer = Client(HTTP_AUTHORIZATION=f"Bearer {token_of('reviewer')}")
    response = post(reviewer, f"{UNIT}/review", {"action": "approve", "version": 1})
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert str(evaluate_programme("mini").result.value("online", "ward_a", "FY2022H1")) == "1234"
    page = Client().get("/api/v1/programmes/mini/values?code=online&org_unit=ward_a&period=R4上期").json()
    assert [(i["period"], i["value"]) for i in page["items"]] == [("FY2022H1", 1234.0)]
    locked = post(clerk(), f"{UNIT}/submission", {**good, "version": 2})
    assert locked.status_code == 409
    returned = post(reviewer, f"{UNIT}/review", {"action": "return", "version": 2})
    assert returned.status_code in (400, 409) and Submission.objects.get(org_unit="ward_a").state == "approved"


def test_the_clerk_reads_what_the_unit_is_asked_for(round_: Round) -> None:
    body = clerk().get(UNIT).json()
    assert body["state"] == "not_submitted" and body["version"] == 0
    assert {(r["code"], r["period"]) for r in body["rows"]} == {("online", "FY2022H1"), ("staff", "FY2022H1")}
