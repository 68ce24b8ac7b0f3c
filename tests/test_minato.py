"""みなと市, the bundled fictional designated city: its files, its figures against the raw CSV rows by hand,
its published figures, its report, and a half-year collection round for the period it leaves open.

Every expected number here is worked out from the rows of src/shihyo/examples/minato/observations.csv with plain
Decimal arithmetic (sums over the reporting units, the year's halves); the engine must agree.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from shihyo import examples
from shihyo.core import assignments
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import Dataset, ObservationKind, OrgUnitKind
from shihyo.core.numbers import parse_japanese_number
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import Reconciliation, Verdict, reconcile
from shihyo.core.report import build_report
from shihyo.core.targets import evaluate_targets
from shihyo.io.directory import FILES, OPTIONAL_FILES, programme_files, read_programme_dir, write_programme_dir

MINATO = examples.path("minato")
SHIHYO = Path(sys.executable).parent / "shihyo"
YEARS = range(2019, 2024)
HALVES = [f"FY{y}H{h}" for y in YEARS for h in (1, 2)]
OPEN_HALF = "FY2024H1"  # left without figures: the demo round collects it


@pytest.fixture(scope="module")
def minato() -> Dataset:
    return read_programme_dir(MINATO)


@pytest.fixture(scope="module")
def result(minato: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(minato.programme, revisions_frame(minato.observations)))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (MINATO / "observations.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def units_of(minato: Dataset, kind: OrgUnitKind, parent: str | None = None) -> set[str]:
    return {u.code for u in minato.programme.org_units if u.kind is kind and (parent is None or u.parent == parent)}


def raw(rows: list[dict[str, str]], code: str, periods: Iterable[str], units: set[str] | None = None) -> Decimal:
    """The sum of the actual rows of a series over the given periods (and units)."""
    wanted = set(periods)
    return sum(
        (
            parse_japanese_number(r["value"]).value
            for r in rows
            if r["code"] == code
            and r["kind"] == "actual"
            and r["period"] in wanted
            and (units is None or r["org_unit"] in units)
        ),
        Decimal(0),
    )


def year(y: int) -> list[str]:
    return [f"FY{y}H1", f"FY{y}H2"]


def close(value: Decimal | None, expected: Decimal) -> bool:
    return value is not None and abs(value - expected) <= abs(expected) * Decimal("1e-10")


# --- the files -------------------------------------------------------------------------------------------


def test_validate_accepts_the_directory(minato: Dataset) -> None:
    done = subprocess.run(
        [str(SHIHYO), "validate", str(MINATO)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    p = minato.programme
    assert f"{len(p.series)} series, {len(p.indicators)} indicators, {len(p.targets)} targets" in done.stdout


def test_files_are_canonical_and_export_round_trips_byte_for_byte(minato: Dataset, tmp_path: Path) -> None:
    files = programme_files(minato)
    assert set(files) == {*FILES, *OPTIONAL_FILES}  # みなと市 has a summary table, commentary and progress
    for name in files:
        assert files[name] == (MINATO / name).read_text(encoding="utf-8"), f"{name} is not in canonical form"
    write_programme_dir(minato, tmp_path)
    for name in files:
        assert (tmp_path / name).read_bytes() == (MINATO / name).read_bytes(), name


def test_the_script_makes_the_committed_csv(tmp_path: Path) -> None:
    out = tmp_path / "observations.csv"
    subprocess.run([sys.executable, str(MINATO / "make_data.py"), "--out", str(out)], check=True, timeout=60)
    assert out.read_bytes() == (MINATO / "observations.csv").read_bytes()


def test_raw_inputs_are_at_the_reporting_units_for_every_half(minato: Dataset, rows: list[dict[str, str]]) -> None:
    programme = minato.programme
    series = programme.series_by_code()
    actual = [r for r in rows if r["kind"] == "actual"]
    assert {r["code"] for r in actual} == set(series)
    for code, s in series.items():
        reporters = set(assignments.reporters(programme, s))
        assert reporters, code
        got = {(r["org_unit"], r["period"]) for r in actual if r["code"] == code}
        assert got == {(u, p) for u in reporters for p in HALVES}, f"{code}: raw inputs only at its reporters"
    assert len(units_of(minato, OrgUnitKind.WARD)) == 7
    assert {r["org_unit"] for r in actual if r["code"] == "web_pageviews"} == {"koho"}
    assert not [r for r in rows if r["period"].startswith("FY2024")], "the last half is left for the round"


def test_breakdowns_add_up_and_of_which_parts_stay_within_their_whole(
    minato: Dataset, rows: list[dict[str, str]]
) -> None:
    for ward in units_of(minato, OrgUnitKind.WARD):
        for half in HALVES:
            total = raw(rows, "cert_total", [half], {ward})
            assert raw(rows, "cert_window", [half], {ward}) + raw(rows, "cert_convenience", [half], {ward}) == total
            assert raw(rows, "applications_online", [half], {ward}) <= raw(rows, "applications_total", [half], {ward})


# --- the engine against hand arithmetic on the raw rows --------------------------------------------------


def test_city_shares_and_ratios_are_sums_over_the_wards(result: EvaluationResult, rows: list[dict[str, str]]) -> None:
    online, total = raw(rows, "applications_online", year(2022)), raw(rows, "applications_total", year(2022))
    assert close(result.value("online_share", "minato", fiscal_year(2022)), online / total * 100)
    people = raw(rows, "population", ["FY2023H2"])  # time_aggregation last: the year's value is March's
    assert close(
        result.value("online_per_1000", "minato", fiscal_year(2023)),
        raw(rows, "applications_online", year(2023)) / people * 1000,
    )
    half = raw(rows, "cert_convenience", ["FY2021H1"]) / raw(rows, "cert_total", ["FY2021H1"]) * 100
    assert close(result.value("convenience_share", "minato", "FY2021H1"), half)


def test_a_ward_of_its_own(result: EvaluationResult, rows: list[dict[str, str]]) -> None:
    kita = {"kita"}
    expected = raw(rows, "applications_online", year(2020), kita) / raw(rows, "population", ["FY2020H2"], kita) * 1000
    assert close(result.value("online_per_1000", "kita", fiscal_year(2020)), expected)


def test_overtime_per_employee_per_month(minato: Dataset, result: EvaluationResult, rows: list[dict[str, str]]) -> None:
    # a year: the halves' hours over March's headcount over 12 months; a half: over its own headcount and 6
    hours, staff = raw(rows, "overtime_hours", year(2021)), raw(rows, "staff", ["FY2021H2"])
    assert close(result.value("overtime_per_capita", "minato", fiscal_year(2021)), hours / staff / 12)
    hours, staff = raw(rows, "overtime_hours", ["FY2022H1"]), raw(rows, "staff", ["FY2022H1"])
    assert close(result.value("overtime_per_capita", "minato", "FY2022H1"), hours / staff / 6)
    # a bureau gets the roll-up of its own departments only
    soumu = units_of(minato, OrgUnitKind.DEPARTMENT, parent="soumu")
    assert len(soumu) == 3
    assert result.value("staff", "soumu", fiscal_year(2023)) == raw(rows, "staff", ["FY2023H2"], soumu)


def test_changes_against_the_previous_year_and_the_base(result: EvaluationResult, rows: list[dict[str, str]]) -> None:
    paper = [raw(rows, "paper_sheets", year(y)) for y in (2019, 2023)]
    assert close(result.value("paper_reduction", "minato", fiscal_year(2023)), (paper[1] - paper[0]) / paper[0] * 100)
    assert close(result.value("paper_index", "minato", fiscal_year(2023)), paper[1] / paper[0] * 100)
    views = [raw(rows, "web_pageviews", year(y)) for y in (2021, 2022)]
    assert close(result.value("pageviews_yoy", "minato", fiscal_year(2022)), (views[1] - views[0]) / views[0] * 100)
    online_total = raw(rows, "applications_online", HALVES)
    assert result.value("online_cumulative", "minato", fiscal_year(2023)) == online_total
    assert close(
        result.value("online_hours_saved", "minato", fiscal_year(2023)),
        raw(rows, "applications_online", year(2023)) * 40 / 60,
    )


def test_point_difference_and_averaged_rates(
    minato: Dataset, result: EvaluationResult, rows: list[dict[str, str]]
) -> None:
    def share(y: int) -> Decimal:
        return raw(rows, "applications_online", year(y)) / raw(rows, "applications_total", year(y)) * 100

    assert close(result.value("online_share_pt", "minato", fiscal_year(2023)), share(2023) - share(2022))
    wards = units_of(minato, OrgUnitKind.WARD)
    # average over halves, then over wards: every ward has both halves, so it is the mean of the 14 rows
    for code, y in (("cashless_share", 2023), ("wait_change", 2021)):
        expected = raw(rows, code, year(y)) / (2 * len(wards))
        assert close(result.value(code, "minato", fiscal_year(y)), expected), code
    assert raw(rows, "wait_change", year(2021)) < 0, "a change rate may be negative"


def test_every_city_figure_of_the_collected_years_is_final(result: EvaluationResult) -> None:
    city = result.values.filter(pl.col("org_unit") == "minato")
    assert city.height > 0 and not city.get_column("provisional").any()


# --- published figures, targets and the report -----------------------------------------------------------


@pytest.fixture(scope="module")
def found(result: EvaluationResult) -> tuple[Reconciliation, ...]:
    return reconcile(result)


def test_reconcile_finds_the_one_figure_the_report_cut_instead_of_rounding(
    minato: Dataset, found: tuple[Reconciliation, ...], rows: list[dict[str, str]]
) -> None:
    published = [o for o in minato.observations if o.kind is ObservationKind.REPORTED]
    assert len(found) == len(published) >= 5
    differs = [r for r in found if r.verdict is not Verdict.AGREES]
    assert [(r.code, r.verdict) for r in differs] == [("overtime_per_capita", Verdict.DIFFERS)]
    (row,) = differs
    y = row.period.fiscal_year
    exact = raw(rows, "overtime_hours", year(y)) / raw(rows, "staff", [f"FY{y}H2"]) / 12
    step = Decimal("0.1")
    assert row.computed_rounded == exact.quantize(step, rounding=ROUND_HALF_UP)
    assert row.reported == exact.quantize(step, rounding=ROUND_DOWN), "the published figure was cut"
    assert row.computed_rounded - row.reported == step, "one rounding step apart"


def test_targets_are_judged_for_the_city(result: EvaluationResult) -> None:
    judged = evaluate_targets(result)
    assert {e.indicator for e in judged} == {"online_share", "overtime_per_capita", "paper_sheets_value"}
    assert {e.org_unit for e in judged} == {"minato"}
    # the change-vs-base target is applied to the FY2019 value: ▲35 % in FY2023
    (paper,) = [e for e in judged if e.indicator == "paper_sheets_value" and e.period == fiscal_year(2023)]
    base = result.value("paper_sheets_value", "minato", fiscal_year(2019))
    assert base is not None and paper.compared_with == base * Decimal("0.65")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_builds_in_every_format(
    result: EvaluationResult, found: tuple[Reconciliation, ...], lang: str, tmp_path: Path
) -> None:
    from shihyo.reports.build import write_reports
    from shihyo.reports.pptx.dump import deck_dump
    from shihyo.reports.xlsx.dump import workbook_dump

    report = build_report(
        result,
        evaluate_targets(result),
        found,
        fiscal_year(2023),
        lang=lang,
        as_of_label="2024-06-01",
        data_version="t",
    )
    paths = write_reports(report, ["pdf", "pptx", "xlsx"], tmp_path, "minato")
    assert [p.suffix for p in paths] == [".pdf", ".pptx", ".xlsx"]
    assert paths[0].read_bytes().startswith(b"%PDF")
    pillar = result.programme.pillars[1].name
    indicator = result.programme.indicator_by_code()["overtime_per_capita"]
    name = indicator.name_en if lang == "en" else indicator.name
    for text in (deck_dump(paths[1]), workbook_dump(paths[2])):
        assert name in text
    assert pillar in deck_dump(paths[1]) or lang == "en"


# --- a collection round for the half-year left open ------------------------------------------------------

PASSWORD = "minato-test-password-1"
WARD_SERIES = [
    "population",
    "applications_total",
    "applications_online",
    "cert_total",
    "cert_window",
    "cert_convenience",
    "cashless_share",
    "wait_change",
]
DEPARTMENT_SERIES = ["overtime_hours", "staff", "paper_sheets"]


def _last(rows: list[dict[str, str]], code: str, unit: str) -> Decimal:
    return raw(rows, code, ["FY2023H2"], {unit})


def _typed(value: Decimal) -> str:
    return f"▲{-value}" if value < 0 else f"{value:,}"  # as a clerk types it: ▲ for negatives, commas


@pytest.fixture
def round_(minato: Dataset) -> Iterator[Any]:
    """みなと市 stored, a ward clerk, a department clerk and a reviewer, and the FY2024H1 round opened
    through the service for every series and unit (as `make demo` opens it)."""
    from datetime import UTC, date, datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from shihyo.web.catalogue.evaluation import clear_cache
    from shihyo.web.catalogue.repository import save_dataset
    from shihyo.web.collection import services
    from shihyo.web.collection.models import Membership

    clear_cache()
    save_dataset(minato, now=datetime(2024, 4, 1, tzinfo=UTC), recorded_by="test")
    hashed = make_password(PASSWORD)
    for name, role, units in (
        ("kita_clerk", "submitter", ["kita"]),
        ("jinji_clerk", "submitter", ["jinji"]),
        ("reviewer", "reviewer", []),
    ):
        Membership.objects.create(user=User.objects.create(username=name, password=hashed), role=role, org_units=units)
    yield services.open_round(
        "minato", code="r6-h1", name="R6年度上期", periods=["R6上期"], due=date(2024, 10, 31), by="office"
    )
    clear_cache()


def _signed_in(name: str) -> Any:
    from django.test import Client

    client = Client()
    assert client.post("/login/", {"username": name, "password": PASSWORD}).status_code == 302
    return client


def _submit(round_: Any, unit: str, clerk: str, entry: dict[str, Decimal], comment: str = "") -> Any:
    """The clerk fills in the unit's form on the web (every field the page asks for) and sends it."""
    from shihyo.web.collection.models import Submission

    client = _signed_in(clerk)
    base = f"/collection/minato/{round_.code}/{unit}/"
    page = client.get(base).content.decode()
    fields = {f"v-{code}-{OPEN_HALF}": _typed(value) for code, value in entry.items()}
    asked = set(re.findall(r'name="(v-[a-z_]+-FY\d{4}H\d)"', page))
    assert asked == set(fields), "the form asks for the series the unit reports, and only those"
    comments = {f"c-{code}-{OPEN_HALF}": comment for code in entry} if comment else {}
    version = Submission.objects.get(round=round_, org_unit=unit).version
    return client.post(base, {"version": str(version), **fields, **comments})


def _approve(round_: Any, unit: str) -> None:
    from shihyo.web.collection.models import Submission

    version = Submission.objects.get(round=round_, org_unit=unit).version
    base = f"/collection/minato/{round_.code}/{unit}/"
    approved = _signed_in("reviewer").post(f"{base}review/", {"action": "approve", "comment": "", "version": version})
    assert approved.status_code == 302, approved.content.decode()[:2000]
    assert Submission.objects.get(round=round_, org_unit=unit).state == "approved"


def _kita_entry(rows: list[dict[str, str]], wait_change: Decimal) -> dict[str, Decimal]:
    """Kita's figures for the half, worked out from its last half (a little more of everything)."""
    kita = {code: _last(rows, code, "kita") for code in WARD_SERIES}
    window, convenience = kita["cert_window"] - 300, kita["cert_convenience"] + 500
    return {
        "population": kita["population"] - 120,
        "applications_total": kita["applications_total"] + 400,
        "applications_online": kita["applications_online"] + 900,
        "cert_total": window + convenience,
        "cert_window": window,
        "cert_convenience": convenience,
        "cashless_share": kita["cashless_share"] + Decimal("1.5"),
        "wait_change": wait_change,
    }


def _problems(response: Any) -> str:
    return str(response.content.decode().split('id="problems"')[-1][:1500])


@pytest.mark.db
@pytest.mark.django_db
def test_a_half_year_round_from_the_ward_and_department_clerks_to_the_city(
    round_: Any, rows: list[dict[str, str]]
) -> None:
    from shihyo.web.catalogue.evaluation import evaluate_programme

    kita_entry = _kita_entry(rows, wait_change=Decimal("0.5"))
    jinji_entry = {code: _last(rows, code, "jinji") + 3 for code in DEPARTMENT_SERIES}
    sent = _submit(round_, "kita", "kita_clerk", kita_entry, comment="新しい発券機の調整で待ち時間が一時増加")
    assert sent.status_code == 302, _problems(sent)
    _approve(round_, "kita")
    sent = _submit(round_, "jinji", "jinji_clerk", jinji_entry)
    assert sent.status_code == 302, _problems(sent)
    _approve(round_, "jinji")

    state = evaluate_programme("minato")
    value = state.result.value
    assert value("applications_online", "kita", OPEN_HALF) == kita_entry["applications_online"]
    assert value("staff", "jinji", OPEN_HALF) == jinji_entry["staff"]
    # one ward of seven and one department of eight are in: the city's figures are the roll-up so far
    assert value("applications_online", "minato", OPEN_HALF) == kita_entry["applications_online"]
    assert value("staff", "soumu", OPEN_HALF) == jinji_entry["staff"]
    online_share = kita_entry["applications_online"] / kita_entry["applications_total"] * 100
    assert close(value("online_share", "minato", OPEN_HALF), online_share)
    hours = jinji_entry["overtime_hours"] / jinji_entry["staff"] / 6
    assert close(value("overtime_per_capita", "minato", OPEN_HALF), hours)
    city = state.result.values.filter((pl.col("org_unit") == "minato") & (pl.col("period") == OPEN_HALF))
    assert city.height > 0 and city.get_column("provisional").all(), "a roll-up missing units is provisional"


@pytest.mark.db
@pytest.mark.django_db
def test_a_negative_change_rate_is_accepted_where_the_range_allows_it(round_: Any, rows: list[dict[str, str]]) -> None:
    from shihyo.web.catalogue.evaluation import evaluate_programme

    entry = _kita_entry(rows, wait_change=_last(rows, "wait_change", "kita") + Decimal("1.0"))
    assert entry["wait_change"] < 0
    sent = _submit(round_, "kita", "kita_clerk", entry, comment="発券機の更新で短縮")
    assert sent.status_code == 302, _problems(sent)
    _approve(round_, "kita")
    assert evaluate_programme("minato").result.value("wait_change", "kita", OPEN_HALF) == entry["wait_change"]


@pytest.mark.db
@pytest.mark.django_db
def test_a_change_rate_below_its_range_is_refused_with_its_place(round_: Any, rows: list[dict[str, str]]) -> None:
    sent = _submit(round_, "kita", "kita_clerk", _kita_entry(rows, wait_change=Decimal("-120")), comment="x")
    assert sent.status_code == 400
    assert f"v-wait_change-{OPEN_HALF}" in _problems(sent)


def test_with_two_programmes_loaded_the_cli_asks_which_one(shihyo_home: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SHIHYO), *args], capture_output=True, text=True, timeout=180, check=False)

    for directory in (examples.path("kobe"), MINATO):
        assert run("load", str(directory)).returncode == 0
    for command in (["compute"], ["reconcile"], ["targets"], ["export", "--out", str(shihyo_home / "out")]):
        done = run(*command, "--lang", "en")
        assert done.returncode == 1, command
        message = " ".join(done.stderr.split())  # rich wraps long lines
        assert "several programmes are loaded (kobe, minato): choose one with --programme" in message, command
    done = run("round", "status", "r6-h1")
    assert done.returncode == 1
    assert "複数のプログラムがあります（kobe,minato）。--programmeで指定してください" in "".join(done.stderr.split())
    done = run("reconcile", "--programme", "minato", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "overtime_per_capita" in done.stdout


def test_the_report_carries_the_citys_commentary_and_the_progress_of_its_measures(minato: Dataset) -> None:
    from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
    from shihyo.core.periods import fiscal_year
    from shihyo.core.reconcile import reconcile
    from shihyo.core.report import build_report
    from shihyo.core.targets import evaluate_targets

    result = evaluate(EvaluationRequest(minato.programme, revisions_frame(minato.observations)))
    report = build_report(result, evaluate_targets(result), reconcile(result), fiscal_year(2023), notes=minato.notes)
    page = next(p for p in report.indicator_pages if p.card.indicator.code == "online_share")
    assert page.commentary is not None and "高齢の方への利用支援" in page.commentary.issues
    assert report.commentary is not None
    assert report.progress_text("P1.A1.M1.T2") == "遅延"
    later = build_report(result, evaluate_targets(result), reconcile(result), fiscal_year(2024), notes=minato.notes)
    assert later.progress_text("P1.A1.M1.T1").startswith("完了（")  # carried from R5 with its year
