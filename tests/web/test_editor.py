"""The office changes a series on screen: the same rules as the files, a preview of the figures it moves,
a reason, a new definition revision; the state before the change stays reproducible."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.core import clock
from shihyo.core.model import Dataset
from shihyo.examples import path as example_path
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import definitions_of, evaluate_programme
from shihyo.web.catalogue.models import DefinitionRevision
from shihyo.web.catalogue.repository import save_dataset
from shihyo.web.collection.models import Membership
from tests.conftest import MINI

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def mini() -> Dataset:
    dataset = read_programme_dir(MINI)
    save_dataset(dataset, now=T0, recorded_by="office", reason="load")
    return dataset


def office() -> Client:
    user = User.objects.create_user(username="office", password="editor-test-password-1")
    Membership.objects.create(user=user, role="admin", org_units=[])
    client = Client()
    client.force_login(user)
    return client


def form_of(client: Client, series: str, programme: str = "mini") -> dict[str, object]:
    """The edit form's fields as the page fills them (what a browser would post back)."""
    page = client.get(f"/catalogue/{programme}/series/{series}/")
    assert page.status_code == 200
    ctx = page.context
    data: dict[str, object] = {k: v for k, v in ctx["form"].items() if v not in (None, "")}
    data["base"] = ctx["base"]
    return data


def changes_listed(html: str) -> bool:
    return "この変更で動く数値" in html and "まだ保存していません" in html


def test_a_change_is_previewed_with_the_figures_it_moves_then_saved_with_a_reason() -> None:
    minato = read_programme_dir(example_path("minato"))
    save_dataset(minato, now=T0, recorded_by="office", reason="load")
    client = office()
    series = next(s for s in minato.programme.series if s.code == "applications_total")
    data = form_of(client, series.code, "minato")
    data.update(name="変更後の名前", org_aggregation="average")  # the city: the wards' mean instead of their sum
    before = DefinitionRevision.objects.count()
    preview = client.post(f"/catalogue/minato/series/{series.code}/", {**data, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200, html[:500]
    assert changes_listed(html)
    changes = preview.context["changes"]
    assert changes.total > 0 and series.code in changes.codes  # a parent now averages its units
    assert {c.org_unit for c in changes.shown if c.code == series.code} == {"minato"}  # the wards keep theirs
    assert DefinitionRevision.objects.count() == before  # a preview saves nothing
    state = evaluate_programme("minato")
    for change in changes.shown:  # each listed "before" is today's figure
        old = state.result.value(change.code, change.org_unit, change.period)
        if change.kind == "actual" and old is not None and change.old is not None:
            assert abs(old - change.old) < 1e-6
    # saving needs the previewed change and a reason
    refused = client.post(
        f"/catalogue/minato/series/{series.code}/", {**data, "action": "save", "previewed": preview.context["digest"]}
    )
    assert refused.status_code == 400 and DefinitionRevision.objects.count() == before
    moment = clock.now()
    saved = client.post(
        f"/catalogue/minato/series/{series.code}/",
        {**data, "action": "save", "previewed": preview.context["digest"], "reason": "名称の統一"},
    )
    assert saved.status_code == 302
    latest = DefinitionRevision.objects.order_by("-id").first()
    assert latest is not None and (latest.recorded_by, latest.reason) == ("office", "名称の統一")
    assert DefinitionRevision.objects.count() == before + 1
    assert next(s for s in definitions_of("minato").series if s.code == series.code).name == "変更後の名前"
    earlier = definitions_of("minato", moment - timedelta(microseconds=1))
    assert next(s for s in earlier.series if s.code == series.code).name == series.name  # as it stood then


def test_a_save_of_something_other_than_the_preview_is_only_previewed(mini: Dataset) -> None:
    client = office()
    code = mini.programme.series[0].code
    data = form_of(client, code)
    preview = client.post(f"/catalogue/mini/series/{code}/", {**data, "name": "A", "action": "preview"})
    before = DefinitionRevision.objects.count()
    again = client.post(
        f"/catalogue/mini/series/{code}/",
        {**data, "name": "B", "action": "save", "previewed": preview.context["digest"], "reason": "r"},
    )
    assert again.status_code == 200 and again.context["previewed"] and DefinitionRevision.objects.count() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decimals": "-1"}, "整数ではありません"),
        ({"name": ""}, "入力されていません"),
        ({"name": "a\x00b"}, "制御文字"),
        ({"time_aggregation": "median"}, "使える値"),
        ({"part_of": "no_such_series", "relation": "breakdown"}, "no_such_series"),
        ({"range_min": "abc"}, "range"),
    ],
)
def test_a_refused_change_names_its_field_and_saves_nothing(
    mini: Dataset, change: dict[str, str], message: str
) -> None:
    client = office()
    code = mini.programme.series[0].code
    data = {**form_of(client, code), **change}
    before = DefinitionRevision.objects.count()
    response = client.post(f"/catalogue/mini/series/{code}/", {**data, "action": "preview"})
    assert response.status_code == 400, response.content.decode()[:500]
    assert message in response.content.decode()
    assert DefinitionRevision.objects.count() == before


def test_a_new_series_is_added_and_a_taken_code_refused(mini: Dataset) -> None:
    client = office()
    page = client.get("/catalogue/mini/series/new/")
    base = page.context["base"]
    data = {"code": "volunteers", "name": "ボランティア数", "unit": "人", "decimals": "0", "base": base}
    preview = client.post("/catalogue/mini/series/new/", {**data, "action": "preview"})
    assert preview.status_code == 200 and preview.context["changes"].total == 0
    saved = client.post(
        "/catalogue/mini/series/new/",
        {**data, "action": "save", "previewed": preview.context["digest"], "reason": "新しい系列"},
    )
    assert saved.status_code == 302 and "volunteers" in {s.code for s in definitions_of("mini").series}
    taken = client.post("/catalogue/mini/series/new/", {**data, "base": base + 1, "action": "preview"})
    assert taken.status_code == 400 and "すでにあります" in taken.content.decode()


def test_two_offices_saving_the_same_base_the_second_is_told(mini: Dataset) -> None:
    client = office()
    code = mini.programme.series[0].code
    data = form_of(client, code)
    first = client.post(f"/catalogue/mini/series/{code}/", {**data, "name": "一", "action": "preview"})
    second = client.post(f"/catalogue/mini/series/{code}/", {**data, "name": "二", "action": "preview"})
    ok = client.post(
        f"/catalogue/mini/series/{code}/",
        {**data, "name": "一", "action": "save", "previewed": first.context["digest"], "reason": "r"},
    )
    assert ok.status_code == 302
    late = client.post(
        f"/catalogue/mini/series/{code}/",
        {**data, "name": "二", "action": "save", "previewed": second.context["digest"], "reason": "r"},
    )
    assert late.status_code in (200, 400)
    assert next(s for s in definitions_of("mini").series if s.code == code).name == "一"


def test_a_change_the_stored_figures_contradict_is_refused(mini: Dataset) -> None:
    """counter has figures of its own for the city: making the wards report it (so the city rolls up) would
    leave those figures contradicting the roll-up; the files would not load, so the change is refused."""
    client = office()
    data = {**form_of(client, "counter"), "reported_by": ["ward"]}
    before = DefinitionRevision.objects.count()
    response = client.post("/catalogue/mini/series/counter/", {**data, "action": "preview"})
    assert response.status_code == 400 and "テスト市" in response.content.decode()
    assert DefinitionRevision.objects.count() == before


def test_only_the_office_reaches_the_catalogue(mini: Dataset, client: Client) -> None:
    assert client.get("/catalogue/mini/series/").status_code == 302  # to the sign-in page
    for role in ("reviewer", "submitter", "viewer"):
        user = User.objects.create_user(username=role, password="editor-test-password-1")
        Membership.objects.create(user=user, role=role, org_units=["ward_a"] if role == "submitter" else [])
        other = Client()
        other.force_login(user)
        assert other.get("/catalogue/mini/series/").status_code == 403
        assert other.post("/catalogue/mini/series/online/", {"action": "preview"}).status_code == 403
    assert office().get("/catalogue/mini/series/").status_code == 200


def test_a_new_target_from_the_form_with_its_optional_fields_blank_is_saved(mini: Dataset) -> None:
    client = office()
    base = client.get("/catalogue/mini/targets/new/").context["base"]
    data = {"indicator": "online_share", "kind": "level", "direction": "higher", "base_period": "", "source": "",
            "note": "", "period-0": "FY2025", "value-0": "80", "final": "0", "base": base}  # fmt: skip
    preview = client.post("/catalogue/mini/targets/new/", {**data, "action": "preview"})
    assert preview.status_code == 200, preview.content.decode()[-3000:]
    saved = client.post(
        "/catalogue/mini/targets/new/",
        {**data, "action": "save", "previewed": preview.context["digest"], "reason": "目標の追加"},
    )
    assert saved.status_code == 302
    targets = [t for t in definitions_of("mini").targets if t.indicator == "online_share"]
    assert any(str(p.value) == "80" and p.final for t in targets for p in t.points)
