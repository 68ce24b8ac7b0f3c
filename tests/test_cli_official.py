"""`shihyo reconcile` shows each case's resolution; `shihyo resolve` records a decision (a real process)."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

from tests.conftest import KOBE
from tests.test_cli import run


@pytest.fixture
def kobe_loaded(shihyo_home: Path) -> Path:
    run("load", str(KOBE), "--by", "tester", "--reason", "test")
    return shihyo_home


def _overtime_rows() -> list[dict[str, str]]:
    done = run("reconcile", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    return [r for r in rows if r["code"] == "overtime_monthly_avg" and r["period"] == "H29"]


def test_reconcile_shows_the_policy_then_the_decision(kobe_loaded: Path) -> None:
    before = _overtime_rows()
    assert len(before) == 3  # the report prints 16.2 in three places
    assert {(r["reported"], r["recomputed"], r["official"], r["decided"]) for r in before} == {
        ("16.2", "16.1", "公表値16.2", "方針（公表値）")
    }
    summary = run("reconcile").stderr
    assert "387 published figures: 356 agree, 18 differ, 13 not computable" in summary
    assert "0 decided by the office" in summary and "(show: published)" in summary

    done = run(
        "resolve", "overtime_monthly_avg", "--period", "H29", "--keep", "recomputed",
        "--reason", "総時間÷人数÷12で訂正", "--by", "office",
    )  # fmt: skip
    assert "再計算値16.1に訂正としました" in done.stdout and "office" in done.stdout
    after = _overtime_rows()
    assert {r["official"] for r in after} == {"再計算16.1"}
    assert all(r["decided"].startswith("office ") and r["decided"].endswith(": 総時間÷人数÷12で訂正") for r in after)
    assert "1 decided by the office" in run("reconcile").stderr

    run(
        "resolve",
        "overtime_monthly_avg",
        "--period",
        "H29",
        "--keep",
        "published",
        "--reason",
        "定義変更",
        "--by",
        "chief",
    )
    assert {r["official"] for r in _overtime_rows()} == {"公表値16.2"}


def resolve(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    return run("resolve", "overtime_monthly_avg", "--period", "H29", *args, ok=ok)


def test_resolve_refuses_what_is_not_a_differing_figure_and_saves_nothing(kobe_loaded: Path) -> None:
    agrees = run("resolve", "mnc_rate", "--period", "R3", "--keep", "published", "--reason", "x", ok=False)
    assert agrees.returncode == 1 and "一致しています" in agrees.stderr
    unknown = run(
        "resolve", "no_such", "--period", "R3", "--keep", "published", "--reason", "x", "--lang", "en", ok=False
    )
    assert unknown.returncode == 1 and "has no published figure" in unknown.stderr
    empty = resolve("--keep", "published", "--reason", " ", ok=False)
    assert empty.returncode == 1 and "理由" in empty.stderr
    long = run(
        "resolve", "overtime_monthly_avg", "--period", "H29", "--keep", "published", "--reason", "長" * 501, ok=False
    )
    assert long.returncode == 1 and "500文字以内" in long.stderr
    assert "Traceback" not in agrees.stderr + unknown.stderr + empty.stderr + long.stderr
    assert "0 decided by the office" in run("reconcile").stderr


def test_compute_shows_the_official_figure_and_the_other_beside_it(kobe_loaded: Path) -> None:
    done = run("compute", "--format", "csv", "--indicator", "overtime_monthly_avg", "--period", "H29")
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["official"], row["published"], row["recomputed"]) == ("published", "16.2", "16.1")
    assert row["value"].startswith("16.0643")  # the exact recomputation, to compute with
    assert row["display"] == "16.2時間※（公表値16.2 / 再計算16.1）" and "方針により公表値を表示" in row["note"]
    table = run("compute", "--indicator", "overtime_monthly_avg", "--period", "H30").stdout
    assert "※" not in table  # H30 agrees: nothing to mark
