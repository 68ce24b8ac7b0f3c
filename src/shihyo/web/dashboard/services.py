"""The read side of the dashboard: one evaluation per programme version and as-of moment, cached.

Every page calls `current_state`; it reads the stored programme, evaluates it with the core engine,
judges targets and reconciles published figures once, and keeps the result until the data changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate
from shihyo.core.reconcile import Reconciliation, reconcile
from shihyo.core.targets import TargetEvaluation, evaluate_targets
from shihyo.web.catalogue import models
from shihyo.web.catalogue.repository import StoredProgramme, read_programme, resolve_programme


@dataclass(frozen=True)
class DashboardState:
    stored: StoredProgramme
    result: EvaluationResult
    evaluations: tuple[TargetEvaluation, ...]
    reconciliations: tuple[Reconciliation, ...]
    version: tuple[int, int]  # last definition and observation revision ids: changes when data changes


_CACHE: OrderedDict[tuple[str, datetime | None, tuple[int, int]], DashboardState] = OrderedDict()
_LOCK = threading.Lock()
_SIZE = 16


def _version(code: str) -> tuple[int, int]:
    definitions = models.DefinitionRevision.objects.filter(programme__code=code).aggregate(m=Max("id"))["m"]
    observations = models.ObservationRevision.objects.filter(programme__code=code).aggregate(m=Max("id"))["m"]
    return (definitions or 0, observations or 0)


def clear_cache() -> None:
    """Forget every cached evaluation (tests roll back the database, so revision ids can repeat)."""
    with _LOCK:
        _CACHE.clear()
    cache.clear()


def current_state(programme: str | None = None, as_of: datetime | None = None) -> DashboardState:
    code = resolve_programme(programme)
    version = _version(code)
    key = (code, as_of, version)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    stored = read_programme(code, as_of)
    result = evaluate(EvaluationRequest(stored.dataset.programme, stored.revisions, as_of))
    state = DashboardState(stored, result, evaluate_targets(result), reconcile(result), version)
    with _LOCK:
        _CACHE[key] = state
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return state
