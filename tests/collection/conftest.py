"""A small programme for collection tests: the mini fixture plus a share, a うち part and a 内訳 breakdown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from shihyo.core.indicators import Indicator, SeriesValue
from shihyo.core.model import Dataset, OrgUnit, OrgUnitKind, PartRelation, Series
from shihyo.web.catalogue.evaluation import clear_cache

WARDS = ("ward",)
OF_WHICH, BREAKDOWN = PartRelation.OF_WHICH, PartRelation.BREAKDOWN
EXTRA_SERIES = (
    Series("rate", "満足度", "%", decimals=1, name_en="Satisfaction", reported_by=WARDS),
    Series("online_smart", "うちスマート申請", "件", part_of="online", relation=OF_WHICH, reported_by=WARDS),
    Series("online_kiosk", "内訳：キオスク", "件", part_of="online", relation=BREAKDOWN, reported_by=WARDS),
    Series("online_mail", "内訳：郵送", "件", part_of="online", relation=BREAKDOWN, reported_by=WARDS),
)
WARD_SERIES = frozenset({"online", "counter", "staff"})  # the wards report these; the city reports its hours


def collection_dataset(mini: Dataset, wards: int = 2) -> Dataset:
    """The mini programme with `wards` wards under the city (ward_a, ward_b, then ward_003 …): the wards
    report applications (and their parts and a share) and staff, the city its overtime hours."""
    programme = mini.programme
    units = [u for u in programme.org_units if u.code in ("city", "ward_a", "ward_b", "national")]
    units += [OrgUnit(f"ward_{i:03d}", f"第{i}区", OrgUnitKind.WARD, parent="city") for i in range(3, wards + 1)]
    series = tuple(replace(s, reported_by=WARDS) if s.code in WARD_SERIES else s for s in programme.series)
    indicators = (*programme.indicators, Indicator("online_count", "電子申請件数", "件", 0, SeriesValue("online")))
    changed = replace(programme, series=series + EXTRA_SERIES, org_units=tuple(units), indicators=indicators)
    return replace(mini, programme=changed)


@pytest.fixture
def dataset(mini: Dataset) -> Dataset:
    return collection_dataset(mini)


@pytest.fixture(autouse=True)
def fresh_evaluation_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


PASSWORD = "collection-test-password-1"
ROLES = {
    "office": ("admin", []),
    "reviewer": ("reviewer", []),
    "ward_a_clerk": ("submitter", ["ward_a"]),
    "ward_b_clerk": ("submitter", ["ward_b"]),
    "city_clerk": ("submitter", ["city"]),
    "viewer": ("viewer", []),
}


def store(dataset: Dataset) -> None:
    from datetime import UTC, datetime

    from shihyo.web.catalogue.repository import save_dataset

    save_dataset(dataset, now=datetime(2022, 4, 1, tzinfo=UTC), recorded_by="test")
    clear_cache()


def make_users() -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from shihyo.web.collection.models import Membership

    hashed = make_password(PASSWORD)  # one argon2 hash for all: hashing is deliberately slow
    for name, (role, units) in ROLES.items():
        user = User.objects.create(username=name, password=hashed)
        Membership.objects.create(user=user, role=role, org_units=units)


@pytest.fixture
def round_(dataset: Dataset) -> object:
    """The mini programme stored, the six accounts, and round r4-h1 open for city, ward_a and ward_b: the
    wards are asked for online and staff, the city for hours."""
    from datetime import date

    from shihyo.web.collection import services

    store(dataset)
    make_users()
    return services.open_round(
        "mini",
        code="r4-h1",
        name="R4年度上期",
        periods=["R4上期"],
        series=["online", "staff", "hours"],
        org_units=["city", "ward_a", "ward_b"],
        due=date(2022, 10, 31),
        by="office",
    )
