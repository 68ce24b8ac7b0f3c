"""Periods that no Japanese era names (FY1500, a date in 1800) are refused wherever they are typed or loaded,
and data an older version stored with them still shows: the pages answer without a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from typer.testing import CliRunner

from shihyo import cli
from shihyo.core.problems import ValidationFailed
from shihyo.io.directory import read_programme_dir
from shihyo.web.collection.models import Round
from tests.conftest import MINI

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_a_programme_file_with_a_period_before_the_eras_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    folder.mkdir()
    for source in MINI.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    with (folder / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("online,ward_a,FY1500,actual,5,,,\n")
    with pytest.raises(ValidationFailed) as caught:
        read_programme_dir(folder)
    [problem] = caught.value.problems
    assert problem.file.endswith("observations.csv") and problem.where == "period"
    assert "和暦（明治以降）で呼べる年度ではありません" in problem.ja


def test_a_round_stored_with_a_period_before_the_eras_still_shows(round_: Round) -> None:
    """An earlier version accepted FY1500 when a round was opened; its pages must not fail for everyone."""
    Round.objects.filter(pk=round_.pk).update(periods=["FY1500"])
    client = Client()
    client.force_login(get_user_model().objects.get(username="office"))
    for page in ("/collection/", "/collection/mini/r4-h1/", "/collection/mini/r4-h1/ward_a/", "/"):
        response = client.get(page)
        assert response.status_code < 500, page
    for fmt in ("xlsx", "csv"):
        assert client.get(f"/collection/mini/r4-h1/ward_a/template.{fmt}").status_code < 500, fmt
    done = CliRunner().invoke(cli.app, ["round", "status", "r4-h1", "--programme", "mini"])
    assert done.exit_code == 0 and "Traceback" not in done.output, done.output
