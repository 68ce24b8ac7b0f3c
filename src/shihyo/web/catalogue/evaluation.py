"""Evaluating a stored programme: the one entry point of the CLI, the dashboard, collection and reports.

`evaluate_programme(code, as_of)` reads the programme's definitions and revision history through the
catalogue's storage boundary, evaluates it with the core engine, judges its targets and reconciles its
published figures, and returns one frozen `ProgrammeState`. The in-process cache wraps this function and
nothing else; it is keyed by programme, moment and data version, so a write is seen by the next call.
After a write the current evaluation starts from the previous one: only the series the new revisions
touch, and the indicators that read them, are evaluated again (`shihyo.core.incremental`).
`read_definitions` (re-exported here) answers "what is the programme" without evaluating anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl
from django.core.cache import cache

from shihyo.core.commentary import Notes
from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate
from shihyo.core.incremental import affected_codes, reevaluate
from shihyo.core.model import Programme
from shihyo.core.official import Resolutions, resolve
from shihyo.core.reconcile import Reconciliation, plan_result, reconcile
from shihyo.core.targets import TargetEvaluation, evaluate_targets
from shihyo.web.catalogue.notes import read_notes
from shihyo.web.catalogue.repository import (
    DataVersion,
    changed_since,
    data_version,
    decisions,
    read_definitions,
    resolve_programme,
    revision_frame,
)

__all__ = ["ProgrammeState", "clear_cache", "definitions_of", "evaluate_programme", "read_definitions"]


@dataclass(frozen=True)
class ProgrammeState:
    """A stored programme evaluated as of one moment: values, target judgements, reconciliation."""

    code: str
    as_of: datetime | None
    version: DataVersion
    definitions_recorded_at: datetime
    result: EvaluationResult
    evaluations: tuple[TargetEvaluation, ...]
    reconciliations: tuple[Reconciliation, ...]
    notes: Notes = field(default_factory=Notes)  # the office's commentary and measure progress as of then
    # the cases of published figures that differ, the office's decisions on them as of `as_of`, the policy
    resolutions: Resolutions = field(default_factory=Resolutions)

    @property
    def programme(self) -> Programme:
        return self.result.programme


_CACHE: OrderedDict[tuple[str, datetime | None, DataVersion], ProgrammeState] = OrderedDict()
_LOCK = threading.Lock()
_SIZE = 16


@dataclass(frozen=True)
class _Live:
    """The newest current evaluation of a programme and the revision frame it came from: the starting
    point of the next evaluation after a write (only what the new revisions touch is evaluated again)."""

    state: ProgrammeState
    revisions: pl.DataFrame


_LIVE: dict[str, _Live] = {}
_EVALUATING: dict[str, threading.Lock] = {}  # one evaluation of a programme at a time per process


def clear_cache() -> None:
    """Forget every cached evaluation and page fragment (tests roll back the database, so ids repeat)."""
    with _LOCK:
        _CACHE.clear()
        _LIVE.clear()
    cache.clear()


def _cached(key: tuple[str, datetime | None, DataVersion]) -> ProgrammeState | None:
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    return None


def evaluate_programme(code: str | None = None, as_of: datetime | None = None) -> ProgrammeState:
    """The programme `code` (or the only one stored) evaluated as of `as_of` (None: now)."""
    code = resolve_programme(code)
    version = data_version(code)
    key = (code, as_of, version)
    state = _cached(key)
    if state is not None:
        return state
    with _LOCK:
        turn = _EVALUATING.setdefault(code, threading.Lock())
    with turn:  # the visitors who arrive together after a write wait for one evaluation, not one each
        state = _cached(key)
        if state is None:
            state = _evaluate(code, as_of, version)
            with _LOCK:
                _CACHE[key] = state
                while len(_CACHE) > _SIZE:
                    _CACHE.popitem(last=False)
    return state


def _evaluate(code: str, as_of: datetime | None, version: DataVersion) -> ProgrammeState:
    definitions = read_definitions(code, as_of)
    live = _LIVE.get(code) if as_of is None else None
    changed = None
    if live is not None and live.state.version.observations <= version.observations:
        changed = changed_since(code, live.state.version, version)
    if live is not None and changed is not None:
        # the revisions are append-only: the frame of this version is the last one and what came after
        after = revision_frame(code, after=live.state.version.observations, upto=version.observations)
        revisions = pl.concat([live.revisions, after]) if after.height else live.revisions
        result = reevaluate(live.state.result, revisions, changed) if changed else live.state.result
    else:
        revisions = revision_frame(code, upto=version.observations)  # exactly the revisions of this version
        result = evaluate(EvaluationRequest(definitions.programme, revisions, as_of))
    request = EvaluationRequest(definitions.programme, revisions, as_of)
    if live is not None and changed is not None:
        reconciliations = _reconciled_again(live.state, result, changed, request)
    else:
        reconciliations = reconcile(result, plan_result(request, result))
    state = ProgrammeState(
        code=code,
        as_of=as_of,
        version=version,
        definitions_recorded_at=definitions.recorded_at,
        result=result,
        evaluations=evaluate_targets(result),
        reconciliations=reconciliations,
        notes=read_notes(code, as_of),
        resolutions=resolve(reconciliations, decisions(code, as_of), definitions.programme.show_when_differs),
    )
    if as_of is None:
        with _LOCK:
            newest = _LIVE.get(code)
            if newest is None or newest.state.version.observations <= version.observations:
                _LIVE[code] = _Live(state, revisions)
    return state


def _reconciled_again(
    previous: ProgrammeState, result: EvaluationResult, changed: frozenset[str], request: EvaluationRequest
) -> tuple[Reconciliation, ...]:
    """The reconciliation after an incremental evaluation: a published figure is compared again when its
    own revisions changed or when its code was evaluated again (its working reads only its operands, which
    are then evaluated again too); every other comparison is the previous one."""
    again = affected_codes(result.programme, changed) | changed
    again_result = result.with_reported(result.reported.filter(pl.col("code").is_in(sorted(again))))
    # the plan view is evaluated only when a published plan compared again is no longer a plan
    fresh = reconcile(again_result, plan_result(request, again_result))
    kept = [r for r in previous.reconciliations if r.code not in again]
    return tuple(sorted([*kept, *fresh], key=lambda r: (r.code, r.org_unit, r.period.key, r.source)))


def definitions_of(code: str | None = None, as_of: datetime | None = None) -> Programme:
    """The programme's current (or as-of) definitions: series, indicators, targets, org units."""
    return read_definitions(resolve_programme(code), as_of).programme
