"""Public pages name roles or org units, never sign-in names: knowing a reviewer's sign-in name is the first
half of guessing their password (and of locking them out)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.collection.test_workflow import review, signed_in, submit

pytestmark = [pytest.mark.db, pytest.mark.django_db]
PAGE = "/indicators/online_count/?programme=mini&unit=ward_a"


def history(page: str) -> str:
    return page[page.index('id="history-title"') : page.index('id="downloads-title"')]


def test_the_history_of_an_approved_figure_names_roles_and_units_not_accounts(round_: object) -> None:
    clerk, reviewer = signed_in("ward_a_clerk"), signed_in("reviewer")
    assert submit(clerk, "ward_a", "1,200", "10").status_code == 302
    assert review(reviewer, "ward_a", "approve").status_code == 302

    for lang, role, entered, load in (
        ("ja", "承認者", "（入力 A区の提出者）", "推進チーム（データ読込）"),
        ("en", "reviewer", "（入力 submitter of", "programme office (data load)"),
    ):
        public = Client()
        public.cookies["shihyo_language"] = lang
        ward = history(public.get(PAGE).content.decode())
        assert "1,200" in ward and f"<td>{role}</td>" in ward and entered in ward, lang
        city = history(public.get("/indicators/online_count/?programme=mini").content.decode())
        assert f"<td>{load}</td>" in city, "the loaded figures were recorded by 'test', which is no account"
        accounts = ("reviewer", "ward_a_clerk", "test") if lang == "ja" else ("ward_a_clerk", "test")  # en: role name
        for account in accounts:
            assert f"<td>{account}</td>" not in ward + city and f" {account}）" not in ward, (lang, account)

    office = signed_in("office").get(PAGE).content.decode()
    assert "<td>reviewer</td>" in office and "（入力 ward_a_clerk）" in office, "the office reads the audit trail"
