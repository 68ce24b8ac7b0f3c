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

from shihyo.core.collection import Action, EntryInput
from shihyo.core.model import Dataset
from shihyo.core.periods import parse_period
from shihyo.core.problems import UserError
from shihyo.web.collection import services
from shihyo.web.collection.models import EntryRevision, Membership, Round, Submission, SubmissionEvent
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


RACES = 50


def _step(round_code: str, unit: str, action: Action, comment: str, gate: threading.Barrier) -> str:
    """One review step from its own connection, started at the same moment as the other; the outcome."""
    try:
        round_ = Round.objects.get(code=round_code)
        version = Submission.objects.get(round=round_, org_unit=unit).version
        gate.wait(timeout=60)
        try:
            services.review(round_, unit, action, comment=comment, base_version=version, by="reviewer")
        except UserError as refused:
            return f"refused: {refused.en}"
        return "done"
    finally:
        connection.close()


def test_approving_a_parent_while_a_child_is_reopened_never_leaves_both(mini: Dataset) -> None:
    """The city is approved and one of its wards reopened at the same moment, fifty times: one of the two
    steps is refused every time, so an approved city never stands over a returned ward."""
    store(collection_dataset(mini))
    period = parse_period("R4上期")
    outcomes: Counter[tuple[str, str]] = Counter()
    for race in range(RACES):
        code = f"race-{race}"
        round_ = services.open_round(
            "mini", code=code, name=code, periods=["R4上期"], series=["online", "staff", "hours"], by="t"
        )
        for unit, inputs in (
            ("ward_a", [EntryInput("online", period, "10"), EntryInput("staff", period, "2")]),
            ("ward_b", [EntryInput("online", period, "20"), EntryInput("staff", period, "3")]),
            ("city", [EntryInput("hours", period, "300")]),
        ):
            services.submit(round_, unit, inputs, base_version=None, by="clerk", via="web")
        for unit in ("ward_a", "ward_b"):
            services.review(round_, unit, Action.APPROVE, comment="", base_version=None, by="reviewer")
        gate = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            approve = pool.submit(_step, code, "city", Action.APPROVE, "", gate)
            reopen = pool.submit(_step, code, "ward_a", Action.REOPEN, "集計漏れ", gate)
            results = (approve.result(timeout=120), reopen.result(timeout=120))
        states = {s.org_unit: s.state for s in Submission.objects.filter(round__code=code)}
        assert not (states["city"] == "approved" and states["ward_a"] != "approved"), (race, results, states)
        assert sum(r == "done" for r in results) == 1, (race, results)
        winner, loser = ("approve won", results[1]) if results[0] == "done" else ("reopen won", results[0])
        outcomes[(winner, loser[:60])] += 1
    print(f"\n{RACES} races of approve (city) against reopen (ward_a): {dict(outcomes)}")
