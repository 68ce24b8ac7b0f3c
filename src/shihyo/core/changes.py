"""What a change of definitions does to the figures: every value that appears, disappears or moves.

Both programmes are evaluated on the same revisions; the difference is listed value by value, old → new,
so the office sees before saving which figures of which units and periods its change touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from shihyo.core.engine import EvaluationResult
from shihyo.core.numbers import to_decimal
from shihyo.core.periods import Period, parse_period

KEY = ["code", "org_unit", "period", "kind"]


@dataclass(frozen=True)
class ValueChange:
    code: str
    org_unit: str
    period: Period
    kind: str
    old: Decimal | None
    new: Decimal | None


@dataclass(frozen=True)
class Changes:
    shown: tuple[ValueChange, ...]  # the first `limit` changes, in code, unit and period order
    total: int  # how many values change in all
    codes: tuple[str, ...]  # every series or indicator with a changed value


def value_changes(before: EvaluationResult, after: EvaluationResult, limit: int = 200) -> Changes:
    """Every value whose presence or number differs between the two evaluations (exact comparison)."""
    old = before.values.select([*KEY, pl.col("value").alias("old")])
    new = after.values.select([*KEY, pl.col("value").alias("new")])
    joined = old.join(new, on=KEY, how="full", coalesce=True)
    appears = pl.col("old").is_null() != pl.col("new").is_null()
    moves = pl.col("old").is_not_null() & pl.col("new").is_not_null() & ((pl.col("old") - pl.col("new")).abs() > 1e-9)
    differs = joined.filter(appears | moves).sort(KEY)
    shown = tuple(
        ValueChange(
            code=row["code"],
            org_unit=row["org_unit"],
            period=parse_period(row["period"]),
            kind=row["kind"],
            old=None if row["old"] is None else to_decimal(row["old"]),
            new=None if row["new"] is None else to_decimal(row["new"]),
        )
        for row in differs.head(limit).iter_rows(named=True)
    )
    codes = tuple(sorted(set(differs.get_column("code").to_list())))
    return Changes(shown, differs.height, codes)
