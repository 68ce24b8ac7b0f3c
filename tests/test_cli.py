"""The `shihyo` command as a user runs it: a real process, a fresh SQLite home, its output and exit code."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shihyo import examples
from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.io.directory import FILES
from tests.conftest import MINI

SHIHYO = Path(sys.executable).parent / "shihyo"


def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(SHIHYO), *args], capture_output=True, text=True, timeout=120, check=False)
    if ok:
        assert done.returncode == 0, f"shihyo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture
def loaded(shihyo_home: Path) -> Path:
    run("load", str(MINI), "--by", "tester", "--reason", "test")
    return shihyo_home


def test_validate_prints_counts(mini: Dataset) -> None:
    done = run("validate", str(MINI))
    p = mini.programme
    assert f"{len(p.series)} series, {len(p.indicators)} indicators" in done.stdout
    assert f"{len(mini.observations)} observations" in done.stdout


def test_validate_rejects_with_place_and_exit_code_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in FILES:
        (broken / name).write_bytes((MINI / name).read_bytes())
    (broken / "series.yaml").write_text("- code: Bad Code\n  name: x\n  unit: 件\n", encoding="utf-8")
    done = run("validate", str(broken), "--lang", "en", ok=False)
    assert done.returncode == 1
    assert "series.yaml:1" in done.stderr and "code 'Bad Code' is not allowed" in done.stderr
    assert "Traceback" not in done.stderr


def test_compute_csv_matches_the_engine(loaded: Path, mini: Dataset) -> None:
    done = run("compute", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    result = evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations)))
    indicators = result.values.filter(result.values["is_indicator"])
    assert len(rows) == indicators.height
    share = next(r for r in rows if r["indicator"] == "online_share" and r["period"] == "FY2019")
    assert share["period_label"] == "H31/R1" and share["kind"] == "actual" and share["unit"] == "%"
    expected = result.value("online_share", "city", "FY2019")
    assert expected is not None and abs(float(share["value"]) - float(expected)) < 1e-9
    assert share["display"] == f"{float(expected):.1f}%"
    assert set(rows[0]) >= {"indicator", "name", "org_unit", "period", "fiscal_year", "kind", "value", "unit"}


def test_compute_filters_and_json(loaded: Path) -> None:
    done = run("compute", "--format", "json", "--period", "R3", "--org-unit", "ward_a", "--include-series")
    rows = json.loads(done.stdout)
    assert rows and {r["org_unit"] for r in rows} == {"ward_a"}
    assert {r["period"] for r in rows} <= {"FY2021", "FY2021H1", "FY2021H2"}


def test_compute_output_file_is_excel_friendly(loaded: Path, tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    run("compute", "--format", "csv", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


def test_reconcile_lists_the_disagreement_with_its_working(loaded: Path) -> None:
    done = run("reconcile", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    overtime = next(r for r in rows if r["code"] == "overtime_avg")
    assert overtime["verdict"] == "不一致" and overtime["reported"] == "16.2" and overtime["recomputed"] == "16.1"
    assert overtime["working"] == "1,971,477 ÷ 10,227 ÷ 12 = 16.0643"
    assert "agree" in done.stderr and "differ" in done.stderr


def test_targets(loaded: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("targets", "--format", "csv", "--lang", "en").stdout)))
    assert {r["status"] for r in rows} <= {"achieved", "on_track", "behind", "not_due"}
    assert any(r["indicator"] == "online_share" and r["margin"].endswith("points") for r in rows)
    # a year without a set target is judged at the next set point; the straight path is printed as a guide
    counter = next(r for r in rows if r["indicator"] == "counter" and r["period"] == "FY2021")
    assert counter["status"] == "not_due" and counter["target_period"] == "FY2022" and counter["target_kind"] == "set"
    assert counter["guide"].startswith("guide (linear interpolation) ")


def test_projections(loaded: Path) -> None:
    done = run("projections", "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows, done.stderr
    for r in rows:
        assert r["method"].startswith("linear trend")
        # a projection states its inputs, or says why there is none
        assert r["projected"].startswith("projection ") or "needs" in r["projected"]
    bad = run("projections", "--period", "R99X", "--lang", "en", ok=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_loading_again_adds_nothing_and_export_round_trips(loaded: Path, tmp_path: Path) -> None:
    again = run("load", str(MINI))
    assert "0 added, 0 changed, 0 withdrawn" in again.stdout and "definitions unchanged" in again.stdout
    run("export", "--out", str(tmp_path / "out"))
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (MINI / name).read_bytes(), name


def test_history_of_a_figure(loaded: Path) -> None:
    done = run("history", "online", "city", "R2", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    assert row["recorded_by"] == "tester" and row["reason"] == "test" and row["kind"] == "actual"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compute",), "no programme is loaded yet"),
        (("compute", "--as-of", "yesterday"), "[--as-of]: cannot read 'yesterday' as a date"),
        (("compute", "--programme", "nope"), "no programme 'nope' is loaded"),
    ],
)
def test_user_errors_exit_1_without_traceback(shihyo_home: Path, args: tuple[str, ...], message: str) -> None:
    if "--as-of" in args or "--programme" in args:
        run("load", str(MINI))
    done = run(*args, "--lang", "en", ok=False)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_as_of_before_the_first_load(loaded: Path) -> None:
    done = run("compute", "--as-of", "2001-01-01", "--lang", "en", ok=False)
    assert done.returncode == 1 and "did not exist yet" in done.stderr


def test_readme_cli_reference_is_current() -> None:
    from shihyo.cli_reference import replace_in

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert replace_in(readme) == readme, "run `python -m shihyo.cli_reference` to update README.md"


def test_a_load_that_drops_a_unit_of_an_unfinished_round_is_refused_naming_the_round(
    shihyo_home: Path, tmp_path: Path
) -> None:
    minato = examples.path("minato")
    run("load", str(minato))
    run("round", "open", "r6-h1", "--programme", "minato", "--name", "R6年度上期", "--period", "R6上期")
    changed = tmp_path / "minato"
    shutil.copytree(minato, changed)
    units = (changed / "org_units.yaml").read_text(encoding="utf-8")
    start = units.index("- code: nishi")
    end = units.index("- code:", start + 1)
    (changed / "org_units.yaml").write_text(units[:start] + units[end:], encoding="utf-8")
    rows = (changed / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (changed / "observations.csv").write_text("".join(r for r in rows if ",nishi," not in r), encoding="utf-8")
    before = run("compute", "--programme", "minato", "--format", "csv").stdout
    done = run("load", str(changed), "--lang", "en", ok=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'nishi'" in done.stderr and "R6年度上期" in done.stderr and "(r6-h1)" in done.stderr
    assert run("compute", "--programme", "minato", "--format", "csv").stdout == before  # nothing was saved
