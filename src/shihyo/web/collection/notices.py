"""Mail to the clerks of a round: notices (opened, returned, approved) and reminders, through an outbox.

Every mail is first written to the outbox, one row per message with a unique key, in the same
transaction as the step that caused it; `send_pending` then hands the unsent rows to Django's email
framework (SMTP from the environment, the console in the demo) and marks each one sent, or keeps the
error and tries again next time. `remind` (the `shihyo round remind` command, meant for cron or the
Windows Task Scheduler) adds a reminder a few days before the due date and a notice when a unit is
overdue; its keys make a second run in the same window add and send nothing. The office reads the
outbox on its own page: what was sent to whom, when, and what could not be.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse

from shihyo.core import clock
from shihyo.core.collection import Role, State
from shihyo.web.collection import models

log = logging.getLogger("shihyo.mail")
DEFAULT_DAYS_BEFORE = 3
OVERDUE_EVERY = 7  # days between two overdue notices to the same unit


def clerks_of(org_unit: str) -> list[str]:
    """The mail addresses of the active submitters of an org unit."""
    memberships = models.Membership.objects.filter(role=Role.SUBMITTER.value, user__is_active=True).select_related(
        "user"
    )
    return sorted({m.user.email for m in memberships if org_unit in (m.org_units or []) and m.user.email})


def _link(round_: models.Round, org_unit: str) -> str:
    return settings.SITE_URL + reverse("collection:submission", args=[round_.programme.code, round_.code, org_unit])


def _due(round_: models.Round) -> str:
    return round_.due.isoformat() if round_.due else "—"


@dataclass(frozen=True)
class Message:
    kind: str
    subject: str
    body: str


def _message(kind: str, round_: models.Round, unit_name: str, link: str, comment: str = "") -> Message:
    due = _due(round_)
    texts = {
        "opened": (
            f"【shihyo】{round_.name}の数値の提出をお願いします（{unit_name}）",
            f"{round_.name}の収集が始まりました。{unit_name}の数値を期限 {due} までに提出してください。",
            f"The round {round_.name} is open. Please submit the figures of {unit_name} by {due}.",
        ),
        "returned": (
            f"【shihyo】{round_.name}: {unit_name}の提出が差し戻されました",
            f"{unit_name}の提出が差し戻されました。理由: {comment}\n直して提出し直してください（期限 {due}）。",
            f"The figures of {unit_name} were returned. Reason: {comment}\nPlease correct and resubmit (due {due}).",
        ),
        "approved": (
            f"【shihyo】{round_.name}: {unit_name}の数値が承認されました",
            f"{unit_name}の数値が承認され、公表値になりました。ご協力ありがとうございました。",
            f"The figures of {unit_name} were approved and are now published. Thank you.",
        ),
        "reminder": (
            f"【shihyo】{round_.name}: 提出期限（{due}）が近づいています（{unit_name}）",
            f"{unit_name}の数値がまだ提出されていません。期限は {due} です。",
            f"The figures of {unit_name} have not been submitted yet. They are due on {due}.",
        ),
        "overdue": (
            f"【shihyo】{round_.name}: 提出期限（{due}）を過ぎています（{unit_name}）",
            f"{unit_name}の数値の提出期限 {due} を過ぎました。至急提出してください。",
            f"The figures of {unit_name} were due on {due} and have not been submitted. Please submit them now.",
        ),
    }
    subject, ja, en = texts[kind]
    body = f"{ja}\n{link}\n\n---\n{en}\n{link}\n\n(shihyo — {round_.programme.name})\n"
    return Message(kind, subject, body)


def record(
    round_: models.Round, org_unit: str, unit_name: str, kind: str, key: str, comment: str = "", *, send: bool = True
) -> bool:
    """Add a message to the outbox unless one with the same key is there; returns whether it was added.
    With `send`, the outbox is sent once the surrounding transaction commits."""
    message = _message(kind, round_, unit_name, _link(round_, org_unit), comment)
    try:
        with transaction.atomic():
            models.OutboxMessage.objects.create(
                round=round_,
                org_unit=org_unit,
                kind=kind,
                key=key[:200],
                recipients=clerks_of(org_unit),
                subject=message.subject[:300],
                body=message.body,
                created_at=clock.now(),
            )
    except IntegrityError:
        return False
    if send:
        transaction.on_commit(send_pending)
    return True


def send_pending() -> tuple[int, int]:
    """Send every unsent outbox message that has recipients; returns (sent, failed)."""
    pending = list(models.OutboxMessage.objects.filter(sent_at__isnull=True).exclude(recipients=[]).order_by("id"))
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except OSError as exc:
        models.OutboxMessage.objects.filter(pk__in=[m.pk for m in pending]).update(error=f"mail server: {exc}"[:500])
        log.warning("mail server unreachable: %s", exc)
        return 0, len(pending)
    try:
        for message in pending:
            mail = EmailMessage(
                message.subject, message.body, settings.DEFAULT_FROM_EMAIL, message.recipients, connection=connection
            )
            try:
                mail.send()
            except Exception as exc:  # an SMTP refusal of one message must not stop the others
                models.OutboxMessage.objects.filter(pk=message.pk).update(error=str(exc)[:500])
                failed += 1
                log.warning("mail %s not sent: %s", message.key, exc)
            else:
                models.OutboxMessage.objects.filter(pk=message.pk).update(sent_at=clock.now(), error="")
                sent += 1
    finally:
        connection.close()
    return sent, failed


LATE = (State.NOT_SUBMITTED, State.DRAFT, State.RETURNED)


@dataclass(frozen=True)
class Reminders:
    added: int
    sent: int
    failed: int


def remind(
    round_: models.Round, names: dict[str, str], today: date | None = None, days_before: int = DEFAULT_DAYS_BEFORE
) -> Reminders:
    """Remind the units that have not submitted: once within `days_before` days of the due date, and every
    OVERDUE_EVERY days once it has passed. Returns how many messages were added and sent."""
    today = today or clock.today()
    added = 0
    if round_.due is not None:
        left = (round_.due - today).days
        for submission in round_.submissions.all():
            if State(submission.state) not in LATE:
                continue
            unit = submission.org_unit
            if 0 <= left <= days_before:
                key = f"reminder:{round_.pk}:{unit}:{round_.due.isoformat()}"
                added += record(round_, unit, names.get(unit, unit), "reminder", key, send=False)
            elif left < 0:
                window = (-left - 1) // OVERDUE_EVERY
                key = f"overdue:{round_.pk}:{unit}:{round_.due.isoformat()}:{window}"
                added += record(round_, unit, names.get(unit, unit), "overdue", key, send=False)
    sent, failed = send_pending()
    return Reminders(added, sent, failed)


def outbox(round_: models.Round) -> list[models.OutboxMessage]:
    return list(round_.outbox.order_by("-created_at", "-id"))


def notice_key(kind: str, round_: models.Round, org_unit: str, version: int) -> str:
    """A notice of a step is one per step: the version it moved the submission to keeps two returns apart."""
    return f"{kind}:{round_.pk}:{org_unit}:v{version}"
