"""The CLI's options go through the same parsers as the web forms: `shihyo serve --port/--threads`,
`shihyo user add` (name, org units, mail address, password) refuse out-of-range or unreadable input with
exit code 1, the option named and the fix, before anything starts or is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shihyo import cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "1〜65535 の整数ではありません"),
        (["--port", "65536"], "1〜65535 の整数ではありません"),
        (["--port", "８０８０x"], "1〜65535 の整数ではありません"),
        (["--threads", "0"], "1〜64 の整数ではありません"),
        (["--threads", "1e10"], "1〜64 の整数ではありません"),
        (["--host", "127.0.0.1\x00"], "制御文字"),
    ],
)
def test_serve_refuses_out_of_range_options_before_it_starts(shihyo_home: Path, args: list[str], message: str) -> None:
    done = CliRunner().invoke(cli.app, ["serve", *args])
    assert done.exit_code == 1, done.output
    assert f"[{args[0]}]" in done.output and message in done.output.replace("\n", "")
    assert "shihyo dashboard" not in done.output  # it never started


@pytest.mark.db
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "stdin", "where", "message"),
    [
        (["ab\x00c", "--role", "viewer"], "long-enough-password-1\n", "USERNAME", "制御文字"),
        (["x" * 151, "--role", "viewer"], "long-enough-password-1\n", "USERNAME", "長すぎます"),
        (
            ["kita", "--role", "submitter", "--org-unit", "Ward A"],
            "long-enough-password-1\n",
            "--org-unit",
            "使えません",
        ),
        (["kita", "--role", "viewer", "--email", "kita@\x00x.jp"], "long-enough-password-1\n", "--email", "制御文字"),
        (
            ["kita", "--role", "viewer", "--email", "not-an-address"],
            "long-enough-password-1\n",
            "--email",
            "正しくありません",
        ),
        (["kita", "--role", "viewer"], "x" * 1025 + "\n", "password", "長すぎます"),
    ],
)
def test_user_add_refuses_unbounded_input_and_saves_nothing(
    args: list[str], stdin: str, where: str, message: str
) -> None:
    from django.contrib.auth import get_user_model

    from shihyo.web.collection.models import AccountEvent

    done = CliRunner().invoke(cli.app, ["user", "add", *args, "--password-stdin"], input=stdin)
    assert done.exit_code == 1, done.output
    assert f"[{where}]" in done.output and message in done.output.replace("\n", "")
    assert get_user_model().objects.count() == 0 and AccountEvent.objects.count() == 0


@pytest.mark.db
@pytest.mark.django_db
def test_user_add_still_adds_a_good_account() -> None:
    from django.contrib.auth import get_user_model

    args = ["user", "add", "kita", "--role", "viewer", "--email", "kita@city.example.jp", "--password-stdin"]
    done = CliRunner().invoke(cli.app, args, input="long-enough-password-1\n")
    assert done.exit_code == 0, done.output
    assert get_user_model().objects.get(username="kita").email == "kita@city.example.jp"
