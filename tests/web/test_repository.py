"""Storage on SQLite and PostgreSQL: revisions are appended, never changed; any past moment can be read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.web.catalogue import models
from shihyo.web.catalogue.repository import history, read_programme, revision_frame, save_dataset

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def online_r2(dataset: Dataset) -> Decimal | None:
    stored = dataset
    return next(o.value for o in stored.observations if o.code == "online" and o.period.key == "FY2020")


def test_save_and_read_back(mini: Dataset) -> None:
    summary = save_dataset(mini, now=T0, recorded_by="office", reason="first load")
    assert (summary.added, summary.changed, summary.withdrawn) == (len(mini.observations), 0, 0)
    stored = read_programme("mini")
    assert stored.dataset == mini
    # the engine gives the same figures from the database as from the files
    from_db = evaluate(EvaluationRequest(stored.dataset.programme, revision_frame("mini"))).values
    from_files = evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations))).values
    order = ["code", "org_unit", "period"]
    assert from_db.height == from_files.height > 0
    assert from_db.sort(order).equals(from_files.sort(order))


def test_loading_the_same_files_again_changes_nothing(mini: Dataset) -> None:
    save_dataset(mini, now=T0)
    again = save_dataset(mini, now=T0 + timedelta(hours=1))
    assert (again.added, again.changed, again.withdrawn, again.definitions_changed) == (0, 0, 0, False)
    assert again.unchanged == len(mini.observations)


def test_corrections_and_withdrawals_keep_history(mini: Dataset) -> None:
    save_dataset(mini, now=T0)
    target = next(o for o in mini.observations if o.code == "online" and o.period.key == "FY2020")
    corrected = replace(target, value=target.value + 1, text=str(target.value + 1))
    without_h29 = tuple(
        corrected if o is target else o
        for o in mini.observations
        if not (o.code == "hours" and o.period.key == "FY2017")
    )
    summary = save_dataset(replace(mini, observations=without_h29), now=T0 + timedelta(days=1), reason="restated")
    assert (summary.changed, summary.withdrawn) == (1, 1)

    assert online_r2(read_programme("mini", as_of=T0 + timedelta(hours=1)).dataset) == target.value
    assert online_r2(read_programme("mini").dataset) == target.value + 1
    assert not any(o.code == "hours" for o in read_programme("mini").dataset.observations)
    assert any(o.code == "hours" for o in read_programme("mini", as_of=T0).dataset.observations)
    changes = history("mini", "online", "city", "FY2020")
    assert [c.value for c in changes] == [str(target.value), str(target.value + 1)]
    assert changes[-1].reason == "restated"


def test_before_the_first_load_there_is_nothing(mini: Dataset) -> None:
    save_dataset(mini, now=T0)
    from shihyo.core.problems import UserError

    with pytest.raises(UserError, match="did not exist yet"):
        read_programme("mini", as_of=T0 - timedelta(days=1))


def test_revisions_cannot_be_changed_or_deleted(mini: Dataset) -> None:
    save_dataset(mini, now=T0)
    row = models.ObservationRevision.objects.first()
    assert row is not None
    with pytest.raises(models.AppendOnlyError):
        row.save()
    with pytest.raises(models.AppendOnlyError):
        row.delete()
    with pytest.raises(models.AppendOnlyError):
        models.ObservationRevision.objects.filter(pk=row.pk).update(value="0")
    with pytest.raises(models.AppendOnlyError):
        models.ObservationRevision.objects.all().delete()
    # and the database itself refuses an UPDATE issued in raw SQL
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE catalogue_observationrevision SET value = '0' WHERE id = %s", [row.pk])
    row.refresh_from_db()
    assert row.value != "0"
