"""Backups taken while departments submit, and restores to exactly the state backed up.

A thread submits ward after ward (each submission one transaction: an event and its entry revisions) while
`shihyo.backup.backup` runs; the backup must hold a consistent state (whole submissions only, a prefix of
what was written), and restoring it must give back exactly that state: the same row counts and the same
checksum over every revision, with the revisions written after the backup gone. SQLite (online backup API)
and PostgreSQL (pg_dump / pg_restore). The commands themselves run as a user runs them, at the end."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from shihyo import backup as backups
from shihyo.core.collection import EntryInput
from shihyo.core.model import Dataset
from shihyo.core.periods import parse_period
from shihyo.web.catalogue.evaluation import clear_cache, evaluate_programme
from shihyo.web.collection import services
from shihyo.web.collection.models import Round
from tests.collection.conftest import collection_dataset, store
from tests.conftest import MINI
from tests.served import environment, shihyo

WARDS = 60
PERIOD = parse_period("R4上期")


def entries(n: int) -> list[EntryInput]:
    return [EntryInput("online", PERIOD, str(100 + n)), EntryInput("staff", PERIOD, "3")]


class Writer(threading.Thread):
    """Submits one ward after another until stopped; counts what it committed."""

    def __init__(self, wards: list[str]) -> None:
        super().__init__(daemon=True)
        self.wards = wards
        self.done = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            round_ = Round.objects.get(code="r4-h1")
            for n, ward in enumerate(self.wards):
                if self.stop.is_set():
                    break
                services.submit(round_, ward, entries(n), base_version=0, by=f"clerk-{ward}", via="web")
                self.done += 1
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 120
        while self.done < count and self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None and self.done >= count, (self.error, self.done)


def history_rows() -> dict[str, list[tuple[object, ...]]]:
    with connection.cursor() as cursor:
        found = {}
        for table, columns in backups.HISTORY_TABLES.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
            found[table] = [tuple(backups._plain(v) for v in row) for row in cursor.fetchall()]
        return found


@pytest.fixture
def writing(mini: Dataset) -> Iterator[Writer]:
    dataset = collection_dataset(mini, wards=WARDS)
    wards = [u.code for u in dataset.programme.org_units if u.kind == "ward"]
    store(dataset)
    services.open_round(
        "mini", code="r4-h1", name="R4年度上期", periods=["R4上期"], series=["online", "staff"],
        org_units=wards, due=date(2022, 10, 31), by="office",
    )
    writer = Writer(wards)
    yield writer
    writer.stop.set()
    writer.join(timeout=60)


@pytest.mark.db
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_during_submissions_restores_to_exactly_that_state(writing: Writer, tmp_path: Path) -> None:
    target = tmp_path / ("shihyo.sqlite3" if backups.is_sqlite() else "shihyo.dump")
    writing.start()
    writing.wait_for(5)
    taken = backups.backup(target)
    during = writing.done
    writing.wait_for(during + 5)  # more submissions after the backup
    writing.stop.set()
    writing.join(timeout=60)
    assert writing.error is None
    before_restore = history_rows()
    events = len(before_restore["collection_submissionevent"])

    restored = backups.restore(target)
    after = history_rows()
    kept = len(after["collection_submissionevent"])
    assert 5 <= kept < events, f"the backup holds the {kept} submissions made by then, not the {events} of the end"
    assert len(after["collection_entryrevision"]) == 2 * kept, "whole submissions only: each event with its entries"
    for table, rows in after.items():
        assert rows == before_restore[table][: len(rows)], f"{table}: the restored rows are what was written by then"
    assert restored.counts["collection_submission"] == WARDS
    if backups.is_sqlite():
        assert restored == taken == backups.file_summary(target), "same counts and checksum as the backup"
    assert restored == backups.summary()
    print(f"\nbackup during {events} submissions: restored {kept}; {restored.render()}")

    clear_cache()
    assert evaluate_programme("mini").result.values.height > 0, "the restored programme evaluates"
    round_ = Round.objects.get(code="r4-h1")
    last = writing.wards[kept]  # not submitted in the restored state: it can be, again
    services.submit(round_, last, entries(999), base_version=0, by="clerk", via="web")


@pytest.mark.db
@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    from shihyo.core.problems import UserError

    junk = tmp_path / "notes.txt"
    junk.write_text("not a database", encoding="utf-8")
    with pytest.raises(UserError, match="not a shihyo backup"):
        backups.restore(junk)
    with pytest.raises(UserError, match="does not exist"):
        backups.restore(tmp_path / "missing.sqlite3")
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"")
    with pytest.raises(UserError, match="exists already"):
        backups.backup(existing)


def test_the_commands_back_up_and_restore_a_home(tmp_path: Path) -> None:
    env = environment(tmp_path / "home")
    shihyo(env, "load", str(MINI), "--by", "tests", "--reason", "backup test")
    file = tmp_path / "backup.sqlite3"
    taken = shihyo(env, "backup", str(file)).stdout
    assert f"to {file}" in taken and "revisions checksum" in taken
    shihyo(env, "user", "add", "later", "--role", "viewer", "--generate-password")  # after the backup
    restored = shihyo(env, "restore", str(file), "--yes").stdout
    assert taken.splitlines()[-1] == restored.splitlines()[-1], "the same counts and checksum"
    assert "user 0" in restored and "accountevent 0" in restored, "the account made later is gone"
    assert "shihyo.sqlite3" in restored
