"""100 submitters at once: no update lost, no revision duplicated, every loser told clearly.

Fifty wards, two clerks each. Both clerks of a ward open the form at version 0 and post different
figures at the same moment through the full view stack (32 worker threads, like an app server's pool,
each with its own database connection). Exactly one of each pair must win; the other gets 409 with a
message to reload. Then every loser reloads and submits again: nothing of either is lost from history.
Runs on SQLite (WAL file) and, with SHIHYO_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from shihyo.core.model import Dataset
from shihyo.web.collection import services
from shihyo.web.collection.models import EntryRevision, Membership, Submission, SubmissionEvent
from tests.collection.conftest import collection_dataset, store

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

WARDS = 50
WORKERS = 32


def _post(username: str, ward: str, version: int, online: str, gate: threading.Barrier | None) -> tuple[str, int, str]:
    try:
        client = Client()
        client.force_login(User.objects.get(username=username))
        if gate is not None:
            gate.wait(timeout=60)
        response = client.post(
            f"/collection/mini/r4-h1/{ward}/",
            {"version": version, "v-online-FY2022H1": online, "v-staff-FY2022H1": "3"},
        )
        return username, response.status_code, response.content.decode()
    finally:
        connection.close()


def test_a_hundred_submitters_at_once_lose_nothing(mini: Dataset) -> None:
    dataset = collection_dataset(mini, wards=WARDS + 1)
    wards = [u.code for u in dataset.programme.org_units if u.kind == "ward"]
    wards = wards[:WARDS]
    store(dataset)
    password = make_password("not-used-force-login")
    for ward in wards:
        for clerk in ("1", "2"):
            user = User.objects.create(username=f"{ward}_{clerk}", password=password)
            Membership.objects.create(user=user, role="submitter", org_units=[ward])
    services.open_round(
        "mini", code="r4-h1", name="R4年度上期", periods=["R4上期"], series=["online", "staff"], org_units=wards, by="t"
    )
    submitters = [(f"{ward}_{clerk}", ward, clerk) for ward in wards for clerk in ("1", "2")]
    assert len(submitters) == 100

    gate = threading.Barrier(WORKERS)  # the first 32 start together; the rest follow as workers free up
    first = []
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [
            pool.submit(_post, name, ward, 0, f"{100 + i}", gate if i < WORKERS else None)
            for i, (name, ward, _) in enumerate(submitters)
        ]
        first = [f.result() for f in futures]

    outcomes = Counter(status for _, status, _ in first)
    assert outcomes == {302: WARDS, 409: WARDS}, outcomes
    for _, status, body in first:
        if status == 409:
            assert "他の人がこの提出を更新しました" in body and "何も保存していません" in body
    per_ward = Counter(ward for (_, status, _), (_, ward, _) in zip(first, submitters, strict=True) if status == 302)
    assert set(per_ward.values()) == {1}, "exactly one winner per ward"
    assert EntryRevision.objects.count() == 2 * WARDS
    assert SubmissionEvent.objects.count() == WARDS
    assert set(Submission.objects.values_list("version", flat=True)) == {1}

    losers = [(name, ward) for (name, status, _), (_, ward, _) in zip(first, submitters, strict=True) if status == 409]
    with ThreadPoolExecutor(WORKERS) as pool:
        second = list(pool.map(lambda item: _post(item[0], item[1], 1, "999", None), losers))
    assert {status for _, status, _ in second} == {302}

    # every change is kept: the winner's value, then the loser's; none twice
    assert SubmissionEvent.objects.count() == 2 * WARDS
    assert set(Submission.objects.values_list("version", flat=True)) == {2}
    online = EntryRevision.objects.filter(code="online")
    assert online.count() == 2 * WARDS
    keys = Counter(online.values_list("submission_id", "event_id"))
    assert set(keys.values()) == {1}, "no revision is duplicated"
    for submission in Submission.objects.all():
        latest = services.entered(submission)[("online", "FY2022H1")]
        assert latest.text == "999"
