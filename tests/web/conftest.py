from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo import examples
from shihyo.core.model import Dataset
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import clear_cache
from shihyo.web.catalogue.repository import save_dataset
from shihyo.web.collection.models import Membership

MINATO_LOADED = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture(autouse=True)
def fresh_evaluation_cache() -> Iterator[None]:
    """Each test starts from its own database state; ids may repeat after a rollback."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def minato_files() -> Dataset:
    """みなと市's files, read once per module."""
    return read_programme_dir(examples.path("minato"))


@pytest.fixture
def office(minato_files: Dataset) -> Client:
    """みなと市 loaded, and the programme office signed in (the editing pages' tests)."""
    save_dataset(minato_files, now=MINATO_LOADED, recorded_by="office", reason="test load")
    user = User.objects.create_user(username="office", password="office-test-password-1")
    Membership.objects.create(user=user, role="admin", org_units=[])
    client = Client()
    client.force_login(user)
    return client
