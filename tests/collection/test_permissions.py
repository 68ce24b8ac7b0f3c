"""The permission matrix: every collection URL × every role (and anonymous), exactly who may read and write.

Submitters reach only their own org units (and the units below them); reviewers approve but never enter
figures; viewers read; the programme office (admin) does everything; anonymous visitors see the public
dashboard and the sign-in page only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from shihyo.core.collection import EntryInput
from shihyo.core.periods import parse_period
from shihyo.web.api.models import ApiToken
from shihyo.web.catalogue.models import (
    CommentaryRevision,
    DefinitionRevision,
    ObservationRevision,
    ProgressRevision,
    ResolutionRevision,
)
from shihyo.web.collection import services
from shihyo.web.collection.models import AccountEvent, EntryRevision, Round, Submission, SubmissionEvent
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]

ROLES = ("anonymous", "office", "reviewer", "ward_a_clerk", "ward_b_clerk", "city_clerk", "viewer")
EVERYONE = dict.fromkeys(ROLES, 200)
MEMBERS = {**EVERYONE, "anonymous": 302}
READ_WARD_A = {**MEMBERS, "ward_b_clerk": 403}  # city_clerk's units include the wards below the city
WRITE_WARD_A = {**READ_WARD_A, "office": 302, "ward_a_clerk": 302, "city_clerk": 302, "reviewer": 403, "viewer": 403}
REVIEW = {**READ_WARD_A, "office": 302, "reviewer": 302, "ward_a_clerk": 403, "city_clerk": 403, "viewer": 403}
ADMIN_ONLY = {**MEMBERS, "reviewer": 403, "ward_a_clerk": 403, "ward_b_clerk": 403, "city_clerk": 403, "viewer": 403}
HISTORY = "/collection/mini/history/?code=online&org_unit=ward_a&period=R4上期"
UNIT = "/collection/mini/r4-h1/ward_a"
NOTES = "/notes/mini/FY2021"


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: str
    expected: dict[str, int]
    data: dict[str, Any] | None = None
    submitted_first: bool = False  # the unit has submitted before the request (so a reviewer can act)
    writes: bool = False


def _csv() -> io.BytesIO:
    handle = io.BytesIO("code,period,value\r\nonline,R4上期,10\r\nstaff,R4上期,2\r\n".encode())
    handle.name = "ward_a.csv"
    return handle


ENDPOINTS = (
    Endpoint("dashboard", "get", "/", EVERYONE),
    Endpoint("summary", "get", "/summary/", EVERYONE),
    Endpoint("login page", "get", "/login/", EVERYONE),
    Endpoint("rounds", "get", "/collection/", MEMBERS),
    Endpoint("new round form", "get", "/collection/new/", ADMIN_ONLY),
    Endpoint(
        "open a round",
        "post",
        "/collection/new/",
        {**ADMIN_ONLY, "office": 302},
        {"name": "R4年度下期", "code": "r4-h2", "periods": "R4下期", "programme": "mini"},
        writes=True,
    ),
    Endpoint("round status", "get", "/collection/mini/r4-h1/", MEMBERS),
    Endpoint("ward A figures", "get", f"{UNIT}/", READ_WARD_A),
    Endpoint("ward A template", "get", f"{UNIT}/template.xlsx", READ_WARD_A),
    Endpoint("ward A csv", "get", f"{UNIT}/template.csv", READ_WARD_A),
    Endpoint("ward A history", "get", HISTORY, READ_WARD_A),
    Endpoint(
        "submit ward A",
        "post",
        f"{UNIT}/",
        WRITE_WARD_A,
        {"v-online-FY2022H1": "10", "v-staff-FY2022H1": "2"},
        writes=True,
    ),
    Endpoint(
        "save a draft for ward A",
        "post",
        f"{UNIT}/",
        WRITE_WARD_A,
        {"action": "draft", "v-online-FY2022H1": "10"},
        writes=True,
    ),
    Endpoint("upload ward A", "post", f"{UNIT}/upload/", WRITE_WARD_A, {"file": "csv"}, writes=True),
    Endpoint("mail sent (outbox)", "get", "/collection/mini/outbox/", ADMIN_ONLY),
    Endpoint("ward A on the dashboard", "get", "/indicators/online_count/?unit=ward_a", EVERYONE),
    Endpoint("approve ward A", "post", f"{UNIT}/review/", REVIEW, {"action": "approve"}, True, True),
    Endpoint("return ward A", "post", f"{UNIT}/review/", REVIEW, {"action": "return", "comment": "再確認"}, True, True),
    Endpoint("accounts", "get", "/accounts/", ADMIN_ONLY),
    Endpoint(
        "add an account",
        "post",
        "/accounts/",
        ADMIN_ONLY,
        {"action": "save", "username": "new_clerk", "role": "submitter", "org_units": "ward_a"},
        writes=True,
    ),
    Endpoint("stop an account", "post", "/accounts/", ADMIN_ONLY, {"action": "deactivate", "username": "viewer"}),
    Endpoint("own password", "get", "/account/password/", MEMBERS),
    Endpoint("commentary form", "get", f"{NOTES}/commentary/online_count/", ADMIN_ONLY),
    Endpoint(
        "write commentary",
        "post",
        f"{NOTES}/commentary/online_count/",
        {**ADMIN_ONLY, "office": 302},
        {"findings": "電子申請が増えた", "issues": "周知\n操作性", "state": "published", "reason": "R3の所見"},
        writes=True,
    ),
    Endpoint("programme commentary form", "get", f"{NOTES}/commentary/", ADMIN_ONLY),
    Endpoint("progress form", "get", f"{NOTES}/progress/", ADMIN_ONLY),
    Endpoint(
        "record progress",
        "post",
        f"{NOTES}/progress/",
        {**ADMIN_ONLY, "office": 302},
        {"state:P1.A1.M1": "in_progress", "note:P1.A1.M1": "", "reason": "上期の状況"},
        writes=True,
    ),
    Endpoint("roadmap", "get", "/roadmap/", EVERYONE),
    Endpoint("catalogue: series", "get", "/catalogue/mini/series/", ADMIN_ONLY),
    Endpoint("catalogue: a series", "get", "/catalogue/mini/series/online/", ADMIN_ONLY),
    Endpoint("catalogue: new series", "get", "/catalogue/mini/series/new/", ADMIN_ONLY),
    Endpoint("catalogue: new indicator", "get", "/catalogue/mini/indicators/new/?kind=ratio", ADMIN_ONLY),
    Endpoint("catalogue: an indicator", "get", "/catalogue/mini/indicators/online_share/", ADMIN_ONLY),
    Endpoint("catalogue: roadmap", "get", "/catalogue/mini/roadmap/", ADMIN_ONLY),
    Endpoint("catalogue: a measure", "get", "/catalogue/mini/roadmap/measure/P1.A1.M1/", ADMIN_ONLY),
    Endpoint("catalogue: new pillar", "get", "/catalogue/mini/roadmap/pillar/new/", ADMIN_ONLY),
    Endpoint("catalogue: org units", "get", "/catalogue/mini/org-units/list/", ADMIN_ONLY),
    Endpoint("catalogue: an org unit", "get", "/catalogue/mini/org-units/ward_a/edit/", ADMIN_ONLY),
    Endpoint("catalogue: new team", "get", "/catalogue/mini/teams/new/", ADMIN_ONLY),
    Endpoint("own API tokens", "get", "/account/tokens/", MEMBERS),
    Endpoint(
        "make an API token",
        "post",
        "/account/tokens/",
        {**MEMBERS, "anonymous": 302},
        {"action": "create", "name": "BI", "scope": "read", "days": "30"},
        writes=True,
    ),
    Endpoint("API page", "get", "/api/v1/", EVERYONE),
    Endpoint("open data", "get", "/opendata/", EVERYONE),
    Endpoint("open data of a programme", "get", "/opendata/mini/", EVERYONE),
    Endpoint("reconciliation", "get", "/reconciliation/", ADMIN_ONLY),
    Endpoint(
        "decide a published figure",
        "post",
        "/reconciliation/",
        {**ADMIN_ONLY, "office": 302},
        {"programme": "mini", "code": "overtime_avg", "org_unit": "city", "period": "FY2017", "basis": "actual"}
        | {"keep": "published", "reason": "定義変更のため公表値を正とする"},
        writes=True,
    ),
)


def submit_ward_a(round_: Round) -> None:
    period = parse_period("R4上期")
    inputs = [EntryInput("online", period, "10"), EntryInput("staff", period, "2")]
    services.submit(round_, "ward_a", inputs, base_version=None, by="ward_a_clerk", via="web")


def _client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        assert client.login(username=role, password=PASSWORD)
    return client


def _footprint() -> tuple[int, ...]:
    return (
        AccountEvent.objects.count(),
        EntryRevision.objects.count(),
        SubmissionEvent.objects.count(),
        ObservationRevision.objects.count(),
        Round.objects.count(),
        CommentaryRevision.objects.count(),
        ProgressRevision.objects.count(),
        DefinitionRevision.objects.count(),
        ApiToken.objects.count(),
        ResolutionRevision.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_permission_matrix(round_: Round, endpoint: Endpoint, role: str) -> None:
    if endpoint.submitted_first:
        submit_ward_a(round_)
    client = _client(role)
    before = _footprint()
    if endpoint.method == "get":
        response = client.get(endpoint.url)
    else:
        data = dict(endpoint.data or {})
        data["version"] = Submission.objects.get(org_unit="ward_a").version
        if data.get("file") == "csv":
            data["file"] = _csv()
        response = client.post(endpoint.url, data)
    expected = endpoint.expected[role]
    assert response.status_code == expected, f"{endpoint.name} as {role}: {response.content.decode()[:300]}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/login/")
    if endpoint.writes or endpoint.method == "post":
        changed = _footprint() != before
        allowed = expected in (200, 302) and role != "anonymous"
        assert changed == allowed, f"{endpoint.name} as {role} wrote {changed}"


def test_a_submitter_sees_only_their_units_in_the_round(round_: Round) -> None:
    submit_ward_a(round_)
    page = _client("ward_b_clerk").get("/collection/mini/r4-h1/").content.decode()
    assert "B区" in page and "A区" not in page and "テスト市" not in page
    page = _client("city_clerk").get("/collection/mini/r4-h1/").content.decode()
    assert "A区" in page and "B区" in page and "テスト市" in page


def test_a_forbidden_page_shows_none_of_the_figures(round_: Round) -> None:
    _client("ward_a_clerk").post(f"{UNIT}/", {"version": 0, "v-online-FY2022H1": "987654", "v-staff-FY2022H1": "2"})
    assert EntryRevision.objects.filter(text="987654").exists()
    for url in (f"{UNIT}/", f"{UNIT}/template.csv", f"{UNIT}/template.xlsx", HISTORY):
        response = _client("ward_b_clerk").get(url)
        assert response.status_code == 403 and b"987654" not in response.content
