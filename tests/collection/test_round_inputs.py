"""Opening a round with inputs that once gave a server error: an outlier threshold of 1e10, NaN or Infinity,
a period before the eras (FY1500). The form answers 400 with the field and the fix, the CLI exits 1 with
the same message, and nothing is created (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from shihyo import cli
from shihyo.web.collection.models import Round
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FORM = {"programme": "mini", "code": "r5", "name": "R5年度", "periods": "R5", "due": "2023-05-31"}
BAD = [
    ("outlier_threshold", "1e10", "範囲の外です"),
    ("outlier_threshold", "NaN", "数ではありません"),
    ("outlier_threshold", "Infinity", "数ではありません"),
    ("outlier_threshold", "-Infinity", "数ではありません"),
    ("periods", "FY1500", "和暦（明治以降）で呼べる年度ではありません"),
    ("due", "1500-01-01", "扱える範囲の外です"),
    ("name", "R5\x00年度", "制御文字"),
    ("code", "R5 round", "使えません"),
]


def office() -> Client:
    client = Client()
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize(("field", "text", "message"), BAD)
def test_the_round_form_refuses_with_a_readable_400(round_: object, field: str, text: str, message: str) -> None:
    before = Round.objects.count()
    response = office().post("/collection/new/", {**FORM, field: text})
    page = response.content.decode()
    assert response.status_code == 400, page[-1500:]
    assert message in page and f"[{field}]" in page
    assert Round.objects.count() == before


def test_the_round_form_still_opens_a_good_round(round_: object) -> None:
    response = office().post("/collection/new/", {**FORM, "outlier_threshold": "３０％"})
    assert response.status_code == 302
    assert str(Round.objects.get(code="r5").outlier_threshold.normalize()) == "0.3"


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("--outlier-percent", "1e10", "範囲の外です"),
        ("--outlier-percent", "nan", "数ではありません"),
        ("--outlier-percent", "inf", "数ではありません"),
        ("--period", "FY1500", "和暦（明治以降）で呼べる年度ではありません"),
        ("--due", "2023-02-30", "日付として読めません"),
    ],
)
def test_the_cli_refuses_the_same_inputs_with_exit_code_1(
    shihyo_home: Path, option: str, text: str, message: str
) -> None:
    args = ["round", "open", "r5", "--name", "R5年度", "--period", "R5", "--due", "2023-05-31", option, text]
    done = CliRunner().invoke(cli.app, args)
    assert done.exit_code == 1, done.output
    assert f"[{option}]" in done.output and message in done.output.replace("\n", "")
    assert "Traceback" not in done.output
