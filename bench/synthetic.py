"""A national-scale synthetic programme: every municipality of Japan reporting on a reform roadmap.

`make_programme()` builds the core model objects directly (no files) and the engine's revisions frame
(REVISION_SCHEMA) with vectorised polars expressions, never a Python object per row:

- org units: a "japan" root (kind city), 47 prefectures (kind bureau) and the municipalities (kind
  department) spread over them in the real proportions (1,741 = 1,718 municipalities + 23 Tokyo wards),
  so the engine's org roll-up makes prefecture and national totals;
- series: themes (窓口, 税務, 福祉, …) of ten series each — counts, hours, staff, print volume, a restated
  print base, a satisfaction rate, procedures online, calls, budget — with sum/last/average time
  aggregation and sum/average/none org aggregation; most are observed per half (FYyyyyH1/H2) so the
  engine rolls halves up to years, two per theme are yearly only;
- observations: actuals for every municipality × series × fiscal year but the last, which is a plan;
  plans for every year of the planned series; estimates for the latest actual year (late reporters keep
  only the estimate); later revisions of some actuals and a few withdrawals; a few data gaps in two series
  (so some prefecture and national totals are incomplete); "reported" national figures;
- indicators: all 13 kinds, in roughly the proportions of a real roadmap, several built on others.

Deterministic for a seed (and a polars version: the noise comes from polars' seeded hash).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import polars as pl

from shihyo.core import expression as expr_lang
from shihyo.core import indicators as ind
from shihyo.core.engine import REVISION_SCHEMA
from shihyo.core.indicators import ChangeMode, Formula, Indicator
from shihyo.core.model import OrgAggregation, OrgUnit, OrgUnitKind, Phase, Programme, Series, TimeAggregation
from shihyo.core.periods import fiscal_year, half

FIRST_YEAR = 2015
ROOT = "japan"

# (code, name, number of municipalities incl. Tokyo's 23 special wards) — they add up to 1,741
PREFECTURES: tuple[tuple[str, str, int], ...] = (
    ("hokkaido", "北海道", 179), ("aomori", "青森県", 40), ("iwate", "岩手県", 33), ("miyagi", "宮城県", 35),
    ("akita", "秋田県", 25), ("yamagata", "山形県", 35), ("fukushima", "福島県", 59), ("ibaraki", "茨城県", 44),
    ("tochigi", "栃木県", 25), ("gunma", "群馬県", 35), ("saitama", "埼玉県", 63), ("chiba", "千葉県", 54),
    ("tokyo", "東京都", 62), ("kanagawa", "神奈川県", 33), ("niigata", "新潟県", 30), ("toyama", "富山県", 15),
    ("ishikawa", "石川県", 19), ("fukui", "福井県", 17), ("yamanashi", "山梨県", 27), ("nagano", "長野県", 77),
    ("gifu", "岐阜県", 42), ("shizuoka", "静岡県", 35), ("aichi", "愛知県", 54), ("mie", "三重県", 29),
    ("shiga", "滋賀県", 19), ("kyoto", "京都府", 26), ("osaka", "大阪府", 43), ("hyogo", "兵庫県", 41),
    ("nara", "奈良県", 39), ("wakayama", "和歌山県", 30), ("tottori", "鳥取県", 19), ("shimane", "島根県", 19),
    ("okayama", "岡山県", 27), ("hiroshima", "広島県", 23), ("yamaguchi", "山口県", 19), ("tokushima", "徳島県", 24),
    ("kagawa", "香川県", 17), ("ehime", "愛媛県", 20), ("kochi", "高知県", 34), ("fukuoka", "福岡県", 60),
    ("saga", "佐賀県", 20), ("nagasaki", "長崎県", 21), ("kumamoto", "熊本県", 45), ("oita", "大分県", 18),
    ("miyazaki", "宮崎県", 26), ("kagoshima", "鹿児島県", 43), ("okinawa", "沖縄県", 41),
)  # fmt: skip

THEMES: tuple[tuple[str, str], ...] = (
    ("madoguchi", "窓口"),
    ("zeimu", "税務"),
    ("fukushi", "福祉"),
    ("kosodate", "子育て"),
    ("kyoiku", "教育"),
    ("bosai", "防災"),
)


@dataclass(frozen=True)
class _Role:
    """One series of a theme."""

    key: str
    name: str
    unit: str
    decimals: int
    time: TimeAggregation
    org: OrgAggregation
    halves: bool  # observed per half (else per fiscal year)
    planned: bool  # plan figures for every year (else only for the last year)


_S, _L, _A = TimeAggregation.SUM, TimeAggregation.LAST, TimeAggregation.AVERAGE
_OS, _OA, _ON = OrgAggregation.SUM, OrgAggregation.AVERAGE, OrgAggregation.NONE

ROLES: tuple[_Role, ...] = (
    _Role("online", "電子申請件数", "件", 0, _S, _OS, halves=True, planned=True),
    _Role("counter", "窓口申請件数", "件", 0, _S, _OS, halves=True, planned=True),
    _Role("hours", "超過勤務時間", "時間", 0, _S, _OS, halves=True, planned=True),
    _Role("staff", "対象職員数", "人", 0, _L, _OS, halves=True, planned=False),
    _Role("print", "印刷枚数", "枚", 0, _S, _OS, halves=True, planned=True),
    _Role("print_base", "印刷枚数の基準値（各年度補正）", "枚", 0, _S, _ON, halves=False, planned=False),
    _Role("satisfaction", "利用者満足度", "%", 1, _A, _OA, halves=True, planned=False),
    _Role("procedures", "オンライン化済み手続数", "件", 0, _L, _OA, halves=True, planned=False),
    _Role("calls", "問合せ件数", "件", 0, _S, _OS, halves=True, planned=False),
    _Role("budget", "事業費", "千円", 0, _S, _OS, halves=False, planned=False),
)
ROLE_INDEX = {role.key: i for i, role in enumerate(ROLES)}
# (role, theme index) with a few missing halves: no year (sum, average) or the last half present (last)
GAPPY = {("calls", 0), ("staff", 0), ("calls", 1), ("print", 3)}


@dataclass(frozen=True)
class Layout:
    """The shape of a synthetic programme (everything but the figures)."""

    municipalities: int
    prefectures: int
    series: int
    years: int
    indicators: int
    seed: int

    @property
    def first_year(self) -> int:
        return FIRST_YEAR

    @property
    def last_year(self) -> int:
        return FIRST_YEAR + self.years - 1


def _layout(
    municipalities: int, series: int, years: int, indicators: int, seed: int, prefectures: int | None
) -> Layout:
    if municipalities < 1 or series < 1 or indicators < 0:
        raise ValueError("need at least one municipality and one series")
    if years < 3:
        raise ValueError("need at least three fiscal years (actuals, the latest actual year and a plan year)")
    if prefectures is None:
        prefectures = min(len(PREFECTURES), max(1, municipalities // 3))
    if not 1 <= prefectures <= min(len(PREFECTURES), municipalities):
        raise ValueError(f"prefectures must be 1..{min(len(PREFECTURES), municipalities)}")
    return Layout(municipalities, prefectures, series, years, indicators, seed)


def make_programme(
    municipalities: int = 1741,
    series: int = 60,
    years: int = 10,
    indicators: int = 80,
    seed: int = 0,
    *,
    prefectures: int | None = None,
) -> tuple[Programme, pl.DataFrame]:
    """The programme and its revisions frame (REVISION_SCHEMA, about 3 M rows at the default scale).

    `prefectures` defaults to 47, or fewer for a small run (about three municipalities each).
    """
    layout = _layout(municipalities, series, years, indicators, seed, prefectures)
    programme = _programme(layout)
    return programme, _revisions(layout, programme)


def make_catalogue(
    municipalities: int = 1741,
    series: int = 60,
    years: int = 10,
    indicators: int = 80,
    seed: int = 0,
    *,
    prefectures: int | None = None,
) -> Programme:
    """Only the programme of `make_programme` (the same object graph, no figures)."""
    return _programme(_layout(municipalities, series, years, indicators, seed, prefectures))


# --- organisation -------------------------------------------------------------------------------


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` over len(weights) parts in proportion, each at least 1 (largest remainder)."""
    n = len(weights)
    spare = total - n
    whole = sum(weights)
    exact = [spare * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(n), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [c + 1 for c in counts]


def _org_units(layout: Layout) -> tuple[OrgUnit, ...]:
    prefs = PREFECTURES[: layout.prefectures]
    counts = _allocate(layout.municipalities, [n for _, _, n in prefs])
    units = [OrgUnit(ROOT, "全国", OrgUnitKind.CITY, name_en="Japan")]
    units += [OrgUnit(code, name, OrgUnitKind.BUREAU, parent=ROOT, name_en=code.title()) for code, name, _ in prefs]
    number = 0
    for (code, name, _), count in zip(prefs, counts, strict=True):
        for i in range(count):
            number += 1
            units.append(OrgUnit(f"m{number:05d}", f"{name}第{i + 1}市町村", OrgUnitKind.DEPARTMENT, parent=code))
    return tuple(units)


def municipality_codes(programme: Programme) -> list[str]:
    return [u.code for u in programme.org_units if u.kind is OrgUnitKind.DEPARTMENT]


# --- series -------------------------------------------------------------------------------------


def _theme(i: int) -> tuple[str, str]:
    return THEMES[i] if i < len(THEMES) else (f"theme{i + 1}", f"分野{i + 1}")


def _series(layout: Layout) -> tuple[Series, ...]:
    out: list[Series] = []
    for n in range(layout.series):
        theme, theme_name = _theme(n // len(ROLES))
        role = ROLES[n % len(ROLES)]
        org = role.org
        if role.key == "print_base" and (n // len(ROLES)) % 2 == 1:
            org = OrgAggregation.SUM  # restated bases add up in every other theme
        out.append(
            Series(
                code=f"{role.key}_{theme}",
                name=f"{theme_name}：{role.name}",
                unit=role.unit,
                decimals=role.decimals,
                name_en=f"{role.key} ({theme})",
                time_aggregation=role.time,
                org_aggregation=org,
                source="合成データ",
            )
        )
    return tuple(out)


# --- indicators ---------------------------------------------------------------------------------

Refs = Mapping[str, str]  # role or template key → code within one theme


@dataclass(frozen=True)
class _Template:
    key: str
    name: str
    unit: str
    decimals: int
    every: int  # made for every n-th theme (1: all themes)
    needs: tuple[str, ...]  # roles and earlier template keys
    build: Callable[[Refs, Layout], Formula]


def _expr(text: str) -> Callable[[Refs, Layout], Formula]:
    def build(r: Refs, _: Layout) -> Formula:
        tree = expr_lang.parse_expression(text)
        codes = {code: r[code] for code in expr_lang.references(tree)}
        rewritten = expr_lang.to_text(_rename(tree, codes))
        return ind.Expression(rewritten, expr_lang.parse_expression(rewritten))

    return build


def _rename(node: expr_lang.Node, codes: Mapping[str, str]) -> expr_lang.Node:
    match node:
        case expr_lang.Ref(code):
            return expr_lang.Ref(codes[code])
        case expr_lang.Negate(operand):
            return expr_lang.Negate(_rename(operand, codes))
        case expr_lang.BinaryOp(op, left, right):
            return expr_lang.BinaryOp(op, _rename(left, codes), _rename(right, codes))
        case expr_lang.Call(function, args):
            return expr_lang.Call(function, tuple(_rename(a, codes) for a in args))
    return node


def _base(layout: Layout, offset: int = 0) -> ind.BasePeriod:
    return ind.BasePeriod(fiscal_year(layout.first_year + offset))


_PCT = "%"


def _t(
    key: str,
    name: str,
    unit: str,
    decimals: int,
    every: int,
    needs: tuple[str, ...],
    build: Callable[[Refs, Layout], Formula],
) -> _Template:
    return _Template(key, name, unit, decimals, every, needs, build)


TEMPLATES: tuple[_Template, ...] = (
    # the first thirteen cover every kind, so a small programme has them all
    _t("total", "申請件数合計", "件", 0, 1, ("online", "counter"), lambda r, _: ind.SumOf((r["online"], r["counter"]))),
    _t("online_share", "電子申請率", _PCT, 1, 1, ("online", "total"), lambda r, _: ind.Share(r["online"], r["total"])),
    _t(
        "online_per_counter",
        "窓口1件あたり電子申請",
        "件",
        2,
        1,
        ("online", "counter"),
        lambda r, _: ind.Ratio(r["online"], r["counter"]),
    ),
    _t("total_yoy", "申請件数の前年度比", _PCT, 1, 1, ("total",), lambda r, _: ind.YearOverYearChange(r["total"])),
    _t(
        "counter_vs_base",
        "窓口申請件数の基準年度比増減",
        "件",
        0,
        1,
        ("counter",),
        lambda r, lay: ind.ChangeVsBase(r["counter"], _base(lay), ChangeMode.ABSOLUTE),
    ),
    _t(
        "overtime",
        "月平均超過勤務時間",
        "時間",
        1,
        1,
        ("hours", "staff"),
        lambda r, _: ind.PerCapitaPerMonth(r["hours"], r["staff"]),
    ),
    _t("online_cumulative", "電子申請件数（累計）", "件", 0, 2, ("online",), lambda r, _: ind.Cumulative(r["online"])),
    _t(
        "counter_index",
        "窓口申請件数指数",
        "",
        1,
        2,
        ("counter",),
        lambda r, lay: ind.IndexToBase(r["counter"], _base(lay)),
    ),
    _t(
        "procedure_coverage",
        "手続オンライン化率",
        _PCT,
        1,
        2,
        ("procedures",),
        lambda r, _: ind.Coverage(r["procedures"], Decimal(300), "対象手続数（300件）"),
    ),
    _t(
        "saved_hours",
        "窓口削減による削減時間",
        "時間",
        0,
        2,
        ("counter_vs_base",),
        lambda r, _: ind.Effect(r["counter_vs_base"], Decimal(-5), Decimal(60)),
    ),
    _t(
        "balance",
        "電子申請超過分と電子申請倍率",
        "件",
        1,
        2,
        ("online", "counter", "staff"),
        _expr("max(online - counter, 0) / staff + min(online / counter, 10)"),
    ),
    _t(
        "share_points",
        "電子申請率の前年度差",
        "ポイント",
        1,
        2,
        ("online_share",),
        lambda r, _: ind.PointDifference(r["online_share"], None),
    ),
    _t(
        "satisfaction_value",
        "利用者満足度",
        _PCT,
        1,
        2,
        ("satisfaction",),
        lambda r, _: ind.SeriesValue(r["satisfaction"]),
    ),
    _t(
        "print_vs_restated",
        "印刷枚数の補正基準比",
        _PCT,
        1,
        2,
        ("print", "print_base"),
        lambda r, _: ind.ChangeVsBase(r["print"], ind.BaseSeries(r["print_base"]), ChangeMode.PERCENT),
    ),
    _t(
        "calls_per_case",
        "申請100件あたり問合せ件数",
        "件",
        1,
        1,
        ("calls", "total"),
        lambda r, _: ind.Ratio(r["calls"], r["total"], Decimal(100)),
    ),
    _t(
        "cases_per_staff",
        "職員1人あたり申請件数",
        "件",
        1,
        3,
        ("online", "counter", "staff"),
        _expr("(online + counter) / staff * 0.5 - abs(-online / 1000)"),
    ),
    _t(
        "calls_change",
        "問合せ件数の前年度差",
        "件",
        0,
        3,
        ("calls",),
        lambda r, _: ind.ChangeVsBase(r["calls"], None, ChangeMode.ABSOLUTE),
    ),
    _t(
        "hours_vs_first_half",
        "超過勤務時間の初年度上期比",
        _PCT,
        1,
        3,
        ("hours",),
        lambda r, lay: ind.ChangeVsBase(r["hours"], ind.BasePeriod(half(lay.first_year, 1)), ChangeMode.PERCENT),
    ),
    _t("calls_yoy", "問合せ件数の前年度比", _PCT, 1, 2, ("calls",), lambda r, _: ind.YearOverYearChange(r["calls"])),
    _t(
        "cost_per_case",
        "申請1件あたり事業費",
        "円",
        0,
        2,
        ("budget", "total"),
        lambda r, _: ind.Ratio(r["budget"], r["total"], Decimal(1000)),
    ),
    _t(
        "print_index",
        "印刷枚数指数（補正基準=100）",
        "",
        1,
        2,
        ("print", "print_base"),
        lambda r, _: ind.IndexToBase(r["print"], ind.BaseSeries(r["print_base"])),
    ),
    _t(
        "satisfaction_vs_base",
        "利用者満足度の基準年度差",
        "ポイント",
        1,
        2,
        ("satisfaction",),
        lambda r, lay: ind.PointDifference(r["satisfaction"], _base(lay, 1)),
    ),
    _t(
        "digital_hours",
        "電子化による削減時間",
        "時間",
        0,
        2,
        ("online_cumulative",),
        lambda r, _: ind.Effect(r["online_cumulative"], Decimal(10), Decimal(60)),
    ),
)


def _indicators(layout: Layout, series: tuple[Series, ...]) -> tuple[Indicator, ...]:
    themes = (len(series) + len(ROLES) - 1) // len(ROLES)
    refs: list[dict[str, str]] = [{} for _ in range(themes)]
    for n, s in enumerate(series):
        theme_index, role_index = divmod(n, len(ROLES))
        refs[theme_index][ROLES[role_index].key] = s.code
    out: list[Indicator] = []
    for round_ in range(layout.indicators + 1):  # later rounds repeat the templates under new codes
        made = len(out)
        for template in TEMPLATES:
            for t in range(themes):
                if len(out) == layout.indicators:
                    return tuple(out)
                if round_ == 0 and t % template.every:
                    continue
                r = refs[t]
                if not all(n in r for n in template.needs):
                    continue
                theme, theme_name = _theme(t)
                suffix = "" if round_ == 0 else f"_r{round_ + 1}"
                code = f"{template.key}_{theme}{suffix}"
                out.append(
                    Indicator(
                        code=code,
                        name=f"{theme_name}：{template.name}",
                        unit=template.unit,
                        decimals=template.decimals,
                        formula=template.build(r, layout),
                        name_en=f"{template.key} ({theme})",
                    )
                )
                r[template.key] = code
        if len(out) == made:
            break
    if len(out) < layout.indicators:
        raise ValueError(f"only {len(out)} indicators can be made from {layout.series} series")
    return tuple(out)


def _programme(layout: Layout) -> Programme:
    series = _series(layout)
    mid = layout.first_year + layout.years // 2
    return Programme(
        code="national_dx",
        name="全国自治体DX推進ロードマップ（合成データ）",
        name_en="Nationwide municipal DX roadmap (synthetic)",
        organisation="全国",
        office="ベンチマーク",
        base_period=fiscal_year(layout.first_year),
        report_period=fiscal_year(layout.last_year - 1),
        phases=(
            Phase("1.0", "ロードマップ1.0", fiscal_year(layout.first_year), fiscal_year(mid - 1)),
            Phase("2.0", "ロードマップ2.0", fiscal_year(mid), fiscal_year(layout.last_year)),
        ),
        org_units=_org_units(layout),
        series=series,
        indicators=_indicators(layout, series),
    )


# --- figures ------------------------------------------------------------------------------------


def _uniform(key: pl.Expr, seed: int, salt: int) -> pl.Expr:
    """A deterministic uniform number in [0, 1) per row from an integer key."""
    return (key.hash(seed=seed * 64 + salt) % (1 << 24)).cast(pl.Float64) / float(1 << 24)


def _datetime(year: pl.Expr, month: int, day: int, jitter: pl.Expr) -> pl.Expr:
    """year-month-day plus up to 40 days of jitter (jitter in [0, 1))."""
    start = pl.datetime(year, month, day, time_unit="us")
    return start + pl.duration(minutes=(jitter * 40 * 24 * 60).cast(pl.Int64), time_unit="us")


def _cells(layout: Layout, programme: Programme) -> pl.DataFrame:
    """One row per municipality × series × observed period with its true value and noise."""
    rng = random.Random(layout.seed)
    codes = municipality_codes(programme)
    weights = [min(60.0, max(0.02, rng.lognormvariate(0.0, 1.0))) for _ in codes]
    munis = pl.DataFrame(
        {"m": range(len(codes)), "org_unit": codes, "w": weights},
        schema={"m": pl.Int64, "org_unit": pl.String, "w": pl.Float64},
    )
    series = pl.DataFrame(
        {
            "s": range(len(programme.series)),
            "code": [s.code for s in programme.series],
            "role": [ROLE_INDEX[ROLES[i % len(ROLES)].key] for i in range(len(programme.series))],
            "halves": [ROLES[i % len(ROLES)].halves for i in range(len(programme.series))],
            "planned": [ROLES[i % len(ROLES)].planned for i in range(len(programme.series))],
            "gappy": [(ROLES[i % len(ROLES)].key, i // len(ROLES)) in GAPPY for i in range(len(programme.series))],
            "scale": [rng.uniform(0.5, 2.0) for _ in programme.series],
        },
        schema={
            "s": pl.Int64,
            "code": pl.String,
            "role": pl.Int64,
            "halves": pl.Boolean,
            "planned": pl.Boolean,
            "gappy": pl.Boolean,
            "scale": pl.Float64,
        },
    )
    years = list(range(layout.first_year, layout.last_year + 1))
    periods = pl.DataFrame(
        {
            "period": [f"FY{y:04d}{'' if h == 0 else f'H{h}'}" for y in years for h in (0, 1, 2)],
            "fy": [y for y in years for _ in (0, 1, 2)],
            "h": [h for _ in years for h in (0, 1, 2)],
        },
        schema={"period": pl.String, "fy": pl.Int32, "h": pl.Int64},
    )
    plan = series.join(periods, how="cross").filter(pl.col("halves") == (pl.col("h") > 0))
    cells = munis.join(plan, how="cross")
    t = (pl.col("fy") - layout.first_year).cast(pl.Int64)
    key = ((pl.col("m") * 4096 + pl.col("s")) * 256 + t) * 4 + pl.col("h")
    cells = cells.with_columns(
        t.alias("t"),
        _uniform(key, layout.seed, 1).alias("u"),
        _uniform(key, layout.seed, 2).alias("u_kind"),
        _uniform(key, layout.seed, 3).alias("u_rev"),
        _uniform(key, layout.seed, 4).alias("u_time"),
        _uniform(pl.col("m") * 4096 + pl.col("s"), layout.seed, 5).alias("u_late"),
    )
    return cells.with_columns(_value(layout).alias("value")).drop_nulls("value")


def _value(layout: Layout) -> pl.Expr:
    """The observed value of a cell: a trend per role scaled by municipality size, with noise."""
    role, w, s, u, h = pl.col("role"), pl.col("w"), pl.col("scale"), pl.col("u"), pl.col("h")
    progress = pl.col("t").cast(pl.Float64) / float(layout.years - 1)
    online_share = 0.05 + 0.55 * progress
    part = pl.when(h == 0).then(1.0).when(h == 1).then(0.48).otherwise(0.52)  # share of the year's flow
    noise = 0.9 + 0.2 * u
    flow = {
        "online": 4000.0 * w * s * online_share,
        "counter": 4000.0 * w * s * (1.0 - online_share),
        "hours": 2400.0 * w * s * (14.0 - 4.0 * progress),
        "print": 100_000.0 * w * s * (1.0 - 0.5 * progress),
        "calls": 800.0 * w * s * (1.0 + 0.3 * progress),
        "budget": 50_000.0 * w * s * (1.0 + 0.1 * progress),
        "print_base": 100_000.0 * w * s,
    }
    level = {
        "staff": (200.0 * w * s * (1.0 - 0.1 * progress) + 20.0 * (u - 0.5)).clip(lower_bound=1.0).round(0),
        "satisfaction": (55.0 + 20.0 * progress + 20.0 * (u - 0.5) + 2.0 * h.cast(pl.Float64))
        .clip(0.0, 100.0)
        .round(1),
        "procedures": (20.0 + 200.0 * progress + 10.0 * u + 5.0 * h.cast(pl.Float64)).round(0),
    }
    expr: pl.Expr = pl.lit(None, dtype=pl.Float64)
    for name, f in flow.items():
        value = (f * part * noise).round(0)
        if name == "online":  # small municipalities had no online service at first
            value = pl.when((w < 0.3) & (pl.col("t") < 2) & (u < 0.5)).then(0.0).otherwise(value)
        if name == "counter":  # a few counters closed for a half, one for the whole second year
            closed = (u > 0.996) | ((pl.col("m") == 1) & (pl.col("t") == 1))
            value = pl.when(closed).then(0.0).otherwise(value)
        expr = pl.when(role == ROLE_INDEX[name]).then(value).otherwise(expr)
    for name, lv in level.items():
        expr = pl.when(role == ROLE_INDEX[name]).then(lv).otherwise(expr)
    return expr


def _text(value: pl.Expr) -> pl.Expr:
    """The value as a source would write it."""
    whole = value == value.round(0)
    return pl.when(whole).then(value.cast(pl.Int64).cast(pl.String)).otherwise(value.round(1).cast(pl.String))


def _revisions(layout: Layout, programme: Programme) -> pl.DataFrame:
    cells = _cells(layout, programme)
    fy, t, u_kind, u_rev, u_time = pl.col("fy"), pl.col("t"), pl.col("u_kind"), pl.col("u_rev"), pl.col("u_time")
    last = layout.years - 1
    first_gap = (pl.col("m") == 0) & (t == 1) & (pl.col("h") == 2)  # at least one gap at any scale
    gap = pl.col("gappy") & ((u_kind > 0.998) | first_gap) & (t < last)
    late = (t == last - 1) & (pl.col("u_late") < 0.03)  # late reporters: only an estimate for the latest year
    estimate_only = late | ((t < last - 1) & (u_kind < 0.0005))
    has_actual = (t < last) & ~estimate_only & ~gap
    has_estimate = ((t == last - 1) | estimate_only) & ~gap
    has_plan = (t == last) | pl.col("planned")
    decimals1 = pl.col("role") == ROLE_INDEX["satisfaction"]

    def rounded(value: pl.Expr) -> pl.Expr:
        return pl.when(decimals1).then(value.round(1)).otherwise(value.round(0))

    def rows(kind: str, value: pl.Expr, recorded_at: pl.Expr, withdraw: bool = False) -> list[pl.Expr]:
        v = pl.lit(None, dtype=pl.Float64) if withdraw else value
        return [
            pl.col("code"),
            pl.col("org_unit"),
            pl.col("period"),
            pl.lit(kind).alias("kind"),
            pl.lit("").alias("source"),
            v.alias("value"),
            _text(v).alias("text"),
            recorded_at.alias("recorded_at"),
            pl.lit(withdraw).alias("withdrawn"),
        ]

    value = pl.col("value")
    revised = has_actual & (u_rev < 0.15)
    withdrawals = has_actual & pl.col("planned") & (u_rev > 0.9995)
    parts = [
        cells.filter(has_actual).select(rows("actual", value, _datetime(fy + 1, 7, 1, u_time))),
        cells.filter(has_estimate).select(
            rows("estimate", rounded(value * (0.97 + 0.06 * u_rev)), _datetime(fy + 1, 2, 1, u_time))
        ),
        cells.filter(has_plan).select(
            rows("plan", rounded(value * (0.95 + 0.1 * u_kind)), _datetime(fy, 3, 1, u_time))
        ),
        cells.filter(revised).select(
            rows("actual", rounded(value * (0.99 + 0.02 * u_time)), _datetime(fy + 2, 1, 10, u_kind))
        ),
        cells.filter(withdrawals).select(rows("actual", value, _datetime(fy + 2, 3, 20, u_kind), withdraw=True)),
    ]
    del cells
    frame = pl.concat([p.cast(REVISION_SCHEMA) for p in parts], how="vertical")
    return pl.concat([frame, _reported(layout, frame)], how="vertical")


def _reported(layout: Layout, frame: pl.DataFrame) -> pl.DataFrame:
    """National figures as a ministry would publish them: online applications per year, in 万件."""
    online = frame.filter(
        pl.col("code").str.starts_with("online_")
        & (pl.col("kind") == "actual")
        & pl.col("period").str.contains("H")
        & ~pl.col("withdrawn")
    )
    totals = (
        online.group_by("code", pl.col("period").str.slice(0, 6).alias("period"))
        .agg((pl.col("value").sum() / 10_000).round(0).alias("man"))
        .sort("code", "period")
    )
    return totals.select(
        "code",
        pl.lit(ROOT).alias("org_unit"),
        "period",
        pl.lit("reported").alias("kind"),
        pl.lit("白書").alias("source"),
        (pl.col("man") * 10_000).alias("value"),
        (pl.col("man").cast(pl.Int64).cast(pl.String) + "万").alias("text"),
        pl.lit(datetime(layout.last_year, 12, 1)).alias("recorded_at"),
        pl.lit(False).alias("withdrawn"),
    ).cast(REVISION_SCHEMA)
