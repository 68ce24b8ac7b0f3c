"""Row-by-row comparison of two value frames (the engine's `values` columns)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

KEY = ["code", "org_unit", "period"]
EXACT = ["grain", "fiscal_year", "index", "kind", "is_indicator"]
REL_TOL = 1e-9
ABS_TOL = 1e-12  # only for values within rounding of zero (x − x computed in two orders)


@dataclass(frozen=True)
class Comparison:
    compared: int  # rows present in both
    only_left: pl.DataFrame
    only_right: pl.DataFrame
    mismatches: pl.DataFrame  # rows in both that differ: key, both sides' columns
    duplicate_keys: int  # rows sharing a key with another row of the same frame

    @property
    def ok(self) -> bool:
        return (
            self.only_left.height == 0
            and self.only_right.height == 0
            and self.mismatches.height == 0
            and self.duplicate_keys == 0
        )

    def describe(self, left: str = "engine", right: str = "duckdb", limit: int = 10) -> str:
        lines = [
            f"compared {self.compared:,} rows: {self.mismatches.height:,} differ, "
            f"{self.only_left.height:,} only in {left}, {self.only_right.height:,} only in {right}, "
            f"{self.duplicate_keys:,} duplicate keys"
        ]
        with pl.Config(tbl_rows=limit, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=40):
            if self.mismatches.height:
                lines.append(f"differing rows (first {limit}):\n{self.mismatches.head(limit)}")
                by_code = self.mismatches.group_by("code").len().sort("len", descending=True)
                lines.append(f"differing rows by code:\n{by_code.head(limit)}")
            for name, frame in ((left, self.only_left), (right, self.only_right)):
                if frame.height:
                    lines.append(f"only in {name} (first {limit}):\n{frame.head(limit)}")
                    by_code = frame.group_by("code").len().sort("len", descending=True)
                    lines.append(f"only in {name}, by code:\n{by_code.head(limit)}")
        return "\n".join(lines)


def _duplicates(frame: pl.DataFrame) -> int:
    return frame.height - frame.select(KEY).n_unique()


def compare(left: pl.DataFrame, right: pl.DataFrame, rel_tol: float = REL_TOL, abs_tol: float = ABS_TOL) -> Comparison:
    """Same keys, same period columns, kind and flag, values within rel_tol (math.isclose semantics)."""
    columns = KEY + EXACT + ["value"]

    def plain(frame: pl.DataFrame) -> pl.DataFrame:
        """Categorical and enum columns as strings, so that either side may use them."""
        text = [c for c in columns if isinstance(frame.schema[c], (pl.Categorical, pl.Enum))]
        return frame.select(columns).with_columns(pl.col(text).cast(pl.String), pl.lit(True).alias("_in"))

    a, b = plain(left), plain(right)
    joined = a.join(b, on=KEY, how="full", suffix="_right", coalesce=True)
    in_left = pl.col("_in").fill_null(False)
    in_right = pl.col("_in_right").fill_null(False)
    both = joined.filter(in_left & in_right)
    x, y = pl.col("value"), pl.col("value_right")
    close = (x == y) | ((x - y).abs() <= pl.max_horizontal(rel_tol * pl.max_horizontal(x.abs(), y.abs()), abs_tol))
    same = close.fill_null(x.is_null() & y.is_null())
    for column in EXACT:
        same = same & pl.col(column).eq_missing(pl.col(f"{column}_right"))
    mismatches = both.filter(~same).select(
        *KEY, *[c for column in [*EXACT, "value"] for c in (column, f"{column}_right")]
    )
    return Comparison(
        compared=both.height,
        only_left=joined.filter(in_left & ~in_right).select(columns),
        only_right=joined.filter(~in_left & in_right).select(
            *KEY, *[pl.col(f"{c}_right").alias(c) for c in [*EXACT, "value"]]
        ),
        mismatches=mismatches,
        duplicate_keys=_duplicates(left) + _duplicates(right),
    )
