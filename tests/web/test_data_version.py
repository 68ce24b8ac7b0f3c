"""The data version: one row per programme, advanced in the same transaction as every revision write."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from shihyo.core.model import Dataset
from shihyo.web.catalogue import models
from shihyo.web.catalogue.repository import (
    DataVersion,
    Publication,
    data_version,
    publish,
    revision_frame,
    save_dataset,
)
from shihyo.web.catalogue.versions import changed_since, data_versions

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def newest_ids(code: str) -> DataVersion:
    d = models.DefinitionRevision.objects.filter(programme__code=code).aggregate(m=Max("id"))["m"]
    o = models.ObservationRevision.objects.filter(programme__code=code).aggregate(m=Max("id"))["m"]
    return DataVersion(d or 0, o or 0)


def test_the_version_follows_every_write_and_is_one_query(mini: Dataset) -> None:
    assert data_version("mini") == DataVersion(0, 0)  # nothing stored yet
    save_dataset(mini, now=T0)
    first = data_version("mini")
    assert first == newest_ids("mini") and first.observations > 0
    with CaptureQueriesContext(connection) as queries:
        assert data_version("mini") == first
    assert len(queries) == 1

    # loading the same files again writes nothing and keeps the version
    save_dataset(mini, now=T0 + timedelta(hours=1))
    assert data_version("mini") == first

    # an approval (publish) advances it to the new revision
    target = next(o for o in mini.observations if o.code == "online" and o.period.key == "FY2020")
    text = str(target.value + 7)
    assert publish(
        "mini", target.org_unit, [Publication("online", "FY2020", text, text, "", "approved")], by="r", now=T0
    )
    second = data_version("mini")
    assert second == newest_ids("mini")
    assert second.observations > first.observations and second.definitions == first.definitions
    assert changed_since("mini", first, second) == frozenset({"online"})
    assert changed_since("mini", second, second) == frozenset()
    # the frame between two versions holds exactly the revisions recorded in between
    between = revision_frame("mini", after=first.observations, upto=second.observations)
    assert between.get_column("code").to_list() == ["online"]
    assert revision_frame("mini", upto=first.observations).height == revision_frame("mini").height - 1

    # new definitions: a new version, and nothing can be evaluated incrementally across it
    renamed = replace(mini, programme=replace(mini.programme, name=mini.programme.name + " (renamed)"))
    save_dataset(renamed, now=T0 + timedelta(days=1))
    third = data_version("mini")
    assert third.definitions > second.definitions and third == newest_ids("mini")
    assert changed_since("mini", second, third) is None
    [(code, version, changed_at)] = data_versions()
    assert (code, version) == ("mini", third) and changed_at == T0 + timedelta(days=1)
