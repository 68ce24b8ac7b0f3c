"""After a write, `evaluate_programme` evaluates only what the new revisions touch, and the state it
returns (values, target judgements, reconciliation) is the one a full evaluation gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from shihyo import examples
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate
from shihyo.core.model import ObservationKind
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import ProgrammeState, clear_cache, evaluate_programme
from shihyo.web.catalogue.repository import Publication, publish, save_dataset

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def in_key_order(frame: pl.DataFrame) -> pl.DataFrame:
    keys = ["code", "org_unit", "period"]
    return frame.with_columns(pl.col(keys).cast(pl.String)).sort(keys)


def count_full_evaluations(monkeypatch: pytest.MonkeyPatch) -> list[EvaluationRequest]:
    """Every full evaluation `evaluate_programme` runs from now on."""
    runs: list[EvaluationRequest] = []

    def counting(request: EvaluationRequest) -> EvaluationResult:
        runs.append(request)
        return evaluate(request)

    monkeypatch.setattr("shihyo.web.catalogue.evaluation.evaluate", counting)
    return runs


def same_state(a: ProgrammeState, b: ProgrammeState) -> None:
    assert a.version == b.version
    assert_frame_equal(in_key_order(a.result.values), in_key_order(b.result.values), check_exact=False, rel_tol=1e-12)
    assert a.reconciliations == b.reconciliations
    assert a.evaluations == b.evaluations


def test_after_an_approval_only_what_it_touches_is_evaluated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    kobe = read_programme_dir(examples.path("kobe"))
    save_dataset(kobe, now=T0)
    before = evaluate_programme("kobe")
    # a published figure (kind reported) and the actual it is recomputed from: change the actual
    reported = {(o.code, o.org_unit, o.period.key) for o in kobe.observations if o.kind is ObservationKind.REPORTED}
    actual = next(
        o
        for o in kobe.observations
        if o.kind is ObservationKind.ACTUAL and (o.code, o.org_unit, o.period.key) in reported
    )
    text = str(actual.value * 2)
    publish("kobe", actual.org_unit, [Publication(actual.code, actual.period.key, text, text, "", "r")], by="r", now=T0)

    full_runs = count_full_evaluations(monkeypatch)
    after = evaluate_programme("kobe")
    assert full_runs == [], "the write was evaluated incrementally"
    assert after.version != before.version
    assert after.result.value(actual.code, actual.org_unit, actual.period) == actual.value * 2
    changed = [r for r in after.reconciliations if r.code == actual.code and r.period == actual.period]
    assert changed and all(r.computed == actual.value * 2 for r in changed)

    clear_cache()  # the same version evaluated from scratch
    same_state(after, evaluate_programme("kobe"))
    assert len(full_runs) == 1


def test_new_definitions_are_evaluated_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    kobe = read_programme_dir(examples.path("kobe"))
    save_dataset(kobe, now=T0)
    evaluate_programme("kobe")
    renamed = replace(kobe.programme, name=kobe.programme.name + "（改）")
    save_dataset(replace(kobe, programme=renamed), now=T0 + timedelta(days=1))
    full_runs = count_full_evaluations(monkeypatch)
    assert evaluate_programme("kobe").programme.name.endswith("（改）")
    assert len(full_runs) == 1
