"""The office's commentary and the progress of measures, through the real pages: written, published, kept.

Kobe's files carry the seed's own text (its 課題 lists, 主な効果, R3年度ハイライト) as published commentary
for R3; the office then writes on screen, as a draft first, and records the state of measures.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.core import clock
from shihyo.core.model import Dataset
from shihyo.io.commentary import COMMENTARY
from shihyo.io.directory import read_programme_dir, write_programme_dir
from shihyo.web.catalogue.evaluation import clear_cache
from shihyo.web.catalogue.models import CommentaryRevision, ProgressRevision
from shihyo.web.catalogue.repository import read_programme, save_dataset
from shihyo.web.collection.models import Membership
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
PAGE = "/indicators/smart_coverage/?period=FY2021"
EDIT = "/notes/kobe/FY2021/commentary/smart_coverage/"


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture
def kobe(kobe_files: Dataset) -> Dataset:
    save_dataset(kobe_files, now=T0, recorded_by="office", reason="test load")
    return kobe_files


def signed_in(role: str) -> Client:
    user = User.objects.create_user(username=f"{role}-user", password="notes-test-password-1")
    Membership.objects.create(user=user, role=role, org_units=[])
    client = Client()
    client.force_login(user)
    return client


def test_the_seed_commentary_shows_on_the_page_marked_as_written_by_the_office(client: Client, kobe: Dataset) -> None:
    html = client.get(PAGE).content.decode()
    assert "事務局の所見" in html and "数値から自動生成したものではありません" in html
    for issue in ("市民の利用促進", "業務フローの抜本的見直し(BPR)", "全庁的デジタルリテラシー底上げ"):
        assert issue in html
    assert "課題" in html and "所見" in html
    overview = client.get("/?period=FY2021").content.decode()
    assert "R3年度ハイライト：(1)来庁不要の手続拡大" in overview
    assert EDIT not in html  # the public has no way to edit


def test_english_pages_mark_the_japanese_commentary(client: Client, kobe: Dataset) -> None:
    client.cookies["shihyo_language"] = "en"
    html = client.get(PAGE).content.decode()
    assert "The office&#x27;s commentary" in html or "The office's commentary" in html
    assert '<span lang="ja">市民の利用促進</span>' in html


def test_a_draft_is_for_the_office_until_published_and_every_version_is_kept(client: Client, kobe: Dataset) -> None:
    office = signed_in("admin")
    form = office.get(EDIT).content.decode()
    assert "市民の利用促進" in form  # the form starts from the published text
    draft = {"findings": "e-KOBEの手続が増えた。", "issues": "周知\n操作性", "actions": "", "state": "draft"}
    response = office.post(EDIT, {**draft, "reason": "R3の所見を更新"})
    assert response.status_code == 302 and response["Location"].startswith("/indicators/smart_coverage/")
    assert "e-KOBEの手続が増えた" not in client.get(PAGE).content.decode()  # the public still sees the published
    office_page = office.get(PAGE).content.decode()
    assert "e-KOBEの手続が増えた" in office_page and "下書き" in office_page
    published_at = clock.now()
    office.post(EDIT, {**draft, "state": "published", "reason": "公開"})
    public = client.get(PAGE).content.decode()
    assert "e-KOBEの手続が増えた" in public and "操作性" in public and "市民の利用促進" not in public
    rows = list(CommentaryRevision.objects.filter(subject="smart_coverage").order_by("id"))
    assert [(r.state, r.recorded_by, r.reason) for r in rows] == [
        ("published", "office", "test load"),
        ("draft", "admin-user", "R3の所見を更新"),
        ("published", "admin-user", "公開"),
    ]
    history = office.get(EDIT).content.decode()
    assert "R3の所見を更新" in history and "公開" in history and "test load" in history
    before = (published_at - timedelta(microseconds=1)).isoformat(timespec="microseconds")
    clear_cache()
    earlier = client.get(PAGE.split("?")[0], {"period": "FY2021", "as_of": before}).content.decode()
    assert "市民の利用促進" in earlier and "e-KOBEの手続が増えた" not in earlier  # as it stood then


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"findings": "x", "state": "published"}, "入力されていません"),  # no reason
        ({"findings": "a\x00b", "state": "published", "reason": "r"}, "制御文字"),
        ({"issues": "\n".join(f"課題{i}" for i in range(21)), "state": "published", "reason": "r"}, "項目が多すぎます"),
        ({"findings": "x" * 4001, "state": "published", "reason": "r"}, "長すぎます"),
        ({"findings": "x", "state": "final", "reason": "r"}, "選べる値"),
    ],
)
def test_a_refused_commentary_saves_nothing_and_says_why(kobe: Dataset, data: dict[str, str], message: str) -> None:
    office = signed_in("admin")
    before = CommentaryRevision.objects.count()
    response = office.post(EDIT, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert CommentaryRevision.objects.count() == before


def test_unknown_indicators_and_periods_are_not_found(kobe: Dataset) -> None:
    office = signed_in("admin")
    assert office.get("/notes/kobe/FY2021/commentary/no_such_indicator/").status_code == 404
    assert office.get("/notes/kobe/R3/commentary/smart_coverage/").status_code == 404  # one address per period
    assert office.get("/notes/kobe/FY1500/commentary/smart_coverage/").status_code == 400
    assert signed_in("reviewer").get(EDIT).status_code == 403


def test_the_progress_of_measures_shows_on_the_roadmap_with_its_history(client: Client, kobe: Dataset) -> None:
    office = signed_in("admin")
    url = "/notes/kobe/FY2021/progress/"
    assert "行政手続きの電子化" in office.get(url).content.decode()
    response = office.post(
        url,
        {
            "state:P1.A1.M1": "in_progress",
            "note:P1.A1.M1": "e-KOBE稼働",
            "state:P1.A1.M1.T1": "done",
            "reason": "R3年度末の状況",
        },
    )
    assert response.status_code == 302
    roadmap = client.get("/roadmap/?period=FY2021").content.decode()
    assert "実施中" in roadmap and "完了" in roadmap and "e-KOBE稼働" in roadmap
    later = client.get("/roadmap/?period=FY2022").content.decode()
    assert "実施中" in later and "(R3年度)" in later  # carried into the next year, with the year it was recorded
    office.post(url, {"state:P1.A1.M1": "delayed", "note:P1.A1.M1": "", "reason": "見直し"})
    assert list(ProgressRevision.objects.filter(subject="P1.A1.M1").values_list("state", flat=True)) == [
        "in_progress",
        "delayed",
    ]
    before = ProgressRevision.objects.count()
    refused = office.post(url, {"state:P1.A1.M1": "finished", "reason": "x"})
    assert refused.status_code == 400 and ProgressRevision.objects.count() == before


def test_what_the_office_wrote_is_exported_and_loads_again_unchanged(kobe: Dataset, tmp_path: Path) -> None:
    office = signed_in("admin")
    office.post(EDIT, {"findings": "画面で書いた所見", "state": "published", "reason": "画面から"})
    office.post("/notes/kobe/FY2021/progress/", {"state:P1.A1.M1": "done", "reason": "完了"})
    stored = read_programme("kobe")
    write_programme_dir(stored.dataset, tmp_path)
    text = (tmp_path / COMMENTARY).read_text(encoding="utf-8")
    assert "画面で書いた所見" in text and "P1.A1.M1" in text
    again = read_programme_dir(tmp_path)
    summary = save_dataset(again, now=T0 + timedelta(days=1), recorded_by="office")
    assert summary.notes == 0 and not summary.definitions_changed


def test_loading_the_same_files_again_records_no_commentary(kobe_files: Dataset, kobe: Dataset) -> None:
    assert CommentaryRevision.objects.count() == len(kobe_files.notes.commentary) == 9
    summary = save_dataset(kobe_files, now=T0 + timedelta(days=1), recorded_by="office")
    assert summary.notes == 0 and CommentaryRevision.objects.count() == 9
