"""The team that owns an indicator drafts its commentary; the office publishes it.

An indicator is owned by the owner teams of the tasks of the measures in the areas that list it. The office
puts an account in a team on the accounts page; the member then writes drafts of those indicators only,
never publishes, never writes the programme's own commentary or the progress of measures.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo import examples
from shihyo.core.commentary import PROGRAMME_WIDE, owning_teams
from shihyo.core.model import Dataset
from shihyo.core.problems import UserError
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.models import CommentaryRevision
from shihyo.web.catalogue.repository import save_dataset
from shihyo.web.collection.accounts import save_account
from shihyo.web.collection.models import AccountEvent, Membership
from tests.conftest import KOBE

T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
OWNED = "smart_coverage"  # in 行政の電子化, whose first task is スマート手続推進PT's
TEAM = "smart_procedures_pt"


@pytest.fixture(scope="module")
def kobe_files() -> Dataset:
    return read_programme_dir(KOBE)


def test_an_indicator_is_owned_by_the_teams_of_the_tasks_of_its_areas(kobe_files: Dataset) -> None:
    programme = kobe_files.programme
    assert TEAM in owning_teams(programme, OWNED)
    assert owning_teams(programme, PROGRAMME_WIDE) == frozenset()
    listed = {code for pillar in programme.pillars for area in pillar.areas for code in area.indicators}
    unlisted = [i.code for i in programme.indicators if i.code not in listed]
    assert unlisted and all(owning_teams(programme, code) == frozenset() for code in unlisted)
    minato = read_programme_dir(examples.path("minato")).programme  # the same rule, from the other programme's files
    owned = {code: owning_teams(minato, code) for code in (i.code for i in minato.indicators)}
    assert any("digital_window_pt" in teams for teams in owned.values())


@pytest.mark.db
@pytest.mark.django_db
class TestTheLoop:
    @pytest.fixture(autouse=True)
    def kobe(self, kobe_files: Dataset) -> None:
        save_dataset(kobe_files, now=T0, recorded_by="office", reason="test load")
        user = User.objects.create_user(username="office", password="team-test-password-1")
        Membership.objects.create(user=user, role="admin", org_units=[])
        self.office = Client()
        self.office.force_login(user)

    def member(self) -> Client:
        """The office puts a new viewer account into the team on the accounts page; the member signs in."""
        page = self.office.post(
            "/accounts/", {"action": "save", "username": "pt_member", "role": "viewer", "teams": [TEAM]}
        )
        assert page.status_code == 200
        password = re.search(r'<code class="password">([^<]+)</code>', page.content.decode())
        assert password, "the new account's password is shown once"
        assert "スマート手続推進PT" in page.content.decode()  # the accounts table names the team
        client = Client()
        assert client.login(username="pt_member", password=password.group(1))
        return client

    def test_a_member_drafts_the_owned_indicator_and_the_office_publishes(self) -> None:
        member = self.member()
        edit = f"/notes/kobe/FY2021/commentary/{OWNED}/"
        page = f"/indicators/{OWNED}/?period=FY2021"
        form = member.get(edit)
        assert form.status_code == 200
        assert 'value="published"' not in form.content.decode()  # the member has no way to publish
        assert edit in member.get(page).content.decode()  # the indicator page offers the member the form

        draft = {"findings": "PTの所見（下書き）", "issues": "周知", "actions": "", "state": "draft"}
        assert member.post(edit, {**draft, "reason": "PTが記載"}).status_code == 302
        assert "PTの所見（下書き）" in member.get(page).content.decode()  # the team sees its draft
        assert "PTの所見（下書き）" not in Client().get(page).content.decode()  # the public does not

        before = CommentaryRevision.objects.count()
        refused = member.post(edit, {**draft, "state": "published", "reason": "公開したい"})
        assert refused.status_code == 400 and "下書きとして保存してください" in refused.content.decode()
        assert CommentaryRevision.objects.count() == before, "a refused write saves nothing"

        assert self.office.post(edit, {**draft, "state": "published", "reason": "事務局が確認"}).status_code == 302
        public = Client().get(page).content.decode()
        assert "PTの所見（下書き）" in public
        history = self.office.get(edit).content.decode()
        assert "pt_member" in history and "PTが記載" in history  # the draft's author and reason are kept

    def test_a_member_writes_nothing_the_team_does_not_own(self) -> None:
        member = self.member()
        other = next(
            i.code
            for i in read_programme_dir(KOBE).programme.indicators
            if TEAM not in owning_teams(read_programme_dir(KOBE).programme, i.code)
        )
        before = CommentaryRevision.objects.count()
        assert member.get(f"/notes/kobe/FY2021/commentary/{other}/").status_code == 403
        post = {"findings": "x", "issues": "", "actions": "", "state": "draft", "reason": "r"}
        assert member.post(f"/notes/kobe/FY2021/commentary/{other}/", post).status_code == 403
        assert member.post("/notes/kobe/FY2021/commentary/", post).status_code == 403  # the programme's own
        assert member.get("/notes/kobe/FY2021/progress/").status_code == 403  # the progress of measures
        assert f"/notes/kobe/FY2021/commentary/{other}/" not in member.get(f"/indicators/{other}/").content.decode()
        assert CommentaryRevision.objects.count() == before

    def test_team_changes_are_checked_and_recorded(self) -> None:
        self.member()
        membership, events = Membership.objects.count(), AccountEvent.objects.count()
        refused = self.office.post(
            "/accounts/", {"action": "save", "username": "pt_member", "role": "viewer", "teams": ["no_such_pt"]}
        )
        assert refused.status_code == 400 and "no_such_pt" in refused.content.decode()
        assert (Membership.objects.count(), AccountEvent.objects.count()) == (membership, events)
        assert Membership.objects.get(user__username="pt_member").teams == [TEAM]
        self.office.post("/accounts/", {"action": "save", "username": "pt_member", "role": "viewer"})
        assert Membership.objects.get(user__username="pt_member").teams == []  # the page's boxes say all teams
        recorded = list(AccountEvent.objects.filter(username="pt_member").values_list("teams", flat=True))
        assert recorded == [[TEAM], []]
        # the command line keeps the teams when --team is not given
        save_account("cli_member", "viewer", [], "team-test-password-2", "kobe", by="cli", teams=[TEAM])
        save_account("cli_member", "reviewer", [], None, "kobe", by="cli")
        assert Membership.objects.get(user__username="cli_member").teams == [TEAM]
        with pytest.raises(UserError, match="no_such_pt"):
            save_account("cli_member", "viewer", [], None, "kobe", by="cli", teams=["no_such_pt"])

    def test_the_account_history_stays_append_only_after_the_teams_column(self) -> None:
        from django.db import DatabaseError, connection, transaction

        self.member()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE collection_accountevent SET teams = '[]'")
