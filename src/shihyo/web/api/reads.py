"""Public reads: programmes, roadmap, series, indicators, values, target judgements, reconciliation.

Everything here is published data: what `evaluate_programme` (the one evaluation entry point) gives, which
holds only figures loaded from files or approved in collection rounds. No token is needed; a token only
raises the caller's rate limit to its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import polars as pl
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from shihyo.core import inputs
from shihyo.core.periods import Period
from shihyo.core.problems import Problem
from shihyo.web.api import convert, schemas
from shihyo.web.api.auth import api_language
from shihyo.web.api.errors import ERRORS
from shihyo.web.catalogue.evaluation import ProgrammeState, evaluate_programme
from shihyo.web.catalogue.repository import programme_codes

router = Router(tags=["published data"])
MAX_LIMIT = 10_000
MAX_FILTER_ITEMS = 200
# a token is optional here (in OpenAPI, {} is "no credentials")
PUBLIC: dict[str, object] = {"security": [{"TokenAuth": []}, {}]}


class AsOf(Schema):
    as_of: str = Field("", max_length=32, description="data as of a date (2022-07-01) or moment; empty: latest")


class ValueFilters(AsOf):
    code: list[str] = Field([], max_length=MAX_FILTER_ITEMS, description="series or indicator codes (repeat)")
    org_unit: list[str] = Field([], max_length=MAX_FILTER_ITEMS, description="org unit codes (repeat)")
    period: list[str] = Field([], max_length=MAX_FILTER_ITEMS, description="periods: FY2021, R3, R3上期 … (repeat)")
    kind: list[Literal["actual", "estimate", "plan"]] = Field([], max_length=3)
    series: bool = Field(True, description="include series (raw inputs and roll-ups), not only indicators")
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000_000)


def moment(text: str) -> datetime | None:
    return inputs.parse_as_of(text, "as_of")


def state_of(code: str, as_of: str = "") -> ProgrammeState:
    """The programme evaluated as of the asked moment; 404 for a programme that is not loaded."""
    if code not in programme_codes():
        raise Http404(code)
    return evaluate_programme(code, moment(as_of))


def _periods(texts: list[str]) -> list[Period]:
    found, problems = [], []
    for i, text in enumerate(texts):
        try:
            found.append(inputs.parse_period_input(text, f"period[{i}]"))
        except inputs.InvalidInput as exc:
            problems.append(exc.problem)
    if problems:
        raise inputs.InvalidInputs(problems)
    return found


@router.get(
    "/programmes", response={200: list[schemas.ProgrammeOut], **ERRORS}, summary="Programmes", openapi_extra=PUBLIC
)
def programmes(request: HttpRequest) -> list[dict[str, object]]:
    """Every programme loaded, with its municipality code, licence and data version."""
    return [convert.programme_summary(evaluate_programme(code)) for code in programme_codes()]


@router.get(
    "/programmes/{code}",
    response={200: schemas.ProgrammeDetailOut, **ERRORS},
    summary="A programme",
    openapi_extra=PUBLIC,
)
def programme(request: HttpRequest, code: str) -> dict[str, object]:
    """One programme: phases and the organisation tree."""
    return convert.programme_detail(state_of(code))


@router.get(
    "/programmes/{code}/roadmap",
    response={200: schemas.RoadmapOut, **ERRORS},
    summary="The roadmap",
    openapi_extra=PUBLIC,
)
def roadmap(request: HttpRequest, code: str) -> dict[str, object]:
    """Vision, purposes, goals, phases, and pillars → areas → measures → tasks."""
    return convert.roadmap(state_of(code).programme)


@router.get(
    "/programmes/{code}/series",
    response={200: list[schemas.SeriesOut], **ERRORS},
    summary="Series",
    openapi_extra=PUBLIC,
)
def series(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """The data elements (raw inputs): unit, aggregation, parts, who reports them, the range they lie in."""
    return [convert.series(s) for s in state_of(code).programme.series]


@router.get(
    "/programmes/{code}/indicators",
    response={200: list[schemas.IndicatorOut], **ERRORS},
    summary="Indicators",
    openapi_extra=PUBLIC,
)
def indicators(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """Every indicator with its definition in words and its targets."""
    lang = api_language(request)
    p = state_of(code).programme
    return [convert.indicator(p, i, lang) for i in p.indicators]


@router.get(
    "/programmes/{code}/indicators/{indicator}",
    response={200: schemas.IndicatorOut, **ERRORS},
    summary="An indicator",
    openapi_extra=PUBLIC,
)
def indicator(request: HttpRequest, code: str, indicator: str) -> dict[str, object]:
    lang = api_language(request)
    p = state_of(code).programme
    found = p.indicator_by_code().get(indicator)
    if found is None:
        raise Http404(indicator)
    return convert.indicator(p, found, lang)


def _unknown(field: str, items: list[str], known: set[str]) -> list[Problem]:
    return [
        Problem(
            "",
            None,
            f"{field}[{i}]",
            ja=f"「{item[:40]}」はこのプログラムにありません",
            en=f"'{item[:40]}' is not in this programme",
            hint_ja="コードは /series・/indicators・/programmes/{code} で確認できます",
            hint_en="the codes are listed by /series, /indicators and /programmes/{code}",
        )
        for i, item in enumerate(items)
        if item not in known
    ]


@router.get(
    "/programmes/{code}/values",
    response={200: schemas.ValuesPage, **ERRORS},
    summary="Values (long format)",
    openapi_extra=PUBLIC,
)
def values(request: HttpRequest, code: str, filters: Query[ValueFilters]) -> dict[str, object]:
    """Every computed value, one row per code, org unit, period: filter by codes, org units, periods and
    kinds; page with `limit` and `offset` (`next_offset` is null on the last page)."""
    lang = api_language(request)
    state = state_of(code, filters.as_of)
    p = state.programme
    codes = {s.code for s in p.series} | {i.code for i in p.indicators}
    problems = _unknown("code", filters.code, codes) + _unknown("org_unit", filters.org_unit, set(p.org_unit_by_code()))
    periods = _periods(filters.period)
    if problems:
        raise inputs.InvalidInputs(problems)
    frame = state.result.values
    if not filters.series:
        frame = frame.filter(pl.col("is_indicator"))
    if filters.code:
        frame = frame.filter(pl.col("code").cast(pl.String).is_in(filters.code))
    if filters.org_unit:
        frame = frame.filter(pl.col("org_unit").cast(pl.String).is_in(filters.org_unit))
    if periods:
        frame = frame.filter(pl.col("period").cast(pl.String).is_in([x.key for x in periods]))
    if filters.kind:
        frame = frame.filter(pl.col("kind").cast(pl.String).is_in(list(filters.kind)))
    frame = frame.sort(
        ["code", "org_unit", "fiscal_year", "grain", "index"], descending=[False, False, False, True, False]
    )
    total = frame.height
    page = frame.slice(filters.offset, filters.limit)
    following = filters.offset + filters.limit
    return {
        "programme": p.code,
        "as_of": state.as_of,
        "data_version": str(state.version),
        "total": total,
        "offset": filters.offset,
        "limit": filters.limit,
        "next_offset": following if following < total else None,
        "items": convert.values(state, page, lang),
    }


class TargetFilters(AsOf):
    indicator: str = Field("", max_length=100, description="only this indicator")
    org_unit: str = Field("", max_length=100, description="only this org unit")


@router.get(
    "/programmes/{code}/targets",
    response={200: schemas.TargetsOut, **ERRORS},
    summary="Target judgements",
    openapi_extra=PUBLIC,
)
def targets(request: HttpRequest, code: str, filters: Query[TargetFilters]) -> dict[str, object]:
    """Each actual (or plan) value judged against its target: status, margin, years ahead of schedule."""
    lang = api_language(request)
    state = state_of(code, filters.as_of)
    found = [
        e
        for e in state.evaluations
        if (not filters.indicator or e.indicator == filters.indicator)
        and (not filters.org_unit or e.org_unit == filters.org_unit)
    ]
    return {
        "programme": state.code,
        "as_of": state.as_of,
        "data_version": str(state.version),
        "judgements": [convert.judgement(state.programme, e, lang) for e in found],
    }


class ReconciliationFilters(AsOf):
    verdict: Literal["", "agrees", "differs", "not_computable"] = Field("", description="only this verdict")


@router.get(
    "/programmes/{code}/reconciliation",
    response={200: schemas.ReconciliationPage, **ERRORS},
    summary="Published figures against their recomputation",
    openapi_extra=PUBLIC,
)
def reconciliation(request: HttpRequest, code: str, filters: Query[ReconciliationFilters]) -> dict[str, object]:
    lang = api_language(request)
    state = state_of(code, filters.as_of)
    found = [r for r in state.reconciliations if not filters.verdict or r.verdict.value == filters.verdict]
    return {
        "programme": state.code,
        "as_of": state.as_of,
        "data_version": str(state.version),
        "items": [convert.reconciliation(state.programme, r, lang) for r in found],
    }
