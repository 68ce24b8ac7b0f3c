"""Evaluating a stored programme: the one entry point of the CLI, the dashboard, collection and reports.

`evaluate_programme(code, as_of)` reads the programme's definitions and revision history through the
catalogue's storage boundary, evaluates it with the core engine, judges its targets and reconciles its
published figures, and returns one frozen `ProgrammeState`. The in-process cache wraps this function and
nothing else; it is keyed by programme, moment and data version, so a write is seen by the next call.
`read_definitions` (re-exported here) answers "what is the programme" without evaluating anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate
from shihyo.core.model import Programme
from shihyo.core.official import Resolutions, resolve
from shihyo.core.reconcile import Reconciliation, plan_result, reconcile
from shihyo.core.targets import TargetEvaluation, evaluate_targets
from shihyo.web.catalogue.repository import (
    DataVersion,
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
    # the cases of published figures that differ, the office's decisions on them as of `as_of`, the policy
    resolutions: Resolutions = field(default_factory=Resolutions)

    @property
    def programme(self) -> Programme:
        return self.result.programme


_CACHE: OrderedDict[tuple[str, datetime | None, DataVersion], ProgrammeState] = OrderedDict()
_LOCK = threading.Lock()
_SIZE = 16


def clear_cache() -> None:
    """Forget every cached evaluation and page fragment (tests roll back the database, so ids repeat)."""
    with _LOCK:
        _CACHE.clear()
    cache.clear()


def evaluate_programme(code: str | None = None, as_of: datetime | None = None) -> ProgrammeState:
    """The programme `code` (or the only one stored) evaluated as of `as_of` (None: now)."""
    code = resolve_programme(code)
    version = data_version(code)
    key = (code, as_of, version)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    definitions = read_definitions(code, as_of)
    request = EvaluationRequest(definitions.programme, revision_frame(code), as_of)
    result = evaluate(request)
    reconciliations = reconcile(result, plan_result(request, result))
    state = ProgrammeState(
        code=code,
        as_of=as_of,
        version=version,
        definitions_recorded_at=definitions.recorded_at,
        result=result,
        evaluations=evaluate_targets(result),
        reconciliations=reconciliations,
        resolutions=resolve(reconciliations, decisions(code, as_of), definitions.programme.show_when_differs),
    )
    with _LOCK:
        _CACHE[key] = state
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return state


def definitions_of(code: str | None = None, as_of: datetime | None = None) -> Programme:
    """The programme's current (or as-of) definitions: series, indicators, targets, org units."""
    return read_definitions(resolve_programme(code), as_of).programme
