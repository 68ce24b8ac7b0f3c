"""Accounts: the programme office adds and changes them on the web; every change is recorded."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.web.collection.models import AccountEvent, Membership, Round
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def office() -> Client:
    client = Client()
    assert client.login(username="office", password=PASSWORD)
    return client


def test_the_office_adds_a_clerk_who_can_then_sign_in_and_submit(round_: Round) -> None:
    response = office().post(
        "/accounts/", {"action": "save", "username": "ward_b_new", "role": "submitter", "org_units": ["ward_b"]}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    found = re.search(r'<code class="password">([^<]+)</code>', response.content.decode())
    assert found, "a new account's password is shown once"
    clerk = Client()
    assert clerk.login(username="ward_b_new", password=found.group(1))
    assert clerk.get("/collection/mini/r4-h1/ward_b/").status_code == 200
    assert clerk.get("/collection/mini/r4-h1/ward_a/").status_code == 403
    event = AccountEvent.objects.get(username="ward_b_new")
    assert (event.action, event.role, event.org_units, event.by) == ("created", "submitter", ["ward_b"], "office")
    assert found.group(1) not in str(AccountEvent.objects.values_list()), "the password is never recorded"


def test_a_role_change_keeps_the_password_and_a_stopped_account_cannot_sign_in(round_: Round) -> None:
    page = office().post("/accounts/", {"action": "save", "username": "viewer", "role": "reviewer"})
    assert page.status_code == 200 and 'class="password"' not in page.content.decode()
    assert Client().login(username="viewer", password=PASSWORD)
    assert Membership.objects.get(user__username="viewer").role == "reviewer"
    office().post("/accounts/", {"action": "deactivate", "username": "viewer"})
    assert not Client().login(username="viewer", password=PASSWORD)
    office().post("/accounts/", {"action": "reactivate", "username": "viewer"})
    assert Client().login(username="viewer", password=PASSWORD)
    actions = list(AccountEvent.objects.filter(username="viewer").values_list("action", flat=True))
    assert actions == ["updated", "deactivated", "reactivated"]
    own = office().post("/accounts/", {"action": "deactivate", "username": "office"})
    assert own.status_code == 400 and "自分のアカウント" in own.content.decode()


def test_bad_account_input_is_explained(round_: Round) -> None:
    for data, text in (
        ({"username": "a b", "role": "viewer"}, "ユーザー名"),
        ({"username": "clerk", "role": "mayor"}, "役割「mayor」"),
        ({"username": "clerk", "role": "submitter"}, "--org-unit"),
        ({"username": "clerk", "role": "submitter", "org_units": ["nowhere"]}, "nowhere"),
    ):
        response = office().post("/accounts/", {"action": "save", **data})
        assert response.status_code == 400 and text in response.content.decode(), data
    assert not User.objects.filter(username="clerk").exists()


def test_users_change_their_own_password(round_: Round) -> None:
    client = Client()
    client.login(username="ward_a_clerk", password=PASSWORD)
    new = "a-brand-new-passphrase-42"
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get("/collection/").status_code == 200, "the session stays signed in"
    assert Client().login(username="ward_a_clerk", password=new)
    assert AccountEvent.objects.get(username="ward_a_clerk").action == "password"
