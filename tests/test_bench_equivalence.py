"""The engine against an independent DuckDB SQL evaluation of the same programme (bench/), at a small scale.

bench/duckdb_equivalent.py is written from the definitions (docs/data-format.md and each kind's meaning),
not by calling the engine: every row, period column, kind and value must agree (relative 1e-9).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import polars as pl
import pytest
from bench.compare import compare
from bench.duckdb_equivalent import evaluate_duckdb
from bench.synthetic import ROOT, make_programme, municipality_codes

from shihyo.core.engine import REVISION_SCHEMA, EvaluationRequest, evaluate, revisions_frame
from shihyo.core.indicators import IndicatorKind
from shihyo.core.model import Dataset, OrgAggregation, OrgUnitKind, Programme
from shihyo.core.periods import Period, fiscal_year, half

SMALL = {"municipalities": 30, "series": 12, "years": 4, "indicators": 26}
FIRST, LAST = 2015, 2018


@pytest.fixture(scope="module")
def small() -> tuple[Programme, pl.DataFrame]:
    return make_programme(**SMALL)


def assert_same(
    programme: Programme,
    revisions: pl.DataFrame,
    as_of: datetime | None = None,
    periods: tuple[Period, ...] | None = None,
    org_units: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """Both evaluations agree; returns the engine's values."""
    engine = evaluate(EvaluationRequest(programme, revisions, as_of, periods, org_units)).values
    duck = evaluate_duckdb(programme, revisions, as_of, periods, org_units)
    result = compare(engine, duck)
    assert result.ok, result.describe()
    assert result.compared == engine.height
    return engine


def test_the_small_programme_has_every_kind_chains_and_every_kind_of_row(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    assert {i.kind for i in programme.indicators} == set(IndicatorKind)
    codes = {i.code for i in programme.indicators}
    assert any(set(i.operands) & codes for i in programme.indicators)  # indicators built on indicators
    assert revisions.schema == pl.Schema(REVISION_SCHEMA)
    assert set(revisions.get_column("kind")) == {"actual", "estimate", "plan", "reported"}
    assert revisions.get_column("withdrawn").any()
    assert len({u.parent for u in programme.org_units if u.kind is OrgUnitKind.DEPARTMENT}) == 10
    assert len(municipality_codes(programme)) == 30


def test_engine_and_duckdb_agree(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    values = assert_same(programme, revisions)
    assert values.height > 10_000
    # nothing is trivially empty: every indicator has values, also nationally, and all three kinds occur
    assert set(values.get_column("code")) >= {i.code for i in programme.indicators}
    # nationally too, except what reads a series that does not roll up (a restated base)
    kept = {s.code for s in programme.series if s.org_aggregation is OrgAggregation.NONE}
    national = set(values.filter(pl.col("org_unit") == ROOT).get_column("code"))
    assert national >= {i.code for i in programme.indicators if not set(i.operands) & kept}
    assert not national & {i.code for i in programme.indicators if set(i.operands) & kept}
    assert set(values.get_column("kind")) == {"actual", "estimate", "plan"}


@pytest.mark.parametrize("zone", [None, timezone(timedelta(hours=9))], ids=["naive", "JST"])
def test_engine_and_duckdb_agree_as_of_an_earlier_moment(
    small: tuple[Programme, pl.DataFrame], zone: timezone | None
) -> None:
    programme, revisions = small
    # estimates of FY2017 (recorded in February 2018) are in, its actuals (July 2018) not yet
    earlier = assert_same(programme, revisions, as_of=datetime(LAST, 5, 1, tzinfo=zone))
    assert earlier.filter(pl.col("period") == f"FY{LAST - 1}").get_column("kind").unique().to_list() == ["estimate"]


def test_engine_and_duckdb_agree_when_first_figures_have_no_time(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    # the initial actuals (recorded in July/August) lose their time: their later revisions must still win
    initial = (pl.col("kind") == "actual") & pl.col("recorded_at").dt.month().is_in([7, 8])
    untimed = revisions.with_columns(pl.when(initial).then(None).otherwise(pl.col("recorded_at")).alias("recorded_at"))
    assert untimed.get_column("recorded_at").null_count() > 1000
    assert_same(programme, untimed)
    assert_same(programme, untimed, as_of=datetime(LAST, 5, 1))


def test_engine_and_duckdb_agree_on_narrowed_periods_and_org_units(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    prefecture = next(u.code for u in programme.org_units if u.kind is OrgUnitKind.BUREAU)
    units = (ROOT, prefecture, municipality_codes(programme)[0])
    values = assert_same(programme, revisions, periods=(fiscal_year(FIRST + 1), half(LAST, 2)), org_units=units)
    assert set(values.get_column("period")) == {f"FY{FIRST + 1}", f"FY{FIRST + 1}H1", f"FY{FIRST + 1}H2", f"FY{LAST}H2"}
    assert set(values.get_column("org_unit")) == set(units)


def _monthly(revisions: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """The halves of `codes` given as six months each instead (value + fiscal month), less one month."""
    halves = revisions.filter(pl.col("code").is_in(codes) & pl.col("period").str.contains("H"))
    fy = pl.col("period").str.slice(2, 4).cast(pl.Int32)
    fiscal_month = (pl.col("period").str.slice(7, 1).cast(pl.Int32) - 1) * 6 + pl.col("offset") + 1
    calendar_month = (fiscal_month + 2) % 12 + 1
    calendar_year = fy + (calendar_month < 4).cast(pl.Int32)
    months = (
        halves.join(pl.DataFrame({"offset": list(range(6))}, schema={"offset": pl.Int32}), how="cross")
        .with_columns(
            pl.format("{}-{}", calendar_year, calendar_month.cast(pl.String).str.pad_start(2, "0")).alias("period"),
            (pl.col("value") + fiscal_month.cast(pl.Float64)).alias("value"),
        )
        .drop("offset")
    )
    gap = (pl.col("code") == codes[0]) & (pl.col("org_unit") == "m00001") & (pl.col("period") == f"{FIRST + 1}-05")
    months = months.filter(~gap)
    rest = revisions.filter(~(pl.col("code").is_in(codes) & pl.col("period").str.contains("H")))
    return pl.concat([rest, months.select(revisions.columns)], how="vertical")


def test_engine_and_duckdb_agree_on_months(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    by_role = {s.code.split("_")[0]: s.code for s in programme.series}
    monthly = _monthly(revisions, [by_role["online"], by_role["staff"], by_role["satisfaction"]])
    values = assert_same(programme, monthly)
    online = values.filter((pl.col("code") == by_role["online"]) & (pl.col("org_unit") == "m00001"))
    assert online.filter(pl.col("period") == f"{FIRST + 1}-05").height == 0
    assert online.filter(pl.col("period") == f"FY{FIRST + 1}H1").height == 0  # a month is missing
    assert online.filter(pl.col("period") == f"FY{FIRST + 1}H2").height == 1


def test_engine_and_duckdb_agree_on_the_mini_fixture(mini: Dataset) -> None:
    assert_same(mini.programme, revisions_frame(mini.observations))


def test_the_comparison_sees_any_difference(small: tuple[Programme, pl.DataFrame]) -> None:
    programme, revisions = small
    values = evaluate(EvaluationRequest(programme, revisions)).values
    assert compare(values, values.sample(fraction=1.0, shuffle=True, seed=1)).ok
    nudged = values.with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(pl.col("value") * (1 + 1e-8)).otherwise("value").alias("value")
    )
    assert compare(values, nudged).mismatches.height == 1
    other_kind = pl.when(pl.col("kind") == "plan").then(pl.lit("actual")).otherwise(pl.lit("plan"))
    rekinded = values.with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(other_kind).otherwise("kind").alias("kind")
    )
    assert compare(values, rekinded).mismatches.height == 1
    assert compare(values, values.slice(1)).only_left.height == 1
    assert compare(values, pl.concat([values, values.head(1)])).duplicate_keys == 1


def test_the_generator_is_deterministic() -> None:
    first = make_programme(municipalities=8, series=10, years=3, indicators=13, seed=3)
    again = make_programme(municipalities=8, series=10, years=3, indicators=13, seed=3)
    other = make_programme(municipalities=8, series=10, years=3, indicators=13, seed=4)
    assert first[0] == again[0]
    assert first[1].equals(again[1])
    assert not first[1].equals(other[1])
