"""The office keeps its org units and teams on screen, on みなと市: changed, added, dropped with a preview.

A drop that anything still needs is refused with that named, and nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.web.catalogue.models import DefinitionRevision
from shihyo.web.collection.models import Membership

pytestmark = [pytest.mark.db, pytest.mark.django_db]
UNITS = "/catalogue/minato/org-units"
TEAMS = "/catalogue/minato/teams"
DIGEST = re.compile(r'name="previewed" value="([0-9a-f]+)"')
BASE = re.compile(r'name="base" value="(\d+)"')
PROBLEMS = re.compile(r'<ul class="problems">(.*?)</ul>', re.S)


def saved(client: Client, path: str, form: Mapping[str, object], *, drop: bool = False) -> str:
    """Preview the change made on the form's page, then save it with a reason; the preview page."""
    base = BASE.search(client.get(path).content.decode())
    assert base
    preview = client.post(path, {**form, "base": base.group(1), "action": "drop-preview" if drop else "preview"})
    html = preview.content.decode()
    problems = PROBLEMS.search(html)
    assert preview.status_code == 200, problems.group(1) if problems else preview.status_code
    digest = DIGEST.search(html)
    assert digest
    done = client.post(
        path,
        {
            **form,
            "base": base.group(1),
            "previewed": digest.group(1),
            "reason": "組織改正",
            "action": "drop" if drop else "save",
        },
    )
    assert done.status_code == 302, done.content.decode()[:500]
    return html


def refused(client: Client, path: str, form: Mapping[str, object], *, drop: bool = False) -> str:
    """The problems of a change that must be refused; checks that nothing was saved."""
    revisions = DefinitionRevision.objects.count()
    base = BASE.search(client.get(path).content.decode())
    assert base
    response = client.post(path, {**form, "base": base.group(1), "action": "drop-preview" if drop else "preview"})
    assert response.status_code == 400
    problems = PROBLEMS.search(response.content.decode())
    assert problems
    assert DefinitionRevision.objects.count() == revisions
    return problems.group(1)


def test_the_office_renames_a_ward_and_adds_one(office: Client) -> None:
    unit = {"name": "北区役所", "name_en": "Kita Ward Office", "kind": "ward", "parent": "minato"}
    html = saved(office, f"{UNITS}/kita/edit/", unit)
    assert "北区" in html and "北区役所" in html and "Kita Ward Office" in html  # old → new
    assert "北区役所" in Client().get("/organisation/?programme=minato").content.decode()
    saved(office, f"{UNITS}/new/", {"code": "shin", "name": "新区", "kind": "ward", "parent": "minato"})
    listed = office.get(f"{UNITS}/list/").content.decode()
    assert "shin" in listed and "新区" in listed
    assert "新区" in Client().get("/organisation/?programme=minato").content.decode()
    saved(office, f"{UNITS}/shin/edit/", {"name": "新区"}, drop=True)  # nothing needs it yet
    assert "新区" not in office.get(f"{UNITS}/list/").content.decode()


def test_a_unit_that_anything_needs_is_not_dropped(office: Client) -> None:
    problems = refused(office, f"{UNITS}/chuo/edit/", {"name": "中央区"}, drop=True)
    assert "chuo" in problems  # its figures (and the team that lists it) need it
    problems = refused(office, f"{UNITS}/minato/edit/", {"name": "みなと市"}, drop=True)
    assert "minato" in problems  # the units below it


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"name": "北区", "kind": "planet", "parent": "minato"}, "kind"),
        ({"name": "北区", "kind": "ward", "parent": "nowhere"}, "parent"),
        ({"name": "", "kind": "ward", "parent": "minato"}, "name"),
        ({"name": "北区", "kind": "ward", "parent": "kita"}, "parent"),  # its own parent
    ],
)
def test_a_broken_unit_is_refused_by_field(office: Client, form: dict[str, str], field: str) -> None:
    assert f"[{field}]" in refused(office, f"{UNITS}/kita/edit/", form)


def test_the_office_changes_a_team_and_cannot_drop_one_that_owns_tasks(office: Client) -> None:
    form = {
        "name": "区役所窓口デジタル化PT",
        "kind": "pt",
        "started": "2020-04",
        "members": ["digital", "kita", "minami"],
        "member_roles": "デジタル推進部\n北区役所区民課\n南区役所区民課",
        "projects": "電子申請の全区展開\nコンビニ交付の拡大",
        "mission": "来なくてよい区役所",
    }
    html = saved(office, f"{TEAMS}/digital_window_pt/edit/", form)
    assert "南区役所区民課" in html
    organisation = Client().get("/organisation/?programme=minato").content.decode()
    assert "南区役所区民課" in organisation and "来なくてよい区役所" in organisation
    problems = refused(office, f"{TEAMS}/digital_window_pt/edit/", form, drop=True)
    assert "digital_window_pt" in problems  # the roadmap's tasks name it as their owner
    bad = refused(office, f"{TEAMS}/digital_window_pt/edit/", {**form, "members": ["nowhere"]})
    assert "nowhere" in bad
    saved(office, f"{TEAMS}/new/", {"code": "window_pt", "name": "窓口PT", "kind": "pt", "members": ["kita"]})
    assert "窓口PT" in office.get(f"{TEAMS}/list/").content.decode()


def test_only_the_office_reaches_them(office: Client) -> None:
    user = User.objects.create_user(username="rev", password="directory-test-password-1")
    Membership.objects.create(user=user, role="reviewer", org_units=[])
    reviewer = Client()
    reviewer.force_login(user)
    for path in (f"{UNITS}/list/", f"{UNITS}/kita/edit/", f"{TEAMS}/new/"):
        assert reviewer.get(path).status_code == 403
        assert Client().get(path).status_code == 302
    assert office.get("/catalogue/minato/planets/list/").status_code == 404
    assert office.get(f"{UNITS}/nowhere/edit/").status_code == 404
