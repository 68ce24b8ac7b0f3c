"""The API's permission matrix: every endpoint × every role (and anonymous), through Django's client with
each account's own token, asserting the status and that exactly the permitted requests write.

The roles and org-unit scopes are the web's (tests/collection/test_permissions.py): published data is
public; rounds need a token of any role; a unit's figures need a submitter of that unit (or above it), a
reviewer, the office or a viewer; submitting needs the office or the unit's submitter; review steps need a
reviewer or the office. A read token never writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.web.api import tokens
from shihyo.web.catalogue.models import ObservationRevision
from shihyo.web.collection.models import EntryRevision, Round, Submission, SubmissionEvent
from tests.collection.conftest import dataset, fresh_evaluation_cache, round_
from tests.collection.test_permissions import submit_ward_a

pytestmark = [pytest.mark.db, pytest.mark.django_db]
__all__ = ["dataset", "fresh_evaluation_cache", "round_"]

ROLES = ("anonymous", "office", "reviewer", "ward_a_clerk", "ward_b_clerk", "city_clerk", "viewer")
PUBLIC = dict.fromkeys(ROLES, 200)
MEMBERS = {**PUBLIC, "anonymous": 401}
READ_WARD_A = {**MEMBERS, "ward_b_clerk": 403}
WRITE_WARD_A = {**READ_WARD_A, "reviewer": 403, "viewer": 403}
REVIEW = {**READ_WARD_A, "ward_a_clerk": 403, "city_clerk": 403, "viewer": 403}
P = "/api/v1/programmes/mini"
UNIT = f"{P}/rounds/r4-h1/units/ward_a"
SUBMISSION = {
    "entries": [
        {"code": "online", "period": "R4上期", "value": "10"},
        {"code": "staff", "period": "FY2022H1", "value": "2"},
    ]
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: str
    expected: dict[str, int]
    body: dict[str, Any] | None = None
    submitted_first: bool = False


ENDPOINTS = (
    Endpoint("programmes", "get", "/api/v1/programmes", PUBLIC),
    Endpoint("programme", "get", P, PUBLIC),
    Endpoint("roadmap", "get", f"{P}/roadmap", PUBLIC),
    Endpoint("series", "get", f"{P}/series", PUBLIC),
    Endpoint("indicators", "get", f"{P}/indicators", PUBLIC),
    Endpoint("indicator", "get", f"{P}/indicators/online_share", PUBLIC),
    Endpoint("values", "get", f"{P}/values?code=online&org_unit=city&limit=5", PUBLIC),
    Endpoint("targets", "get", f"{P}/targets", PUBLIC),
    Endpoint("reconciliation", "get", f"{P}/reconciliation", PUBLIC),
    Endpoint("rounds", "get", f"{P}/rounds", MEMBERS),
    Endpoint("round", "get", f"{P}/rounds/r4-h1", MEMBERS),
    Endpoint("ward A figures", "get", UNIT, READ_WARD_A),
    Endpoint("submit ward A", "post", f"{UNIT}/submission", WRITE_WARD_A, SUBMISSION),
    Endpoint("save a draft for ward A", "post", f"{UNIT}/submission", WRITE_WARD_A, {**SUBMISSION, "draft": True}),
    Endpoint("approve ward A", "post", f"{UNIT}/review", REVIEW, {"action": "approve"}, True),
    Endpoint("return ward A", "post", f"{UNIT}/review", REVIEW, {"action": "return", "comment": "再確認"}, True),
)


def token_of(role: str, scope: str = "write") -> str:
    return tokens.issue(User.objects.get(username=role), "tests", scope, 30).secret


def _client(role: str, scope: str = "write") -> Client:
    if role == "anonymous":
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_of(role, scope)}")


def _footprint() -> tuple[int, ...]:
    return (
        EntryRevision.objects.count(),
        SubmissionEvent.objects.count(),
        ObservationRevision.objects.count(),
        Round.objects.count(),
    )


def _call(client: Client, endpoint: Endpoint) -> Any:
    if endpoint.method == "get":
        return client.get(endpoint.url)
    body = {**(endpoint.body or {}), "version": Submission.objects.get(org_unit="ward_a").version}
    return client.post(endpoint.url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_permission_matrix(round_: Round, endpoint: Endpoint, role: str) -> None:
    if endpoint.submitted_first:
        submit_ward_a(round_)
    client = _client(role)
    before = _footprint()
    response = _call(client, endpoint)
    expected = endpoint.expected[role]
    assert response.status_code == expected, f"{endpoint.name} as {role}: {response.content.decode()[:300]}"
    assert response["Content-Type"].startswith("application/json")
    if expected != 200:
        body = response.json()
        assert body["error"] and isinstance(body["problems"], list)
    if endpoint.method == "post":
        assert (_footprint() != before) == (expected == 200), f"{endpoint.name} as {role}"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "post"], ids=lambda e: e.name)
def test_a_read_token_never_writes(round_: Round, endpoint: Endpoint) -> None:
    if endpoint.submitted_first:
        submit_ward_a(round_)
    before = _footprint()
    response = _call(_client("office", "read"), endpoint)
    assert response.status_code == 403
    assert "読み取り専用" in response.json()["error"]
    assert _footprint() == before


def test_a_submitter_of_another_unit_sees_none_of_its_rows(round_: Round) -> None:
    submit_ward_a(round_)
    body = _client("ward_b_clerk").get(f"{P}/rounds/r4-h1").json()
    assert [u["code"] for u in body["units"]] == ["ward_b"]
    body = _client("city_clerk").get(f"{P}/rounds/r4-h1").json()
    assert {u["code"] for u in body["units"]} == {"city", "ward_a", "ward_b"}
