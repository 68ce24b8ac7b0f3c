"""A straightforward DuckDB SQL evaluation of a programme, written independently of shihyo's engine.

Same input (the revisions frame of REVISION_SCHEMA) and the same output columns as
`shihyo.core.engine.evaluate(...).values`, computed in SQL from the definitions:

1. current rows: per (code, org unit, period, kind, source) the latest revision recorded at or before
   `as_of` (ties: the later row), withdrawn ones dropped;
2. best kind per (code, org unit, period): actual, else estimate, else plan ("reported" rows are not values);
3. months → halves (6 needed) and halves → years (2 needed) per the series' time aggregation (sum, average:
   all children needed; last: the value of the latest child present), where the parent is not observed;
4. org units → their parent, deepest level first, per the series' org aggregation (all children needed),
   where the parent has no value of its own;
5. one view per indicator, in dependency order, translated from its kind;
6. one query for all of it (series and every indicator view); a derived figure's kind is its weakest
   input's (actual < estimate < plan).

Only the model objects (Programme, Series, Indicator, the expression tree) are read from shihyo.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from graphlib import TopologicalSorter

import duckdb
import polars as pl

from shihyo.core import expression as expr_lang
from shihyo.core import indicators as ind
from shihyo.core.indicators import ChangeMode, Indicator
from shihyo.core.model import OrgUnitKind, Programme
from shihyo.core.periods import Period

VALUE_SCHEMA = pl.Schema(
    {
        "code": pl.String(),
        "org_unit": pl.String(),
        "period": pl.String(),
        "grain": pl.String(),
        "fiscal_year": pl.Int32(),
        "index": pl.Int32(),
        "kind": pl.String(),
        "value": pl.Float64(),
        "is_indicator": pl.Boolean(),
    }
)
VALUE_COLUMNS = list(VALUE_SCHEMA)
# the columns of one code's values: an operand table
WORK = 'org_unit, period, grain, fiscal_year, "index", months, rank, value'


class _ArrowStream:
    """A polars frame offered to DuckDB through the Arrow C stream interface (no pyarrow needed)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self.frame.__arrow_c_stream__(requested_schema)


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _num(value: object) -> str:
    """A DOUBLE literal of exactly the float the engine would use."""
    f = float(str(value))
    if not math.isfinite(f):
        raise ValueError(f"constant {value!r} is not finite")
    return f"CAST('{f!r}' AS DOUBLE)"  # parsed from text: the correctly rounded double


def _table(code: str) -> str:
    return '"v_' + code.replace('"', '""') + '"'


def dependency_order(indicators: Sequence[Indicator]) -> list[Indicator]:
    by_code = {i.code: i for i in indicators}
    graph = {i.code: [o for o in i.operands if o in by_code] for i in indicators}
    return [by_code[c] for c in TopologicalSorter(graph).static_order()]


# --- loading, current rows, best kind -----------------------------------------------------------

_PERIODS = """
CREATE TEMP TABLE periods AS
WITH p AS (SELECT DISTINCT period FROM observed),
parsed AS (
    SELECT period,
        CASE WHEN regexp_full_match(period, 'FY[0-9]{4}') THEN 'Y'
             WHEN regexp_full_match(period, 'FY[0-9]{4}H[12]') THEN 'H'
             WHEN regexp_full_match(period, '[0-9]{4}-[0-9]{2}') THEN 'M'
             WHEN regexp_full_match(period, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN 'D' END AS grain
    FROM p
),
parts AS (
    SELECT period, grain,
        CASE WHEN grain IN ('Y', 'H') THEN CAST(substr(period, 3, 4) AS INTEGER)
             WHEN grain IN ('M', 'D') THEN CAST(substr(period, 1, 4) AS INTEGER) END AS y,
        CASE WHEN grain IN ('M', 'D') THEN CAST(substr(period, 6, 2) AS INTEGER) END AS m,
        CASE WHEN grain = 'H' THEN CAST(substr(period, 8, 1) AS INTEGER) END AS h,
        CASE WHEN grain = 'D' THEN CAST(period AS DATE) END AS d
    FROM parsed
)
SELECT period, grain,
    CAST(CASE WHEN grain IN ('Y', 'H') THEN y WHEN m >= 4 THEN y ELSE y - 1 END AS INTEGER) AS fiscal_year,
    CAST(CASE grain WHEN 'Y' THEN 0 WHEN 'H' THEN h WHEN 'M' THEN (m + 8) % 12 + 1
         ELSE date_diff('day', make_date(CASE WHEN m >= 4 THEN y ELSE y - 1 END, 4, 1), d) END AS INTEGER) AS "index",
    CAST(CASE grain WHEN 'Y' THEN 12 WHEN 'H' THEN 6 WHEN 'M' THEN 1 ELSE 0 END AS INTEGER) AS months
FROM parts
"""


def _observed_sql(as_of: datetime | None) -> str:
    if as_of is not None and as_of.tzinfo is not None:  # recorded_at holds UTC without a zone
        as_of = as_of.astimezone(UTC).replace(tzinfo=None)
    when = "" if as_of is None else f"WHERE recorded_at IS NULL OR recorded_at <= TIMESTAMP '{as_of.isoformat(' ')}'"
    return f"""
CREATE TEMP TABLE observed AS
WITH current AS (
    SELECT code, org_unit, period, kind, value, withdrawn
    FROM revisions {when}
    QUALIFY row_number() OVER (
        PARTITION BY code, org_unit, period, kind, source ORDER BY recorded_at DESC NULLS LAST, _order DESC) = 1
),
ranked AS (
    SELECT code, org_unit, period, value,
        CASE kind WHEN 'actual' THEN 0 WHEN 'estimate' THEN 1 WHEN 'plan' THEN 2 END AS rank
    FROM current
    WHERE NOT coalesce(withdrawn, false) AND kind IN ('actual', 'estimate', 'plan') AND value IS NOT NULL
)
SELECT s.sid, r.org_unit, r.period, min(r.rank) AS rank, arg_min(r.value, r.rank) AS value
FROM ranked r JOIN series s ON s.code = r.code
GROUP BY s.sid, r.org_unit, r.period
"""


# --- roll-ups -----------------------------------------------------------------------------------


def _time_rollup_sql(child: str, parent: str, needed: int) -> str:
    """Fill `parent` periods from complete `child` periods where the parent is not observed."""
    if parent == "H":
        index = '(c."index" - 1) // 6 + 1'
        key = "'FY' || lpad(CAST(c.fiscal_year AS VARCHAR), 4, '0') || 'H' || CAST(" + index + " AS VARCHAR)"
        months = 6
        group = index + ", "
    else:
        index = "0"
        key = "'FY' || lpad(CAST(c.fiscal_year AS VARCHAR), 4, '0')"
        months = 12
        group = ""  # one year per fiscal year (a constant would read as a column position)
    return f"""
INSERT INTO rolled
SELECT r.sid, r.org_unit, r.period, '{parent}', r.fiscal_year, r."index", {months}, r.rank, r.value
FROM (
    SELECT c.sid, c.org_unit, {key} AS period, c.fiscal_year, {index} AS "index",
        max(c.rank) AS rank,
        CASE s.time_aggregation WHEN 'sum' THEN sum(c.value) WHEN 'average' THEN avg(c.value)
             ELSE arg_max(c.value, c."index") END AS value,
        count(*) AS n, s.time_aggregation
    FROM rolled c JOIN series s ON s.sid = c.sid
    WHERE c.grain = '{child}'
    GROUP BY c.sid, c.org_unit, c.fiscal_year, {group}s.time_aggregation
) r
WHERE (r.time_aggregation = 'last' OR r.n = {needed})
  AND NOT EXISTS (SELECT 1 FROM rolled e WHERE e.sid = r.sid AND e.org_unit = r.org_unit AND e.period = r.period)
"""


def _org_rollup_sql(depth: int) -> str:
    """Give each parent of the units at `depth` the aggregate of all its children where it has no value."""
    return f"""
INSERT INTO rolled
SELECT r.sid, r.org_unit, r.period, r.grain, r.fiscal_year, r."index", r.months, r.rank, r.value
FROM (
    SELECT c.sid, l.parent AS org_unit, c.period, c.grain, c.fiscal_year, c."index", c.months,
        max(c.rank) AS rank,
        CASE s.org_aggregation WHEN 'sum' THEN sum(c.value) ELSE avg(c.value) END AS value,
        count(*) AS n
    FROM rolled c
    JOIN org_links l ON l.org_unit = c.org_unit AND l.depth = {depth}
    JOIN series s ON s.sid = c.sid AND s.org_aggregation IN ('sum', 'average')
    GROUP BY c.sid, l.parent, c.period, c.grain, c.fiscal_year, c."index", c.months, s.org_aggregation
) r
JOIN org_children k ON k.parent = r.org_unit
WHERE r.n = k.children
  AND NOT EXISTS (SELECT 1 FROM rolled e WHERE e.sid = r.sid AND e.org_unit = r.org_unit AND e.period = r.period)
"""


def _org_links(programme: Programme) -> list[tuple[str, str, int]]:
    """(unit, parent, depth) of every non-benchmark unit with a parent; depth = number of ancestors."""
    parent_of = {u.code: u.parent for u in programme.org_units if u.kind is not OrgUnitKind.BENCHMARK and u.parent}

    def depth(code: str) -> int:
        seen, d = {code}, 0
        while (p := parent_of.get(code)) is not None and p not in seen:
            seen.add(p)
            d, code = d + 1, p
        return d

    return [(code, parent, depth(code)) for code, parent in parent_of.items() if parent is not None]


# --- indicators ---------------------------------------------------------------------------------


class _Translator:
    """SQL of each indicator kind over operand tables (columns WORK)."""

    def __init__(self, series_ids: dict[str, int]) -> None:
        self.series_ids = series_ids

    def ref(self, code: str) -> str:
        if code in self.series_ids:
            return f"(SELECT {WORK} FROM series_values WHERE sid = {self.series_ids[code]})"
        return _table(code)

    def sql(self, indicator: Indicator) -> str:
        f = indicator.formula
        match f:
            case ind.SeriesValue(of):
                return f"SELECT {WORK} FROM {self.ref(of)}"
            case ind.Ratio(numerator, denominator, factor):
                return self._join([numerator, denominator], f"{_div('a0.value', 'a1.value')} * {_num(factor)}")
            case ind.Share(part, total):
                return self._join([part, total], f"{_div('a0.value', 'a1.value')} * 100.0")
            case ind.SumOf(parts):
                return self._join(list(parts), " + ".join(f"a{i}.value" for i in range(len(parts))))
            case ind.YearOverYearChange(of):
                return self._against(of, None, f"{_div('x.value - b.value', 'b.value')} * 100.0")
            case ind.ChangeVsBase(of, base, mode):
                if mode is ChangeMode.ABSOLUTE:
                    return self._against(of, base, "x.value - b.value")
                return self._against(of, base, f"{_div('x.value - b.value', 'b.value')} * 100.0")
            case ind.PointDifference(of, against):
                return self._against(of, against, "x.value - b.value")
            case ind.PerCapitaPerMonth(total, headcount):
                return self._join([total, headcount], _div("a0.value", "a1.value * a0.months"))
            case ind.Cumulative(of):
                window = 'PARTITION BY org_unit, grain ORDER BY fiscal_year, "index" ROWS UNBOUNDED PRECEDING'
                return _finite(
                    f'SELECT org_unit, period, grain, fiscal_year, "index", months, max(rank) OVER ({window}) AS rank, '
                    f"sum(value) OVER ({window}) AS value FROM {self.ref(of)}"
                )
            case ind.IndexToBase(of, base):
                return self._against(of, base, f"{_div('x.value', 'b.value')} * 100.0")
            case ind.Coverage(of, universe, _):
                return _finite(
                    f'SELECT org_unit, period, grain, fiscal_year, "index", months, rank, '
                    f"value / {_num(universe)} * 100.0 AS value FROM {self.ref(of)}"
                )
            case ind.Effect(of, factor, divisor):
                return _finite(
                    f'SELECT org_unit, period, grain, fiscal_year, "index", months, rank, '
                    f"value * {_num(factor)} / {_num(divisor)} AS value FROM {self.ref(of)}"
                )
            case ind.Expression(_, tree):
                codes = list(expr_lang.references(tree))
                return self._join(codes, _expression(tree, {c: f"a{i}.value" for i, c in enumerate(codes)}))
        raise AssertionError(f"unknown formula {f!r}")  # pragma: no cover

    def _join(self, codes: list[str], value: str) -> str:
        """Inner join of the operands on org unit and period; the period columns of the first."""
        joins = " ".join(
            f"JOIN {self.ref(c)} a{i} ON a{i}.org_unit = a0.org_unit AND a{i}.period = a0.period"
            for i, c in enumerate(codes[1:], start=1)
        )
        rank = "a0.rank" if len(codes) == 1 else "greatest(" + ", ".join(f"a{i}.rank" for i in range(len(codes))) + ")"
        return _finite(
            f'SELECT a0.org_unit, a0.period, a0.grain, a0.fiscal_year, a0."index", a0.months, {rank} AS rank, '
            f"{value} AS value FROM {self.ref(codes[0])} a0 {joins}"
        )

    def _against(self, of: str, base: ind.BasePeriod | ind.BaseSeries | None, value: str) -> str:
        """x joined with its base b: the previous year, a fixed period (from that period on: 0 or 100 there)
        or a restated series."""
        x = self.ref(of)
        if base is None:
            source = (
                f"{x} x JOIN {x} b ON b.org_unit = x.org_unit AND b.grain = x.grain "
                f'AND b."index" = x."index" AND b.fiscal_year + 1 = x.fiscal_year'
            )
        elif isinstance(base, ind.BasePeriod):
            p = base.period
            source = (
                f"{x} x JOIN (SELECT org_unit, rank, value FROM {x} WHERE grain = {_q(p.grain.value)} "
                f'AND fiscal_year = {p.fiscal_year} AND "index" = {p.index}) b ON b.org_unit = x.org_unit '
                f"WHERE x.grain = {_q(p.grain.value)} AND x.fiscal_year >= {p.fiscal_year}"
            )
        else:
            restated = f"SELECT org_unit, period, rank, value FROM {self.ref(base.code)}"
            if base.period is not None:  # at the period the series restates, the figure is its own base
                key = _q(base.period.key)
                restated = (
                    f"{restated} WHERE period <> {key} "
                    f"UNION ALL SELECT org_unit, period, rank, value FROM {x} WHERE period = {key}"
                )
            source = f"{x} x JOIN ({restated}) b ON b.org_unit = x.org_unit AND b.period = x.period"
        return _finite(
            f'SELECT x.org_unit, x.period, x.grain, x.fiscal_year, x."index", x.months, '
            f"greatest(x.rank, b.rank) AS rank, {value} AS value FROM {source}"
        )


def _div(a: str, b: str) -> str:
    """a / b, NULL (no row) when b is zero."""
    return f"(CASE WHEN ({b}) = 0 THEN NULL ELSE ({a}) / ({b}) END)"


def _finite(select: str) -> str:
    return f"SELECT * FROM ({select}) WHERE value IS NOT NULL AND isfinite(value)"


def _expression(node: expr_lang.Node, columns: dict[str, str]) -> str:
    match node:
        case expr_lang.Number(value):
            return _num(value)
        case expr_lang.Ref(code):
            return columns[code]
        case expr_lang.Negate(operand):
            return f"(-{_expression(operand, columns)})"
        case expr_lang.BinaryOp(op, left, right):
            a, b = _expression(left, columns), _expression(right, columns)
            return _div(a, b) if op == "/" else f"({a} {op} {b})"
        case expr_lang.Call(function, args):
            items = [_expression(a, columns) for a in args]
            parts = ", ".join(items)
            if function == "abs":
                return f"abs({parts})"
            # least/greatest skip NULLs; the engine (like the exact evaluator) gives NULL if any argument is NULL
            missing = " OR ".join(f"({item}) IS NULL" for item in items)
            return f"(CASE WHEN {missing} THEN NULL ELSE {'least' if function == 'min' else 'greatest'}({parts}) END)"
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


# --- narrowing ----------------------------------------------------------------------------------

_PERIOD_BOUNDS = """
CREATE TEMP TABLE period_bounds AS
WITH k AS (SELECT DISTINCT period, grain, fiscal_year, "index" FROM series_values),
s AS (
    SELECT period, grain, fiscal_year, "index",
        CASE grain
            WHEN 'Y' THEN make_date(fiscal_year, 4, 1)
            WHEN 'H' THEN make_date(fiscal_year, CASE "index" WHEN 1 THEN 4 ELSE 10 END, 1)
            WHEN 'M' THEN make_date(fiscal_year + CASE WHEN "index" >= 10 THEN 1 ELSE 0 END, ("index" + 2) % 12 + 1, 1)
            ELSE CAST(make_date(fiscal_year, 4, 1) + to_days(CAST("index" AS INTEGER)) AS DATE) END AS start
    FROM k
)
SELECT period, start,
    CASE grain
        WHEN 'Y' THEN make_date(fiscal_year + 1, 3, 31)
        WHEN 'H' THEN CASE "index" WHEN 1 THEN make_date(fiscal_year, 9, 30) ELSE make_date(fiscal_year + 1, 3, 31) END
        WHEN 'M' THEN last_day(start)
        ELSE start END AS "end"
FROM s
"""


def _narrow_sql(periods: Iterable[Period] | None, org_units: Iterable[str] | None) -> str:
    conditions = []
    if org_units is not None:
        units = [_q(u) for u in org_units]
        conditions.append(f"v.org_unit IN ({', '.join(units)})" if units else "false")
    if periods is not None:
        within = [
            f"(b.start >= DATE '{p.start.isoformat()}' AND b.\"end\" <= DATE '{p.end.isoformat()}')" for p in periods
        ]
        conditions.append("(" + (" OR ".join(within) or "false") + ")")
    return " AND ".join(conditions)


# --- the whole evaluation -----------------------------------------------------------------------


def statements(
    programme: Programme,
    as_of: datetime | None = None,
    periods: Sequence[Period] | None = None,
    org_units: Sequence[str] | None = None,
) -> list[str]:
    """Every SQL statement of one evaluation, in order, after the input tables `revisions`, `series`,
    `org_links` and `org_children` are loaded; the last one is the result query."""
    series_ids = {s.code: i for i, s in enumerate(programme.series)}
    out = [
        _observed_sql(as_of),
        _PERIODS,
        "CREATE TEMP TABLE rolled AS SELECT o.sid, o.org_unit, o.period, p.grain, p.fiscal_year, "
        'p."index", p.months, o.rank, o.value FROM observed o JOIN periods p ON p.period = o.period',
        _time_rollup_sql("M", "H", 6),
        _time_rollup_sql("H", "Y", 2),
    ]
    depths = sorted({d for _, _, d in _org_links(programme)}, reverse=True)
    out += [_org_rollup_sql(d) for d in depths]
    # every series' values, stored by series so that reading one series skips the others' row groups
    out.append("CREATE TEMP TABLE series_values AS SELECT * FROM rolled ORDER BY sid")
    translator = _Translator(series_ids)
    indicators = dependency_order(programme.indicators)
    out += [f"CREATE TEMP VIEW {_table(i.code)} AS {translator.sql(i)}" for i in indicators]
    kind = "CASE rank WHEN 0 THEN 'actual' WHEN 1 THEN 'estimate' ELSE 'plan' END"
    cols = 'org_unit, period, grain, fiscal_year, "index"'
    series = "series_values JOIN series s USING (sid)"
    parts = [f"SELECT s.code, {cols}, {kind} AS kind, value, false AS is_indicator FROM {series}"]
    parts += [f"SELECT {_q(i.code)}, {cols}, {kind}, value, true FROM {_table(i.code)}" for i in indicators]
    union = "\nUNION ALL ".join(parts)
    where = _narrow_sql(periods, org_units)
    if periods is not None:
        # every period of an indicator is a period of a series
        out.append(_PERIOD_BOUNDS)
        out.append(f"SELECT v.* FROM ({union}) v JOIN period_bounds b ON b.period = v.period WHERE {where}")
    else:
        out.append(f"SELECT v.* FROM ({union}) v" + (f" WHERE {where}" if where else ""))
    return out


def evaluate_duckdb(
    programme: Programme,
    revisions: pl.DataFrame,
    as_of: datetime | None = None,
    periods: Sequence[Period] | None = None,
    org_units: Sequence[str] | None = None,
    *,
    threads: int | None = None,
) -> pl.DataFrame:
    """Every series and indicator value (the engine's `values` columns), computed by DuckDB."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET produce_arrow_string_view = true")  # polars' own string layout: a cheaper hand-over
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        _load(con, programme, revisions)
        *steps, query = statements(programme, as_of, periods, org_units)
        for sql in steps:
            con.execute(sql)
        values = pl.DataFrame(con.sql(query))
    finally:
        con.close()
    if values.width == 0:
        return pl.DataFrame(schema=VALUE_SCHEMA)
    return values.select(VALUE_COLUMNS).cast(VALUE_SCHEMA)


def _load(con: duckdb.DuckDBPyConnection, programme: Programme, revisions: pl.DataFrame) -> None:
    """The input tables: revisions (with their row order), series rules and the org tree."""
    columns = ["code", "org_unit", "period", "kind", "source", "value", "recorded_at", "withdrawn"]
    tables = {
        "revisions": revisions.select(columns).with_row_index("_order"),
        "series": pl.DataFrame(
            {
                "sid": list(range(len(programme.series))),
                "code": [s.code for s in programme.series],
                "time_aggregation": [s.time_aggregation.value for s in programme.series],
                "org_aggregation": [s.org_aggregation.value for s in programme.series],
            },
            schema={"sid": pl.Int32, "code": pl.String, "time_aggregation": pl.String, "org_aggregation": pl.String},
        ),
        "org_links": pl.DataFrame(
            _org_links(programme), schema={"org_unit": pl.String, "parent": pl.String, "depth": pl.Int32}, orient="row"
        ),
    }
    for name, frame in tables.items():
        con.register(f"{name}_source", _ArrowStream(frame))
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_source")
        con.unregister(f"{name}_source")
    con.execute("CREATE TEMP TABLE org_children AS SELECT parent, count(*) AS children FROM org_links GROUP BY parent")
