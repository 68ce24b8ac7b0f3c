"""The command's two error families through the CLI runner: user errors exit 1 with their message,
internal errors exit 2 with one line naming the log file that holds the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shihyo import cli
from shihyo.core.problems import UserError
from tests.conftest import MINI


def _runner() -> CliRunner:
    return CliRunner()


def test_a_user_error_exits_1_with_its_message(shihyo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(directory: Path) -> None:
        raise UserError(ja="ディレクトリが違います", en="wrong directory")

    monkeypatch.setattr("shihyo.io.directory.read_programme_dir", refuse)
    done = _runner().invoke(cli.app, ["validate", str(MINI), "--lang", "en"])
    assert done.exit_code == 1
    assert "wrong directory" in done.output and "Traceback" not in done.output
    assert not cli.log_path().exists()


def test_an_internal_error_exits_2_with_the_log_file_and_no_traceback(
    shihyo_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(directory: Path) -> None:
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setattr("shihyo.io.directory.read_programme_dir", crash)
    done = _runner().invoke(cli.app, ["validate", str(MINI)])
    assert done.exit_code == 2
    # one line for the user, besides the command's own log line (logger shihyo.command, for operators)
    lines = [line for line in done.output.splitlines() if line.strip() and " shihyo.command [" not in line]
    assert len(lines) == 1, done.output
    assert "ZeroDivisionError" in lines[0] and str(Path("log") / "shihyo.log") in lines[0]
    assert "Traceback" not in done.output and "a bug deep inside" not in done.output
    logged = cli.log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "ZeroDivisionError: a bug deep inside" in logged and "validate" in logged


def test_each_internal_error_is_appended_to_the_log(shihyo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(directory: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("shihyo.io.directory.read_programme_dir", crash)
    for _ in range(2):
        assert _runner().invoke(cli.app, ["validate", str(MINI)]).exit_code == 2
    assert cli.log_path().read_text(encoding="utf-8").count("RuntimeError: boom") == 2


def test_a_usage_error_keeps_clicks_exit_code(shihyo_home: Path) -> None:
    done = _runner().invoke(cli.app, ["validate"])
    assert done.exit_code == 2 and "Missing argument" in done.output
    assert not cli.log_path().exists()
