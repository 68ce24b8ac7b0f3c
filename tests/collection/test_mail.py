"""Notices and reminders reach the clerks through a real SMTP server (aiosmtpd in the test process)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from shihyo.core.clock import TOKYO, FixedClock
from shihyo.web.collection import notices, services
from shihyo.web.collection.models import OutboxMessage, Round
from tests.collection.conftest import PASSWORD
from tests.conftest import MINI
from tests.smtp import Inbox, free_port, smtp_server

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def mail(smtp: tuple[Inbox, int]) -> Iterator[Inbox]:
    inbox, port = smtp
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port
    ):
        yield inbox


def with_addresses() -> None:
    for name in ("ward_a_clerk", "ward_b_clerk", "city_clerk", "office"):
        User.objects.filter(username=name).update(email=f"{name}@city.example.jp")


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_opening_returning_and_approving_mail_the_units_clerks(mail: Inbox, dataset: Any, clock: FixedClock) -> None:
    from tests.collection.conftest import make_users, store

    store(dataset)
    make_users()
    with_addresses()
    round_ = services.open_round(
        "mini", code="r5-h1", name="R5年度上期", periods=["R5上期"], series=["online", "hours"], by="office"
    )
    opened = mail.to("ward_a_clerk@")
    assert len(opened) == 1 and "R5年度上期" in str(opened[0]["Subject"]) and "A区" in str(opened[0]["Subject"])
    assert "/collection/mini/r5-h1/ward_a/" in body(opened[0]) and "Please submit the figures of A区" in body(opened[0])
    assert len(mail.to("city_clerk@")) == 1, "the city reports hours, so its clerk is told too"
    assert not mail.to("office@"), "the office is not a clerk of any unit"

    clerk = Client()
    assert clerk.login(username="ward_a_clerk", password=PASSWORD)
    version = round_.submissions.get(org_unit="ward_a").version
    sent = clerk.post("/collection/mini/r5-h1/ward_a/", {"version": version, "v-online-FY2023H1": "5"})
    assert sent.status_code == 302
    reviewer = Client()
    assert reviewer.login(username="reviewer", password=PASSWORD)
    version = round_.submissions.get(org_unit="ward_a").version
    reviewer.post(
        "/collection/mini/r5-h1/ward_a/review/", {"action": "return", "comment": "件数を再確認", "version": version}
    )
    returned = mail.to("ward_a_clerk@")[-1]
    assert "差し戻されました" in str(returned["Subject"]) and "件数を再確認" in body(returned)
    version = round_.submissions.get(org_unit="ward_a").version
    clerk.post("/collection/mini/r5-h1/ward_a/", {"version": version, "v-online-FY2023H1": "6"})
    version = round_.submissions.get(org_unit="ward_a").version
    reviewer.post("/collection/mini/r5-h1/ward_a/review/", {"action": "approve", "version": version})
    assert "承認されました" in str(mail.to("ward_a_clerk@")[-1]["Subject"])
    assert OutboxMessage.objects.filter(sent_at__isnull=True).exclude(recipients=[]).count() == 0

    office = Client()
    assert office.login(username="office", password=PASSWORD)
    page = office.get("/collection/mini/outbox/?round=r5-h1").content.decode()
    assert page.count("ward_a_clerk@city.example.jp") == 3 and "差し戻されました" in page
    assert reviewer.get("/collection/mini/outbox/").status_code == 403


def test_reminders_before_the_due_date_and_when_overdue_are_sent_once(
    mail: Inbox, round_: Round, clock: FixedClock
) -> None:
    with_addresses()
    names = {"city": "テスト市", "ward_a": "A区", "ward_b": "B区"}
    assert round_.due == date(2022, 10, 31)
    clock.moment = datetime(2022, 10, 20, 9, 0, tzinfo=TOKYO)
    assert notices.remind(round_, names).added == 0, "eleven days before: too early"
    services.submit(round_, "ward_b", [], base_version=None, by="ward_b_clerk", via="web", draft=True)
    clock.moment = datetime(2022, 10, 29, 9, 0, tzinfo=TOKYO)
    done = notices.remind(round_, names)
    assert (done.added, done.sent, done.failed) == (3, 3, 0), "city, ward_a and ward_b (a draft is not submitted)"
    assert "期限（2022-10-31）が近づいています" in str(mail.to("ward_a_clerk@")[-1]["Subject"])
    again = notices.remind(round_, names)
    assert (again.added, again.sent) == (0, 0), "a second run the same day sends nothing twice"
    clock.moment = datetime(2022, 11, 2, 9, 0, tzinfo=TOKYO)
    overdue = notices.remind(round_, names)
    assert overdue.added == 3 and "期限（2022-10-31）を過ぎています" in str(mail.to("ward_b_clerk@")[-1]["Subject"])
    assert notices.remind(round_, names).added == 0
    clock.advance(timedelta(days=7))
    assert notices.remind(round_, names).added == 3, "a week later, one more notice"
    reminder = OutboxMessage.objects.filter(org_unit="city", kind="reminder").get()
    assert reminder.recipients == ["city_clerk@city.example.jp"] and reminder.sent_at is not None


def test_an_unreachable_mail_server_keeps_the_mail_for_the_next_run(round_: Round, clock: FixedClock) -> None:
    with_addresses()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=free_port()
    ):
        clock.moment = datetime(2022, 10, 30, 9, 0, tzinfo=TOKYO)
        done = notices.remind(round_, {"ward_a": "A区"})
    assert done.sent == 0 and done.failed == 3
    kept = OutboxMessage.objects.filter(kind="reminder", org_unit="ward_a").get()
    assert kept.sent_at is None and kept.error.startswith("mail server:")


def test_round_remind_from_the_command_line(smtp: tuple[Inbox, int], shihyo_home: Path) -> None:
    inbox, port = smtp
    env = {**os.environ, "SHIHYO_SMTP_HOST": "127.0.0.1", "SHIHYO_SMTP_PORT": str(port)}
    shihyo = Path(sys.executable).parent / "shihyo"

    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run([str(shihyo), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("load", str(MINI))
    due = (datetime.now(tz=TOKYO) + timedelta(days=2)).date().isoformat()  # the command reads the wall clock
    run("user", "add", "clerk", "--role", "submitter", "--org-unit", "city", "--email", "clerk@city.example.jp",
        "--password-stdin", stdin="a-long-enough-password-1\n")
    run("round", "open", "r9", "--name", "R9", "--period", "R9上期", "--due", due)
    assert len(inbox.to("clerk@")) == 1, "the round's opening notice"
    first = run("round", "remind")
    assert "r9: 1 reminder(s) added, 1 mail(s) sent, 0 not sent" in first
    assert "r9: 0 reminder(s) added, 0 mail(s) sent" in run("round", "remind"), "a rerun sends nothing twice"
    assert len(inbox.to("clerk@")) == 2
