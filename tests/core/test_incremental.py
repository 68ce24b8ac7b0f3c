"""Incremental evaluation equals full evaluation after any edits (hypothesis): the same values with the
same types (to 1e-12), on the test programme, Kobe and みなと市 (org roll-ups, provisional)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from shihyo import examples
from shihyo.core.engine import REVISION_SCHEMA, EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.incremental import affected_codes, reevaluate
from shihyo.core.model import Dataset
from shihyo.io.directory import read_programme_dir
from tests.conftest import MINI

T0 = datetime(2024, 1, 1)
PROGRAMMES = {"mini": MINI, "kobe": examples.path("kobe"), "minato": examples.path("minato")}


@cache
def start(name: str) -> tuple[Dataset, pl.DataFrame, EvaluationResult]:
    dataset = read_programme_dir(PROGRAMMES[name])
    revisions = revisions_frame(dataset.observations)
    return dataset, revisions, evaluate(EvaluationRequest(dataset.programme, revisions))


# an edit: (which observation, what happens to it, a factor for its new value)
edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(["change", "withdraw", "restore", "zero"]),
        st.floats(min_value=0.1, max_value=3.0, allow_nan=False),
    ),
    min_size=1,
    max_size=6,
)


def edited(revisions: pl.DataFrame, changes: list[tuple[int, str, float]]) -> tuple[pl.DataFrame, set[str]]:
    """The revision frame with one new revision per edit (recorded after everything before)."""
    base = revisions.filter(pl.col("recorded_at").is_null())
    rows = []
    for step, (pick, action, factor) in enumerate(changes):
        code, org, period, kind, source, value, text, _, _ = base.row(pick % base.height)
        # restore: the original value again (after a withdrawal or a change of it in an earlier edit)
        new = {"withdraw": None, "zero": 0.0, "restore": value}.get(action, round(value * factor, 3))
        at = T0 + timedelta(minutes=step)
        rows.append((code, org, period, kind, source, new, text, at, new is None))
    added = pl.DataFrame(rows, schema=REVISION_SCHEMA, orient="row")
    return pl.concat([revisions, added]), {r[0] for r in rows}


def in_key_order(frame: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c in ("code", "org_unit", "period", "source") if c in frame.columns]
    return frame.with_columns(pl.col(keys).cast(pl.String)).sort(keys)


@pytest.mark.parametrize("name", list(PROGRAMMES))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=edits, second=edits)
def test_incremental_equals_full(
    name: str, first: list[tuple[int, str, float]], second: list[tuple[int, str, float]]
) -> None:
    dataset, revisions, full0 = start(name)
    # two rounds of edits: the second starts from an incremental result, as the server does
    once, changed = edited(revisions, first)
    step = reevaluate(full0, once, changed)
    twice, changed_again = edited(once, second)
    result = reevaluate(step, twice, changed_again)
    full = evaluate(EvaluationRequest(dataset.programme, twice))
    assert result.values.schema == full.values.schema
    # the engine's roll-ups over org units group without keeping order, so two full evaluations too may
    # list rows in another order and sum floats in another order: compare in key order, to 1e-12
    assert_frame_equal(in_key_order(result.values), in_key_order(full.values), check_exact=False, rel_tol=1e-12)
    assert_frame_equal(in_key_order(result.reported), in_key_order(full.reported))
    some = full.values.row(0, named=True)
    assert result.value(some["code"], some["org_unit"], some["period"]) == full.value(
        some["code"], some["org_unit"], some["period"]
    )


def test_a_change_reaches_the_indicators_that_read_it() -> None:
    dataset, _, _ = start("kobe")
    programme = dataset.programme
    series = programme.series[0].code
    reached = affected_codes(programme, {series})
    direct = {i.code for i in programme.indicators if series in i.operands}
    assert series in reached and direct <= reached
    # and only those: every indicator reached reads something reached
    for code in reached - {series}:
        indicator = programme.indicator_by_code()[code]
        assert set(indicator.operands) & reached
    assert affected_codes(programme, {"no-such-code"}) == frozenset()


def test_only_a_current_evaluation_is_a_starting_point() -> None:
    dataset, revisions, _ = start("mini")
    past = evaluate(EvaluationRequest(dataset.programme, revisions, as_of=T0))
    with pytest.raises(ValueError, match="current evaluation"):
        reevaluate(past, revisions, set())
