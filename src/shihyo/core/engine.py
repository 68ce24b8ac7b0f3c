"""The evaluation engine: one entry point, a request in and an immutable result out.

All series values and indicator values live in one long frame with the columns of `COLUMNS`.
Each step (revisions as of a moment, roll-ups over time and org units, each indicator) is a
columnar operation over all org units and periods at once; there is no Python loop per value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from typing import assert_never

import polars as pl

from shihyo.core import assignments
from shihyo.core import expression as expr_lang
from shihyo.core import indicators as ind
from shihyo.core.indicators import ChangeMode, Formula, Indicator
from shihyo.core.model import (
    PUBLISHED_KINDS,
    Observation,
    ObservationKind,
    OrgAggregation,
    OrgUnitKind,
    Programme,
    Revision,
    Series,
)
from shihyo.core.numbers import to_decimal
from shihyo.core.periods import Grain, Period, parse_period
from shihyo.core.revisions import latest_frame, naive_utc, recorded_by

# kind ranks: a derived figure is as weak as its weakest input (plan > estimate > actual)
KIND_RANK = {ObservationKind.ACTUAL.value: 0, ObservationKind.ESTIMATE.value: 1, ObservationKind.PLAN.value: 2}
RANK_KIND = {rank: kind for kind, rank in KIND_RANK.items()}

KEY = ["org_unit", "period"]
PERIOD_COLUMNS = ["grain", "fiscal_year", "index", "months"]
# `partial`: a roll-up that misses some of its reporting units (provisional), or a figure computed from one
WORK_COLUMNS = [*KEY, *PERIOD_COLUMNS, "rank", "partial", "value"]
STRING_OUTPUT = False
COLUMNS = [
    "code",
    "org_unit",
    "period",
    "grain",
    "fiscal_year",
    "index",
    "kind",
    "value",
    "is_indicator",
    "provisional",
]
REVISION_SCHEMA = pl.Schema(
    {
        "code": pl.String(),
        "org_unit": pl.String(),
        "period": pl.String(),
        "kind": pl.String(),
        "source": pl.String(),
        "value": pl.Float64(),
        "text": pl.String(),
        "recorded_at": pl.Datetime("us"),
        "withdrawn": pl.Boolean(),
    }
)


class DefinitionCycleError(ValueError):
    """Indicators that depend on each other in a circle."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__("indicators depend on each other in a cycle: " + " → ".join(codes))
        self.codes = tuple(codes)


@dataclass(frozen=True)
class EvaluationRequest:
    """What to evaluate.

    `revisions` is a frame with the columns of REVISION_SCHEMA (see `revisions_frame`); rows with
    kind "reported" are published figures and are kept apart for reconciliation. `as_of` picks, for
    each observation, its latest revision recorded at or before that moment. `periods` and
    `org_units` narrow the result (a period keeps what it contains: a year keeps its halves).
    """

    programme: Programme
    revisions: pl.DataFrame
    as_of: datetime | None = None
    periods: tuple[Period, ...] | None = None
    org_units: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _CodeLookup:
    frame: pl.DataFrame  # the values of one code
    rows: dict[tuple[str, str], tuple[str, float]]  # (org unit, period) → (kind, value)


class _Lookups:
    """The lookups of one result, filled on first use (several threads may read one result)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.runs: dict[str, list[tuple[int, int]]] | None = None
        self.codes: dict[str, _CodeLookup] = {}
        self.rows: dict[str, dict[tuple[str, str], tuple[str, float]]] | None = None


_INDEX_ALL_BELOW = 500_000  # values of a city's programme: index all codes in one pass; larger ones per code


def _rows_by_code(values: pl.DataFrame) -> dict[str, dict[tuple[str, str], tuple[str, float]]]:
    """(org unit, period) → (kind, value) of each code of a values frame."""
    found: dict[str, dict[tuple[str, str], tuple[str, float]]] = {}
    columns = [values.get_column(c).cast(pl.String).to_list() for c in ("code", "org_unit", "period", "kind")]
    for code, org, period, kind, value in zip(*columns, values.get_column("value").to_list(), strict=True):
        found.setdefault(code, {})[(org, period)] = (kind, float(value))
    return found


def _code_runs(values: pl.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """Where each code's rows are, as (offset, length) runs. The engine writes a code's rows together, so
    this is one pass over the code column and each code's frame is a slice of the values, not a filter."""
    runs: dict[str, list[tuple[int, int]]] = {}
    offset = 0
    if values.height:
        for length, code in values.get_column("code").rle().struct.unnest().iter_rows():
            runs.setdefault(str(code), []).append((offset, int(length)))
            offset += int(length)
    return runs


@dataclass(frozen=True)
class EvaluationResult:
    """Every series and indicator value of a programme, as of one moment. Treat as read-only."""

    programme: Programme
    as_of: datetime | None
    values: pl.DataFrame  # columns COLUMNS; kind is actual | estimate | plan
    reported: pl.DataFrame  # published figures: code, org_unit, period, source, value, text, kind

    # per code, looked up once: its rows by (org unit, period) and its own frame (a value lookup is a dict
    # read, not a scan of every value). Filled on first use; the result itself never changes.
    _lookups: _Lookups = field(default_factory=lambda: _Lookups(), init=False, repr=False, compare=False)

    def _lookup(self, code: str) -> _CodeLookup:
        lookups = self._lookups
        found = lookups.codes.get(code)
        if found is not None:
            return found
        with lookups.lock:
            if lookups.runs is None:
                lookups.runs = _code_runs(self.values)
                if self.values.height <= _INDEX_ALL_BELOW:  # one pass indexes every code at once
                    lookups.rows = _rows_by_code(self.values)
            runs = lookups.runs.get(code, [])
            rows = lookups.rows.get(code) if lookups.rows is not None else None
        slices = [self.values.slice(offset, length) for offset, length in runs]
        frame = pl.concat(slices) if len(slices) > 1 else slices[0] if slices else self.values.clear()
        if rows is None:
            rows = _rows_by_code(frame).get(code, {})
        with lookups.lock:
            return lookups.codes.setdefault(code, _CodeLookup(frame, rows))

    def with_reported(self, reported: pl.DataFrame) -> EvaluationResult:
        """The same values (and their lookups) with other published figures, e.g. some of them."""
        other = replace(self, reported=reported)
        object.__setattr__(other, "_lookups", self._lookups)
        return other

    def rows_of(self, code: str) -> pl.DataFrame:
        """Every value of one code (series or indicator), in the order of the values."""
        return self._lookup(code).frame

    def value(self, code: str, org_unit: str, period: Period | str) -> Decimal | None:
        """One value as an exact-enough Decimal (12 significant digits), or None."""
        key = period.key if isinstance(period, Period) else period
        row = self._lookup(code).rows.get((org_unit, key))
        return None if row is None else to_decimal(row[1])

    def kind(self, code: str, org_unit: str, period: Period | str) -> str | None:
        key = period.key if isinstance(period, Period) else period
        row = self._lookup(code).rows.get((org_unit, key))
        return None if row is None else row[0]

    def narrowed(self, periods: tuple[Period, ...] | None, org_units: tuple[str, ...] | None) -> EvaluationResult:
        """The same result, keeping only some periods and org units (what `EvaluationRequest` narrows)."""
        if periods is None and org_units is None:
            return self
        return replace(self, values=narrow(self.values, periods, org_units))

    def series_of(self, code: str, org_unit: str) -> list[tuple[str, str, Decimal]]:
        """(period key, kind, value) of one code and org unit in period order."""
        rows = self._lookup(code).frame.filter(pl.col("org_unit") == org_unit).sort(["fiscal_year", "grain", "index"])
        return [(p, k, to_decimal(v)) for p, k, v in rows.select("period", "kind", "value").iter_rows()]


def revisions_frame(items: Iterable[Observation | Revision]) -> pl.DataFrame:
    """Build the engine's input frame from observations (current) or revisions (with history)."""
    rows: list[tuple[str, str, str, str, str, float | None, str | None, datetime | None, bool]] = []
    for item in items:
        if isinstance(item, Revision):
            code, org, period, kind, source = item.key
            obs = item.observation
            value = float(obs.value) if obs is not None else None
            text = obs.text if obs is not None else None
            rows.append((code, org, period, kind, source, value, text, naive_utc(item.recorded_at), obs is None))
        else:
            rows.append(
                (
                    item.code,
                    item.org_unit,
                    item.period.key,
                    item.kind.value,
                    item.source,
                    float(item.value),
                    item.text,
                    None,
                    False,
                )
            )
    return pl.DataFrame(rows, schema=REVISION_SCHEMA, orient="row")


def evaluate(request: EvaluationRequest) -> EvaluationResult:
    """Compute every series roll-up and every indicator of the programme."""
    programme = request.programme
    reported = reported_frame(request.revisions, request.as_of)
    observed = recorded_by(observed_frame(request.revisions), request.as_of)
    periods = observed_periods(observed)
    by_code = observed.partition_by("code", as_dict=True, include_key=False)
    del observed
    frames: dict[str, pl.DataFrame] = {}
    for series in programme.series:
        frames[series.code] = series_frame(programme, series, by_code.pop((series.code,), None), periods)
    del by_code
    for indicator in dependency_order(programme.indicators):
        frames[indicator.code] = compute_indicator(indicator, frames)
    values = _assemble(programme, frames)
    if STRING_OUTPUT:
        values = values.with_columns(pl.col("code", "org_unit", "period", "grain", "kind").cast(pl.String))
    values = narrow(values, request.periods, request.org_units)
    return EvaluationResult(programme=programme, as_of=request.as_of, values=values, reported=reported)


def observed_frame(revisions: pl.DataFrame) -> pl.DataFrame:
    """The revisions as the engine works on them: keys as categoricals."""
    return revisions.select(
        pl.col("code", "org_unit", "period", "kind", "source").cast(pl.Categorical),
        "value",
        "recorded_at",
        "withdrawn",
    )


def observed_periods(observed: pl.DataFrame) -> pl.DataFrame:
    """The period table (grain, fiscal year, index, months) of the periods an observed frame holds."""
    keys = observed.get_column("period").unique().cast(pl.String).to_list()
    return period_table(keys).with_columns(pl.col("period", "grain").cast(pl.Categorical))


def series_frame(
    programme: Programme, series: Series, part: pl.DataFrame | None, periods: pl.DataFrame
) -> pl.DataFrame:
    """One series' values (work columns) from its revisions `part` (no code column): the latest revision,
    the best kind, then the roll-ups over time and over org units."""
    if part is None:
        frame = _empty()
    else:
        # latest revision, then best kind, within one series: small transient frames
        current = latest_frame(part, None, keys=("org_unit", "period", "kind", "source"))
        current = current.filter(~pl.col("kind").cast(pl.String).is_in([k.value for k in PUBLISHED_KINDS]))
        frame = (
            _best_kind(current, keys=["org_unit", "period"])
            .join(periods, on="period", how="left")
            .with_columns(pl.lit(False).alias("partial"))
        )
    frame = _roll_up_time(series, frame.select(WORK_COLUMNS))
    return _roll_up_orgs(programme, series, frame)


def reported_frame(revisions: pl.DataFrame, as_of: datetime | None) -> pl.DataFrame:
    """The published figures (kinds "reported" and "reported_plan") current at `as_of`, kept apart for
    reconciliation; `kind` says whether a figure was published as an actual or as a plan."""
    is_reported = pl.col("kind").is_in([k.value for k in PUBLISHED_KINDS])
    return latest_frame(revisions.filter(is_reported), as_of).select(
        "code", "org_unit", "period", "source", "value", "text", "kind"
    )


def _best_kind(frame: pl.DataFrame, keys: list[str] | None = None) -> pl.DataFrame:
    """One value per code, org unit and period: actual before estimate before plan."""
    ranked = frame.with_columns(
        pl.col("kind").cast(pl.String).replace_strict(KIND_RANK, return_dtype=pl.Int8).alias("rank")
    ).drop_nulls("value")
    # ties within a kind (the same figure from two sources) go to the first source in code order
    order = ["rank", "source"] if "source" in ranked.columns else ["rank"]
    return (
        ranked.sort(order, maintain_order=True)
        .group_by(keys or ["code", "org_unit", "period"], maintain_order=True)
        .first()
        .select(*(keys or ["code", "org_unit", "period"]), "rank", "value")
    )


def period_table(keys: Iterable[str]) -> pl.DataFrame:
    """grain, fiscal year, index and months of each period key."""
    periods = [parse_period(k) for k in sorted(set(keys))]
    return pl.DataFrame(
        {
            "period": [p.key for p in periods],
            "grain": [p.grain.value for p in periods],
            "fiscal_year": [p.fiscal_year for p in periods],
            "index": [p.index for p in periods],
            "months": [p.months for p in periods],
        },
        schema={
            "period": pl.String,
            "grain": pl.String,
            "fiscal_year": pl.Int32,
            "index": pl.Int32,
            "months": pl.Int32,
        },
    )


def _with_period_columns(frame: pl.DataFrame) -> pl.DataFrame:
    table = period_table(frame.get_column("period").unique().to_list())
    table = table.with_columns(pl.col("period", "grain").cast(pl.Categorical))
    return frame.join(table, on="period", how="left")


def _series_frames(programme: Programme, observed: pl.DataFrame) -> dict[str, pl.DataFrame]:
    frames: dict[str, pl.DataFrame] = {}
    by_code = observed.partition_by("code", as_dict=True, include_key=False)
    for series in programme.series:
        frame = by_code.get((series.code,))
        if frame is None:
            frame = _empty()
        frame = _roll_up_time(series, frame.select(WORK_COLUMNS))
        frames[series.code] = _roll_up_orgs(programme, series, frame)
    return frames


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "org_unit": pl.Categorical,
            "period": pl.Categorical,
            "grain": pl.Categorical,
            "fiscal_year": pl.Int32,
            "index": pl.Int32,
            "months": pl.Int32,
            "rank": pl.Int8,
            "partial": pl.Boolean,
            "value": pl.Float64,
        }
    )


def _aggregate(how: str, count_needed: int | None) -> list[pl.Expr]:
    value = {
        "sum": pl.col("value").sum(),
        "average": pl.col("value").mean(),
        "last": pl.col("value").sort_by("index").last(),
    }[how]
    return [
        value.alias("value"),
        pl.col("rank").max().alias("rank"),
        pl.col("partial").any().alias("partial"),
        pl.len().alias("_n"),
    ]


def _roll_up_time(series: Series, frame: pl.DataFrame) -> pl.DataFrame:
    """Fill halves from complete months and years from complete halves, where not observed."""
    how = series.time_aggregation.value
    for child, parent, needed in ((Grain.MONTH, Grain.HALF, 6), (Grain.HALF, Grain.YEAR, 2)):
        children = frame.filter(pl.col("grain") == child.value)
        if children.height == 0:
            continue
        if child is Grain.MONTH:
            children = children.with_columns(((pl.col("index") - 1) // 6 + 1).alias("_parent_index"))
        else:
            children = children.with_columns(pl.lit(0, dtype=pl.Int32).alias("_parent_index"))
        rolled = children.group_by(["org_unit", "fiscal_year", "_parent_index"]).agg(*_aggregate(how, needed))
        if how != "last":
            rolled = rolled.filter(pl.col("_n") == needed)
        rolled = rolled.rename({"_parent_index": "index"}).with_columns(
            pl.lit(parent.value).cast(pl.Categorical).alias("grain"), pl.col("index").cast(pl.Int32)
        )
        rolled = rolled.with_columns(
            _period_key(parent).cast(pl.Categorical).alias("period"),
            pl.lit(12 if parent is Grain.YEAR else 6, dtype=pl.Int32).alias("months"),
        )
        rolled = rolled.join(frame.select(KEY), on=KEY, how="anti")
        frame = pl.concat([frame, rolled.select(WORK_COLUMNS).cast(frame.schema)], how="vertical")
    return frame


def _period_key(grain: Grain) -> pl.Expr:
    year = pl.col("fiscal_year").cast(pl.String)
    if grain is Grain.YEAR:
        return pl.concat_str([pl.lit("FY"), year])
    return pl.concat_str([pl.lit("FY"), year, pl.lit("H"), pl.col("index").cast(pl.String)])


def _roll_up_orgs(programme: Programme, series: Series, frame: pl.DataFrame) -> pl.DataFrame:
    """Give each parent org unit the aggregate of its children where it has no value of its own.

    A series with `reported_by` rolls up over its reporting units and the units above them: a parent
    gets the aggregate of the children that have a value, provisional (`partial`) while some are missing.
    Any other series rolls up only where every child has a value.
    """
    if series.org_aggregation is OrgAggregation.NONE or frame.height == 0:
        return frame
    units = [u for u in programme.org_units if u.kind is not OrgUnitKind.BENCHMARK and u.parent]
    declared = bool(series.reported_by)
    if declared:
        relevant = assignments.relevant_units(programme, series)
        units = [u for u in units if u.code in relevant and u.parent in relevant]
    if not units:
        return frame
    parent_of = {u.code: u.parent for u in units}
    depth = {code: _depth(code, parent_of) for code in parent_of}
    children_count: dict[str, int] = {}
    for parent in parent_of.values():
        assert parent is not None
        children_count[parent] = children_count.get(parent, 0) + 1
    how = series.org_aggregation.value
    for level in sorted(set(depth.values()), reverse=True):
        links = pl.DataFrame(
            {
                "org_unit": [c for c, d in depth.items() if d == level],
                "_parent": [parent_of[c] for c, d in depth.items() if d == level],
            },
            schema={"org_unit": pl.Categorical, "_parent": pl.Categorical},
        )
        needed = pl.DataFrame(
            {"_parent": list(children_count), "_needed": list(children_count.values())},
            schema={"_parent": pl.Categorical, "_needed": pl.UInt32},
        )
        rolled = (
            frame.join(links, on="org_unit", how="inner")
            .group_by(["_parent", "period", *PERIOD_COLUMNS])
            .agg(*_aggregate(how, None))
            .join(needed, on="_parent", how="left")
        )
        if declared:
            rolled = rolled.with_columns(pl.col("partial") | (pl.col("_n") < pl.col("_needed")))
        else:
            rolled = rolled.filter(pl.col("_n") == pl.col("_needed"))
        rolled = rolled.rename({"_parent": "org_unit"}).join(frame.select(KEY), on=KEY, how="anti")
        frame = pl.concat([frame, rolled.select(WORK_COLUMNS).cast(frame.schema)], how="vertical")
    return frame


def _depth(code: str, parent_of: dict[str, str | None]) -> int:
    depth, seen = 0, {code}
    while (parent := parent_of.get(code)) is not None:
        if parent in seen:
            break
        seen.add(parent)
        depth, code = depth + 1, parent
    return depth


def dependency_order(indicators: Sequence[Indicator]) -> list[Indicator]:
    by_code = {i.code: i for i in indicators}
    graph = {i.code: {o for o in i.operands if o in by_code} for i in indicators}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise DefinitionCycleError([str(c) for c in exc.args[1]]) from exc
    return [by_code[code] for code in order]


Frames = dict[str, pl.DataFrame]
_V = pl.col("value")


def _join(frames: Frames, codes: Sequence[str]) -> pl.DataFrame:
    """Inner join of operands on org unit and period; columns v0, v1, … and the weakest rank."""
    joined = frames[codes[0]].rename({"value": "v0"})
    for i, code in enumerate(codes[1:], start=1):
        other = frames[code].select(
            *KEY, pl.col("rank").alias("_rank"), pl.col("partial").alias("_partial"), pl.col("value").alias(f"v{i}")
        )
        joined = joined.join(other, on=KEY, how="inner").with_columns(*_weakest()).drop("_rank", "_partial")
    return joined


def _shifted(frame: pl.DataFrame, years: int) -> pl.DataFrame:
    """The frame moved forward by `years` so that it joins with the later period."""
    return frame.select(
        "org_unit",
        "grain",
        (pl.col("fiscal_year") + years).alias("fiscal_year"),
        "index",
        *_AS_BASE,
    )


# the columns of a base operand: its kind rank, whether it is provisional, and its value
_AS_BASE = (pl.col("rank").alias("_rank"), pl.col("partial").alias("_partial"), pl.col("value").alias("base"))


def _weakest() -> tuple[pl.Expr, pl.Expr]:
    """After a join with another operand (columns _rank, _partial): the weaker kind, provisional if either is."""
    return (pl.max_horizontal("rank", "_rank").alias("rank"), pl.any_horizontal("partial", "_partial").alias("partial"))


def _against_base(frames: Frames, of: str, base: ind.BasePeriod | ind.BaseSeries | None) -> pl.DataFrame:
    """The operand with a `base` column: previous year, a fixed base period, or a restated base series."""
    frame = frames[of]
    if base is None:
        joined = frame.join(_shifted(frame, 1), on=["org_unit", "grain", "fiscal_year", "index"], how="inner")
    elif isinstance(base, ind.BasePeriod):
        p = base.period
        base_rows = frame.filter(
            (pl.col("grain") == p.grain.value) & (pl.col("fiscal_year") == p.fiscal_year) & (pl.col("index") == p.index)
        ).select("org_unit", *_AS_BASE)
        later = frame.filter((pl.col("grain") == p.grain.value) & (pl.col("fiscal_year") >= p.fiscal_year))
        joined = later.join(base_rows, on="org_unit", how="inner")
    else:
        restated = frames[base.code].select(*KEY, *_AS_BASE)
        joined = frame.join(restated, on=KEY, how="inner")
        if base.period is not None:  # the base period itself, unless the series restates it too
            p = base.period
            at_base = frame.filter(
                (pl.col("grain") == p.grain.value)
                & (pl.col("fiscal_year") == p.fiscal_year)
                & (pl.col("index") == p.index)
            ).with_columns(*_AS_BASE)
            at_base = at_base.join(joined.select(KEY), on=KEY, how="anti").select(joined.columns)
            joined = pl.concat([joined, at_base])
    return joined.with_columns(*_weakest()).drop("_rank", "_partial")


def _finish(frame: pl.DataFrame, value: pl.Expr) -> pl.DataFrame:
    out = frame.with_columns(value.cast(pl.Float64).alias("value")).select(WORK_COLUMNS)
    return out.filter(_V.is_not_null() & _V.is_finite())


def _tree_expr(node: expr_lang.Node, columns: dict[str, str]) -> pl.Expr:
    match node:
        case expr_lang.Number(value):
            return pl.lit(float(value))
        case expr_lang.Ref(code):
            return pl.col(columns[code])
        case expr_lang.Negate(operand):
            return -_tree_expr(operand, columns)
        case expr_lang.BinaryOp(op, left, right):
            a, b = _tree_expr(left, columns), _tree_expr(right, columns)
            ops: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
                "+": lambda x, y: x + y,
                "-": lambda x, y: x - y,
                "*": lambda x, y: x * y,
                "/": lambda x, y: pl.when(y == 0).then(None).otherwise(x / y),
            }
            return ops[op](a, b)
        case expr_lang.Call(function, args):
            parts = [_tree_expr(a, columns) for a in args]
            if function == "abs":
                return parts[0].abs()
            # like the exact evaluator (expression.evaluate): a missing argument makes the result missing
            chosen = pl.min_horizontal(*parts) if function == "min" else pl.max_horizontal(*parts)
            return pl.when(pl.any_horizontal([p.is_null() for p in parts])).then(None).otherwise(chosen)
        case _:
            assert_never(node)


def _safe_div(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return pl.when(b == 0).then(None).otherwise(a / b)


def compute_indicator(indicator: Indicator, frames: Frames) -> pl.DataFrame:
    """One indicator's values (work columns) from the frames of its operands."""
    formula: Formula = indicator.formula
    match formula:
        case ind.SeriesValue(of):
            return frames[of]
        case ind.Ratio(numerator, denominator, factor):
            j = _join(frames, [numerator, denominator])
            return _finish(j, _safe_div(pl.col("v0"), pl.col("v1")) * float(factor))
        case ind.Share(part, total):
            j = _join(frames, [part, total])
            return _finish(j, _safe_div(pl.col("v0"), pl.col("v1")) * 100.0)
        case ind.SumOf(parts):
            j = _join(frames, parts)
            return _finish(j, pl.sum_horizontal(*[f"v{i}" for i in range(len(parts))]))
        case ind.YearOverYearChange(of):
            j = _against_base(frames, of, None)
            return _finish(j, _safe_div(_V - pl.col("base"), pl.col("base")) * 100.0)
        case ind.ChangeVsBase(of, base, mode):
            j = _against_base(frames, of, base)
            if mode is ChangeMode.ABSOLUTE:
                return _finish(j, _V - pl.col("base"))
            return _finish(j, _safe_div(_V - pl.col("base"), pl.col("base")) * 100.0)
        case ind.PointDifference(of, against):
            return _finish(_against_base(frames, of, against), _V - pl.col("base"))
        case ind.PerCapitaPerMonth(total, headcount):
            j = _join(frames, [total, headcount])
            return _finish(j, _safe_div(pl.col("v0"), pl.col("v1") * pl.col("months")))
        case ind.Cumulative(of):
            frame = frames[of].sort(["org_unit", "grain", "fiscal_year", "index"])
            return _finish(
                frame.with_columns(
                    pl.col("value").cum_sum().over(["org_unit", "grain"]).alias("value"),
                    pl.col("rank").cum_max().over(["org_unit", "grain"]).alias("rank"),
                    pl.col("partial").cast(pl.Int8).cum_max().over(["org_unit", "grain"]).cast(pl.Boolean),
                ),
                _V,
            )
        case ind.IndexToBase(of, base):
            j = _against_base(frames, of, base)
            return _finish(j, _safe_div(_V, pl.col("base")) * 100.0)
        case ind.Coverage(of, universe):
            return _finish(frames[of], _V / float(universe) * 100.0)
        case ind.Effect(of, factor, divisor):
            return _finish(frames[of], _V * float(factor) / float(divisor))
        case ind.Expression(_, tree):
            codes = list(expr_lang.references(tree))
            j = _join(frames, codes)
            return _finish(j, _tree_expr(tree, {c: f"v{i}" for i, c in enumerate(codes)}))
        case _:
            assert_never(formula)


KIND_ENUM = pl.Enum(["actual", "estimate", "plan"])


def _assemble(programme: Programme, frames: Frames) -> pl.DataFrame:
    indicator_codes = {i.code for i in programme.indicators}
    parts = []
    for code in list(frames):
        frame = frames.pop(code)
        if frame.height:
            parts.append(assembled(code, frame, code in indicator_codes))
        del frame
    if not parts:
        return pl.DataFrame(schema={c: pl.String for c in COLUMNS})
    return pl.concat(parts, how="vertical", rechunk=False)


def assembled(code: str, frame: pl.DataFrame, is_indicator: bool) -> pl.DataFrame:
    """One code's work frame in the columns of the values (`COLUMNS`)."""
    return frame.select(
        pl.lit(code).cast(pl.Categorical).alias("code"),
        "org_unit",
        "period",
        "grain",
        "fiscal_year",
        "index",
        pl.col("rank").replace_strict(RANK_KIND, return_dtype=KIND_ENUM).alias("kind"),
        "value",
        pl.lit(is_indicator).alias("is_indicator"),
        pl.col("partial").alias("provisional"),
    )


def narrow(values: pl.DataFrame, periods: tuple[Period, ...] | None, org_units: tuple[str, ...] | None) -> pl.DataFrame:
    """Only the values of these org units and of periods within these periods (None keeps all)."""
    if org_units is not None:
        values = values.filter(pl.col("org_unit").is_in(list(org_units)))
    if periods is not None:
        keys = values.get_column("period").unique().to_list()
        keep = [k for k in keys if any(p.contains(parse_period(k)) for p in periods)]
        values = values.filter(pl.col("period").is_in(keep))
    return values
