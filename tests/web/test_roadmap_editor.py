"""The office keeps its roadmap on screen: a node changed, added and dropped through preview and reason.

Runs on みなと市 (the second bundled programme): nothing here knows Kobe. Each save is a definition
revision, so the public roadmap as of before the change shows the roadmap as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.core import clock
from shihyo.web.catalogue.models import DefinitionRevision
from shihyo.web.catalogue.repository import definition_documents
from shihyo.web.collection.models import Membership

pytestmark = [pytest.mark.db, pytest.mark.django_db]
TASK = "/catalogue/minato/roadmap/task/P1.A1.M1.T1/"
DIGEST = re.compile(r'name="previewed" value="([0-9a-f]+)"')
BASE = re.compile(r'name="base" value="(\d+)"')


def previewed(client: Client, path: str, form: Mapping[str, object]) -> tuple[str, dict[str, object]]:
    """POST the form (on the definitions the form page was built on) for a preview; the page and the form to
    save what it previewed."""
    if "base" not in form:
        base = BASE.search(
            client.get(path + ("?parent=" + str(form["parent"]) if "parent" in form else "")).content.decode()
        )
        form = {**form, "base": base.group(1) if base else ""}
    response = client.post(path, {**form, "action": form.get("action", "preview")})
    html = response.content.decode()
    problems = re.search(r'<ul class="problems">(.*?)</ul>', html, re.S)
    assert response.status_code == 200, problems.group(1) if problems else response.status_code
    digest = DIGEST.search(html)
    assert digest, "the preview carries the digest of the change it shows"
    return html, {**form, "previewed": digest.group(1), "base": BASE.search(html).group(1)}  # type: ignore[union-attr]


def test_the_office_renames_a_task_and_gives_it_another_team(office: Client) -> None:
    page = office.get(TASK).content.decode()
    assert "電子申請システムの全区展開" in page and 'value="digital_window_pt" selected' in page
    form = {"name": "電子申請システムの全区・全手続展開", "phase": "early", "new": "false", "owner_team": ""}
    html, save = previewed(office, TASK, form)
    assert "電子申請システムの全区展開" in html and "電子申請システムの全区・全手続展開" in html  # old → new
    assert "<code>owner_team</code>" in html and "digital_window_pt" in html
    assert "数値は変わりません" in html
    revisions = DefinitionRevision.objects.count()
    refused = office.post(TASK, {**save, "action": "save", "reason": ""})
    assert refused.status_code == 400 and DefinitionRevision.objects.count() == revisions
    before = clock.now()
    assert office.post(TASK, {**save, "action": "save", "reason": "全手続に拡大"}).status_code == 302
    assert DefinitionRevision.objects.count() == revisions + 1
    public = Client().get("/roadmap/?programme=minato").content.decode()
    assert "電子申請システムの全区・全手続展開" in public
    stored = definition_documents("minato")["programme.yaml"]
    assert "電子申請システムの全区・全手続展開" in stored and "summary:" in stored  # the rest of the file is kept
    as_of = (before - timedelta(seconds=1)).astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%dT%H:%M:%S")
    signed_in_before = office.get(f"/roadmap/?programme=minato&as_of={as_of}").content.decode()
    assert "電子申請システムの全区展開" in signed_in_before and "全手続展開" not in signed_in_before


def test_the_office_adds_an_area_with_key_indicators_and_a_measure_and_task_under_it(office: Client) -> None:
    new_area = "/catalogue/minato/roadmap/area/new/"
    form = {"parent": "P1", "code": "P1.A9", "name": "窓口の混雑対策", "heading": "", "indicators": ["online_share"]}
    _, save = previewed(office, new_area, form)
    assert office.post(new_area, {**save, "action": "save", "reason": "新しい区分"}).status_code == 302
    new_measure = "/catalogue/minato/roadmap/measure/new/"
    form = {"parent": "P1.A9", "code": "P1.A9.M1", "name": "予約制の導入", "summary": "待ち時間をなくす\n\n来庁を分散"}
    _, save = previewed(office, new_measure, form)
    assert office.post(new_measure, {**save, "action": "save", "reason": "施策の追加"}).status_code == 302
    new_task = "/catalogue/minato/roadmap/task/new/"
    form = {"parent": "P1.A9.M1", "code": "P1.A9.M1.T1", "name": "窓口予約システム", "new": "true",
            "owner_team": "digital_window_pt", "phase": "late"}  # fmt: skip
    _, save = previewed(office, new_task, form)
    assert office.post(new_task, {**save, "action": "save", "reason": "タスクの追加"}).status_code == 302
    public = Client().get("/roadmap/?programme=minato").content.decode()
    for text in ("窓口の混雑対策", "予約制の導入", "待ち時間をなくす", "来庁を分散", "窓口予約システム"):
        assert text in public
    editor = office.get("/catalogue/minato/roadmap/").content.decode()
    assert "P1.A9.M1.T1" in editor


def test_dropping_a_measure_drops_its_tasks_after_a_preview(office: Client) -> None:
    path = "/catalogue/minato/roadmap/measure/P1.A1.M1/"
    page = office.get(path).content.decode()
    form = {"name": "行政手続のオンライン化", "summary": "", "note": "", "action": "drop-preview"}
    html, save = previewed(office, path, form)
    assert "P1.A1.M1.T1" in html  # its tasks are listed as dropped too
    assert "電子申請システムの全区展開" in Client().get("/roadmap/?programme=minato").content.decode()
    assert office.post(path, {**save, "action": "drop", "reason": "再編"}).status_code == 302
    public = Client().get("/roadmap/?programme=minato").content.decode()
    assert "行政手続のオンライン化" not in public and "電子申請システムの全区展開" not in public
    assert office.get(path).status_code == 404
    assert "Drop" in page or "削除" in page


@pytest.mark.parametrize(
    ("path", "form", "field", "text"),
    [
        (TASK, {"name": "x", "owner_team": "no_such_team"}, "owner_team", "no_such_team"),
        (TASK, {"name": "", "owner_team": ""}, "name", ""),
        (TASK, {"name": "x", "phase": "sometime"}, "phase", "sometime"),
        ("/catalogue/minato/roadmap/area/new/", {"parent": "P1", "code": "P1.A1", "name": "x"}, "code", "P1.A1"),
        ("/catalogue/minato/roadmap/area/new/", {"parent": "P1", "code": "a b", "name": "x"}, "code", "a b"),
        ("/catalogue/minato/roadmap/area/new/", {"parent": "P1", "code": "P1.A8", "name": "x",
                                                  "indicators": ["no_such_one"]}, "indicators", "no_such_one"),
        ("/catalogue/minato/roadmap/measure/new/", {"parent": "P1.A1", "code": "M", "name": "x", "summary": "a\n" * 30},
         "summary", "30"),
    ],
)  # fmt: skip
def test_a_broken_node_is_refused_by_field_and_nothing_is_saved(
    office: Client, path: str, form: dict[str, object], field: str, text: str
) -> None:
    revisions = DefinitionRevision.objects.count()
    base = DefinitionRevision.objects.order_by("-id").values_list("id", flat=True).first()
    response = office.post(path, {**form, "base": base, "action": "preview"})
    assert response.status_code == 400
    problems = re.search(r'<ul class="problems">(.*?)</ul>', response.content.decode(), re.S)
    assert problems, "the problems are listed"
    assert f'<span class="problem-place">[{field}]</span>' in problems.group(1), problems.group(1)  # the form's field
    assert text in problems.group(1)
    assert DefinitionRevision.objects.count() == revisions


def test_a_save_on_a_stale_base_is_refused(office: Client) -> None:
    _, first = previewed(office, TASK, {"name": "A案", "owner_team": "digital_window_pt"})
    _, second = previewed(office, TASK, {"name": "B案", "owner_team": "digital_window_pt"})
    assert office.post(TASK, {**first, "action": "save", "reason": "A"}).status_code == 302
    stale = office.post(TASK, {**second, "action": "save", "reason": "B"})
    assert stale.status_code == 400 and "ほかの人が定義を変更しました" in stale.content.decode()
    assert "A案" in Client().get("/roadmap/?programme=minato").content.decode()


def test_only_the_office_reaches_the_roadmap_editor(office: Client) -> None:
    for role in ("reviewer", "submitter", "viewer"):
        user = User.objects.create_user(username=f"{role}-x", password="roadmap-test-password-1")
        Membership.objects.create(user=user, role=role, org_units=["minato_city"] if role == "submitter" else [])
        client = Client()
        client.force_login(user)
        for path in ("/catalogue/minato/roadmap/", TASK, "/catalogue/minato/roadmap/pillar/new/"):
            assert client.get(path).status_code == 403, (role, path)
        assert client.post(TASK, {"name": "x", "action": "save"}).status_code == 403
    assert Client().get(TASK).status_code == 302  # to the sign-in page
    assert office.get("/catalogue/minato/roadmap/nonsense/new/").status_code == 404
    assert office.get("/catalogue/minato/roadmap/area/new/?parent=nowhere").status_code == 404
