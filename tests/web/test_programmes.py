"""Two programmes loaded: the dashboard's default programme and the switcher in its header."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.test.utils import override_settings

from shihyo import examples
from shihyo.core.model import Dataset
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.repository import save_dataset
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
MINATO = examples.path("minato")
T0 = datetime(2024, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
LINK = re.compile(r'href="(/[^"]*)"')
SWITCH = re.compile(r'<nav class="programme-switch".*?</nav>', re.S)


@pytest.fixture(scope="module")
def files() -> dict[str, Dataset]:
    return {"kobe": read_programme_dir(KOBE), "minato": read_programme_dir(MINATO)}


@pytest.fixture
def both(files: dict[str, Dataset]) -> dict[str, Dataset]:
    """Kobe loaded first, みなと市 a minute later."""
    save_dataset(files["kobe"], now=T0, recorded_by="office")
    save_dataset(files["minato"], now=T0 + timedelta(minutes=1), recorded_by="office")
    return files


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def pillars(dataset: Dataset) -> list[str]:
    return [p.name for p in dataset.programme.pillars]


def test_without_a_programme_in_the_address_the_one_loaded_first_is_shown(
    client: Client, both: dict[str, Dataset]
) -> None:
    html = page(client, "/")
    assert all(name in html for name in pillars(both["kobe"]))
    assert not any(name in html for name in pillars(both["minato"]))


def test_the_setting_names_the_default_programme(client: Client, both: dict[str, Dataset]) -> None:
    with override_settings(SHIHYO_DEFAULT_PROGRAMME="minato"):
        html = page(client, "/")
    assert all(name in html for name in pillars(both["minato"]))
    with override_settings(SHIHYO_DEFAULT_PROGRAMME="not_loaded"):
        assert all(name in page(client, "/") for name in pillars(both["kobe"])), "else the one loaded first"


def test_each_overview_shows_its_own_pillars(client: Client, both: dict[str, Dataset]) -> None:
    for code, dataset in both.items():
        html = page(client, f"/?programme={code}")
        assert all(name in html for name in pillars(dataset)), code
        other = both["minato" if code == "kobe" else "kobe"]
        assert not any(name in html for name in pillars(other)), code


def test_the_switcher_lists_both_and_keeps_the_chosen_period(client: Client, both: dict[str, Dataset]) -> None:
    switch = SWITCH.search(page(client, "/?programme=minato&period=R3"))
    assert switch is not None
    links = re.findall(r'<a href="([^"]*)"( aria-current="true")?>(.*?)</a>', switch.group(0))
    assert [(href.replace("&amp;", "&"), bool(current)) for href, current, _ in links] == [
        ("/?programme=kobe&period=FY2021", False),  # Kobe has figures for R3
        ("/?programme=minato&period=FY2021", True),
    ]
    assert "神戸市" in links[0][2] and "みなと市" in links[1][2]
    # R1 (FY2019) has no figures in Kobe's programme: the link opens Kobe at its own report period
    switch = SWITCH.search(page(client, "/?programme=minato&period=FY2019H1&as_of=2024-07-01"))
    assert switch is not None
    assert '/?programme=kobe&amp;as_of=2024-07-01"' in switch.group(0)
    assert '/?programme=minato&amp;period=FY2019H1&amp;as_of=2024-07-01"' in switch.group(0)


def test_the_switcher_speaks_english_on_english_pages(client: Client, both: dict[str, Dataset]) -> None:
    client.cookies["shihyo_language"] = "en"
    switch = SWITCH.search(page(client, "/summary/?programme=kobe"))
    assert switch is not None
    assert 'aria-label="Programmes"' in switch.group(0)
    assert both["minato"].programme.name_en in switch.group(0)


NOT_DASHBOARD = ("/static/", "/collection", "/login", "/accounts", "/i18n", "/assets", "/opendata", "/api/")


@pytest.mark.parametrize("path", ["/", "/summary/", "/roadmap/", "/organisation/", "/indicators/online_share/"])
def test_every_dashboard_link_carries_the_programme(client: Client, both: dict[str, Dataset], path: str) -> None:
    html = page(client, f"{path}?programme=minato&period=FY2022")
    dashboard = [
        href
        for href in LINK.findall(html)
        if not href.startswith(NOT_DASHBOARD)
    ]
    assert dashboard, path
    for href in dashboard:
        assert "programme=" in href, href
    assert '<input type="hidden" name="programme" value="minato">' in html, "the period form keeps it too"


def test_an_unknown_programme_is_a_readable_400_listing_the_loaded_ones(
    client: Client, both: dict[str, Dataset]
) -> None:
    response = client.get("/?programme=osaka")
    assert response.status_code == 400
    assert "kobe, minato" in response.content.decode()


def test_with_one_programme_there_is_no_switcher(client: Client, files: dict[str, Dataset]) -> None:
    save_dataset(files["minato"], now=T0, recorded_by="office")
    html = page(client, "/")
    assert SWITCH.search(html) is None
    assert all(name in html for name in pillars(files["minato"]))


def test_the_offices_pages_work_with_several_programmes(client: Client, both: dict[str, Dataset]) -> None:
    from django.contrib.auth.models import User

    from shihyo.web.collection.models import Membership

    office = User.objects.create_user("office", password="not-used-force-login")
    Membership.objects.create(user=office, role="admin", org_units=[])
    client.force_login(office)
    assert "東灘区" in page(client, "/accounts/"), "the default programme's org units"
    assert "北区" in page(client, "/accounts/?programme=minato") and "東灘区" not in page(
        client, "/accounts/?programme=minato"
    )
    assert 'name="programme" value="minato"' in page(client, "/collection/new/?programme=minato")
    saved = client.post(
        "/accounts/?programme=minato",
        {"action": "save", "username": "kita", "role": "submitter", "org_units": "kita"},
    )
    assert saved.status_code == 200 and Membership.objects.get(user__username="kita").org_units == ["kita"]
