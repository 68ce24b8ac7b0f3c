"""Incremental evaluation: after some observations change, evaluate again only what depends on them.

`reevaluate(previous, revisions, changed)` takes a current evaluation (`as_of` None), the programme's
revision frame now, and the codes whose revisions changed since `previous`. It recomputes those series
(from their own revisions: a series' values depend on nothing else), every indicator that reads them,
directly or through other indicators (the dependency graph of the definitions), and the published figures;
every other code keeps its rows from `previous`. The values are those `engine.evaluate` gives for the
same revisions, with the same types, codes in the same order (tests/core/test_incremental.py compares
the two after random edits).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from shihyo.core import engine
from shihyo.core.engine import KIND_RANK, WORK_COLUMNS, EvaluationResult
from shihyo.core.indicators import Indicator
from shihyo.core.model import Programme
from shihyo.core.periods import Grain

__all__ = ["affected_codes", "reevaluate"]


def affected_codes(programme: Programme, changed: Iterable[str]) -> frozenset[str]:
    """The series among `changed` and every indicator that reads one of them, directly or not."""
    series = {s.code for s in programme.series}
    affected = {code for code in changed if code in series}
    readers: dict[str, list[str]] = {}
    for indicator in programme.indicators:
        for operand in indicator.operands:
            readers.setdefault(operand, []).append(indicator.code)
    todo = list(affected)
    while todo:
        for reader in readers.get(todo.pop(), ()):
            if reader not in affected:
                affected.add(reader)
                todo.append(reader)
    return frozenset(affected)


# the months of a period follow from its grain (Period.months)
_MONTHS = {Grain.YEAR.value: 12, Grain.HALF.value: 6, Grain.MONTH.value: 1, Grain.DATE.value: 0}


def _rows_of(result: EvaluationResult, code: str) -> pl.DataFrame:
    return result.rows_of(code)


def _work_frame(previous: EvaluationResult, code: str) -> pl.DataFrame:
    """A code's rows of a previous result turned back into the engine's work columns."""
    return (
        _rows_of(previous, code)
        .with_columns(
            pl.col("grain").cast(pl.String).replace_strict(_MONTHS, return_dtype=pl.Int32).alias("months"),
            pl.col("kind").cast(pl.String).replace_strict(KIND_RANK, return_dtype=pl.Int8).alias("rank"),
            pl.col("provisional").alias("partial"),
        )
        .select(WORK_COLUMNS)
    )


def reevaluate(previous: EvaluationResult, revisions: pl.DataFrame, changed: Iterable[str]) -> EvaluationResult:
    """The evaluation of `revisions` (the whole revision frame now), reusing `previous` for every code
    that `changed` cannot reach. `previous` must be a current (as_of None), whole evaluation of the same
    definitions."""
    if previous.as_of is not None:
        raise ValueError("incremental evaluation starts from a current evaluation (as_of None)")
    programme = previous.programme
    affected = affected_codes(programme, changed)
    touched_series = [s for s in programme.series if s.code in affected]
    order: list[Indicator] = engine.dependency_order(programme.indicators)
    touched_indicators = [i for i in order if i.code in affected]

    codes = [s.code for s in touched_series]
    observed = engine.observed_frame(revisions.filter(pl.col("code").is_in(codes))) if codes else None
    frames: dict[str, pl.DataFrame] = {}
    if observed is not None:
        periods = engine.observed_periods(observed)
        by_code = observed.partition_by("code", as_dict=True, include_key=False)
        for series in touched_series:
            frames[series.code] = engine.series_frame(programme, series, by_code.pop((series.code,), None), periods)
    # operands that did not change: their rows of the previous result, back in work columns
    needed = {operand for i in touched_indicators for operand in i.operands if operand not in affected}
    for code in needed:
        frames[code] = _work_frame(previous, code)
    for indicator in touched_indicators:
        frames[indicator.code] = engine.compute_indicator(indicator, frames)

    indicator_codes = {i.code for i in programme.indicators}
    parts: list[pl.DataFrame] = []
    for code in [s.code for s in programme.series] + [i.code for i in order]:
        if code in affected:
            frame = frames[code]
            if frame.height:
                parts.append(engine.assembled(code, frame, code in indicator_codes))
        else:
            rows = _rows_of(previous, code)
            if rows.height:
                parts.append(rows)
    values = pl.concat(parts, how="vertical", rechunk=False) if parts else previous.values.clear()
    return EvaluationResult(
        programme=programme, as_of=None, values=values, reported=engine.reported_frame(revisions, None)
    )
