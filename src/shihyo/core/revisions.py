"""The as-of rule: how shihyo reads append-only history, in one place.

Every stored fact — an observation, a department's entry in a round, a programme's definitions — is a
sequence of revisions that is only ever appended to. Its state *as of a moment* is its latest revision
recorded at or before that moment; revisions recorded at the same instant count in the order they were
stored; a revision without a value withdraws the fact. A revision without a time (a frame built from
files) counts as recorded before everything else.

`latest` applies the rule to rows already read in recording order (the storage layer orders them),
`latest_frame` to the engine's revision frames. Nothing else in shihyo picks "the current row".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import polars as pl

Row = TypeVar("Row")
Key = TypeVar("Key", bound=Hashable)

REVISION_KEYS = ("code", "org_unit", "period", "kind", "source")


def latest(rows: Iterable[Row], key: Callable[[Row], Key]) -> dict[Key, Row]:
    """The last row of each key, from rows given in recording order (oldest first).

    Withdrawals are kept, so that a caller can tell "withdrawn" from "never recorded"; drop them
    with `present`.
    """
    found: dict[Key, Row] = {}
    for row in rows:
        found[key(row)] = row
    return found


def present(rows: dict[Key, Row], value: Callable[[Row], object]) -> dict[Key, Row]:
    """Only the keys whose latest revision carries a value (not withdrawn)."""
    return {k: row for k, row in rows.items() if value(row) is not None}


def naive_utc(moment: datetime | None) -> datetime | None:
    """Revision times are compared in UTC without a zone (the frames' recorded_at column)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def recorded_by(frame: pl.DataFrame, as_of: datetime | None) -> pl.DataFrame:
    """The revisions of a frame recorded at or before `as_of` (all of them when it is None)."""
    if as_of is None:
        return frame
    moment = naive_utc(as_of)
    return frame.filter(pl.col("recorded_at").is_null() | (pl.col("recorded_at") <= moment))


def latest_frame(frame: pl.DataFrame, as_of: datetime | None, keys: Sequence[str] = REVISION_KEYS) -> pl.DataFrame:
    """The current revision of each key as of a moment, withdrawals dropped (the engine's form of `latest`)."""
    ordered = recorded_by(frame, as_of).with_row_index("_order").sort(["recorded_at", "_order"], nulls_last=False)
    last = ordered.group_by(list(keys), maintain_order=True).last()
    return last.filter(~pl.col("withdrawn").fill_null(False)).drop("_order")
