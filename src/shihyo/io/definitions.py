"""Parse the YAML documents of a programme directory into the core model, collecting every problem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, assert_never

from shihyo.core import expression as expr_lang
from shihyo.core import indicators as ind
from shihyo.core.indicators import PREVIOUS_YEAR, Base, ChangeMode, Chart, ChartKind, Formula, Indicator, IndicatorKind
from shihyo.core.model import (
    Area,
    Direction,
    Measure,
    OrgAggregation,
    OrgUnit,
    OrgUnitKind,
    PartRelation,
    Phase,
    Pillar,
    Series,
    ShowPolicy,
    Target,
    TargetKind,
    TargetPath,
    TargetPoint,
    Task,
    TaskPhase,
    Team,
    TeamKind,
    TimeAggregation,
)
from shihyo.core.opendata import LICENCES, municipality_code_problem
from shihyo.core.periods import WarekiStyle
from shihyo.core.problems import Problem
from shihyo.io.fields import Fields, list_items
from shihyo.io.judgement import JUDGEMENT_KEYS, parse_judgement

COMMON_INDICATOR_KEYS = (
    "code",
    "name",
    "name_en",
    "unit",
    "decimals",
    "kind",
    "description",
    "footnotes",
    "note",
    "chart",
)
KIND_KEYS: dict[IndicatorKind, tuple[str, ...]] = {
    IndicatorKind.VALUE: ("of",),
    IndicatorKind.RATIO: ("numerator", "denominator", "factor"),
    IndicatorKind.SHARE: ("part", "total"),
    IndicatorKind.SUM: ("parts",),
    IndicatorKind.YOY_CHANGE: ("of",),
    IndicatorKind.CHANGE_VS_BASE: ("of", "base", "mode"),
    IndicatorKind.POINT_DIFFERENCE: ("of", "against"),
    IndicatorKind.PER_CAPITA_PER_MONTH: ("total", "headcount"),
    IndicatorKind.CUMULATIVE: ("of",),
    IndicatorKind.INDEX: ("of", "base"),
    IndicatorKind.COVERAGE: ("of", "universe"),
    IndicatorKind.EFFECT: ("of", "factor", "divisor"),
    IndicatorKind.EXPRESSION: ("expr",),
}


def parse_programme_header(f: Fields) -> dict[str, Any]:
    """The scalar part of programme.yaml (pillars are parsed separately)."""
    f.check_keys(
        (
            "code",
            "name",
            "name_en",
            "organisation",
            "municipality_code",
            "licence",
            "office",
            "wareki_style",
            "base_period",
            "report_period",
            "reconciliation",
            "phases",
            "vision",
            "vision_subtitle",
            "purposes",
            "goals",
            "pillars",
            "note",
            *JUDGEMENT_KEYS,
        )
    )
    phases = []
    for i, item in enumerate(f.items("phases")):
        p = f.child("phases", item, i)
        p.check_keys(("code", "name", "start", "end"))
        start, end = p.period("start", True), p.period("end", True)
        if start and end:
            phases.append(Phase(p.text("code", True), p.text("name", True), start, end))
    return {
        "code": f.code("code"),
        "name": f.text("name", True),
        "name_en": f.text("name_en"),
        "organisation": f.text("organisation"),
        "municipality_code": _municipality_code(f),
        "licence": _licence(f),
        "office": f.text("office"),
        "wareki_style": f.enum("wareki_style", WarekiStyle, WarekiStyle.SLASH),
        "base_period": f.period("base_period"),
        "report_period": f.period("report_period"),
        "show_when_differs": _show_policy(f),
        "phases": tuple(phases),
        "vision": f.text("vision"),
        "vision_subtitle": f.text("vision_subtitle"),
        "purposes": f.texts("purposes"),
        "goals": f.texts("goals"),
        "note": f.text("note"),
        "pillars": tuple(parse_pillar(f.child("pillars", item, i)) for i, item in enumerate(f.items("pillars"))),
        **parse_judgement(f),
    }


def _municipality_code(f: Fields) -> str:
    """The 全国地方公共団体コード, six digits with a valid check digit (see `core.opendata`)."""
    value = f.data.get("municipality_code")
    if value is None:
        return ""
    text = str(value) if isinstance(value, str) else ""
    problem = municipality_code_problem(text) if text else None
    if not text:
        f.problem(
            "municipality_code",
            "全国地方公共団体コードは引用符で囲んだ6桁の文字列にしてください",
            "the local government code must be six digits in quotes",
            "例: municipality_code: '281000'",
            "e.g. municipality_code: '281000'",
        )
    elif problem is not None:
        f.problem("municipality_code", *problem)
    return text if text and problem is None else ""


def _licence(f: Fields) -> str:
    value = f.text("licence")
    if value and value not in LICENCES:
        allowed = ", ".join(LICENCES)
        f.problem(
            "licence",
            f"ライセンス「{value[:40]}」は使えません",
            f"unknown licence '{value[:40]}'",
            f"使える値: {allowed}",
            f"allowed: {allowed}",
        )
        return ""
    return value
def _show_policy(f: Fields) -> ShowPolicy | None:
    """`reconciliation: {show: published | recomputed}`: which value a disputed published figure shows."""
    if not f.has("reconciliation"):
        return None
    r = f.child("reconciliation", f.data.get("reconciliation"))
    r.check_keys(("show",))
    return r.enum("show", ShowPolicy, ShowPolicy.PUBLISHED) if r.has("show") else None


def parse_pillar(f: Fields) -> Pillar:
    f.check_keys(("code", "name", "subtitle", "aim", "areas"))
    areas = tuple(parse_area(f.child("areas", item, i)) for i, item in enumerate(f.items("areas")))
    return Pillar(f.code(item=True), f.text("name", True), f.text("subtitle"), f.text("aim"), areas)


def parse_area(f: Fields) -> Area:
    f.check_keys(("code", "name", "heading", "indicators", "measures"))
    measures = tuple(parse_measure(f.child("measures", item, i)) for i, item in enumerate(f.items("measures")))
    return Area(f.code(item=True), f.text("name", True), f.text("heading"), f.texts("indicators"), measures)


def parse_measure(f: Fields) -> Measure:
    f.check_keys(("code", "name", "summary", "tasks", "note"))
    tasks = tuple(parse_task(f.child("tasks", item, i)) for i, item in enumerate(f.items("tasks")))
    return Measure(f.code(item=True), f.text("name", True), f.texts("summary"), tasks, f.text("note"))


def parse_task(f: Fields) -> Task:
    f.check_keys(("code", "name", "phase", "new", "owner_team", "note"))
    phase = f.enum("phase", TaskPhase, None) if f.has("phase") else None
    return Task(
        f.code(item=True), f.text("name", True), phase, f.boolean("new"), f.optional_text("owner_team"), f.text("note")
    )


def parse_org_unit(f: Fields) -> OrgUnit:
    f.check_keys(("code", "name", "name_en", "kind", "parent"))
    kind = f.enum("kind", OrgUnitKind) or OrgUnitKind.DEPARTMENT
    return OrgUnit(f.code(), f.text("name", True), kind, f.optional_text("parent"), f.text("name_en"))


def parse_team(f: Fields) -> Team:
    f.check_keys(("code", "name", "kind", "started", "members", "member_roles", "projects", "mission", "note"))
    kind = f.enum("kind", TeamKind) or TeamKind.TEAM
    return Team(
        f.code(),
        f.text("name", True),
        kind,
        f.period("started"),
        f.texts("members"),
        f.texts("member_roles"),
        f.texts("projects"),
        f.texts("mission"),
        f.text("note"),
    )


def parse_series(f: Fields) -> Series:
    f.check_keys(
        (
            "code",
            "name",
            "name_en",
            "unit",
            "decimals",
            "time_aggregation",
            "org_aggregation",
            "part_of",
            "relation",
            "note",
            "source",
            "reported_by",
            "range",
        )
    )
    relation = f.enum("relation", PartRelation, None) if f.has("relation") else None
    minimum, maximum = _range(f)
    part_of = f.optional_text("part_of")
    if part_of and relation is None:
        f.problem(
            "relation",
            "「part_of」には「relation」（breakdown か of_which）が必要です",
            "'part_of' needs 'relation' (breakdown or of_which)",
        )
    if relation and not part_of:
        f.problem(
            "part_of",
            "「relation」には「part_of」（全体の系列コード）が必要です",
            "'relation' needs 'part_of' (the code of the whole)",
        )
    return Series(
        code=f.code(),
        name=f.text("name", True),
        unit=f.text("unit", True),
        decimals=f.integer("decimals", 0),
        name_en=f.text("name_en"),
        time_aggregation=f.enum("time_aggregation", TimeAggregation, TimeAggregation.SUM) or TimeAggregation.SUM,
        org_aggregation=f.enum("org_aggregation", OrgAggregation, OrgAggregation.SUM) or OrgAggregation.SUM,
        part_of=part_of,
        relation=relation,
        note=f.text("note"),
        source=f.text("source"),
        reported_by=f.texts("reported_by"),
        minimum=minimum,
        maximum=maximum,
    )


def _range(f: Fields) -> tuple[Decimal | None, Decimal | None]:
    """`range: {min: ▲100, max: 100}`: the values a submission may give (either bound may be left out)."""
    if not f.has("range"):
        return None, None
    bounds = f.child("range", f.data.get("range"))  # a problem is recorded when it is not a mapping
    bounds.check_keys(("min", "max"))
    low, high = bounds.number("min"), bounds.number("max")
    minimum, maximum = (low[0] if low else None), (high[0] if high else None)
    if minimum is not None and maximum is not None and minimum > maximum:
        f.problem(
            "range",
            f"範囲の下限 {low[1] if low else ''} が上限 {high[1] if high else ''} より大きくなっています",
            f"the range's min {low[1] if low else ''} is above its max {high[1] if high else ''}",
            "min ≤ max になるように書いてください",
            "make min at most max",
        )
    return minimum, maximum


def _base(f: Fields, key: str, previous_by_default: bool = False) -> tuple[bool, Base | None]:
    """(valid, base): `previous_year`, {period: …} or {series: …}; None stands for the previous year."""
    value = f.data.get(key)
    if value == PREVIOUS_YEAR or (value is None and previous_by_default):
        return True, None
    if value is None:
        f.problem(
            key,
            f"「{key}」がありません",
            f"'{key}' is missing",
            "previous_year、{period: FY2017}、{series: 系列コード} のいずれかを指定してください",
            "give previous_year, {period: FY2017} or {series: a series code}",
        )
        return False, None
    b = f.child(key, value)
    if not isinstance(value, dict):
        b.problem(
            None,
            f"「{value}」は基準として使えません",
            f"'{value}' cannot be a base",
            "previous_year、{period: FY2017}、{series: 系列コード} のいずれかです",
            "use previous_year, {period: FY2017} or {series: a series code}",
        )
        return False, None
    b.check_keys(("period", "series"))
    if not b.has("period") and not b.has("series"):
        b.problem(None, "period か series を指定してください", "give period or series")
        return False, None
    period = b.period("period") if b.has("period") else None
    if b.has("period") and period is None:
        return False, None
    if b.has("series"):  # with period: the base period the series restates
        return True, ind.BaseSeries(b.text("series"), period)
    return True, ind.BasePeriod(period) if period else None


def _constant(f: Fields, key: str, default: Decimal | None) -> Decimal:
    parsed = f.number(key, required=default is None)
    if parsed is None:
        return default if default is not None else Decimal(1)
    return parsed[0]


def parse_formula(f: Fields, kind: IndicatorKind) -> Formula | None:
    t = f.text
    match kind:
        case IndicatorKind.VALUE:
            return ind.SeriesValue(t("of", True))
        case IndicatorKind.RATIO:
            return ind.Ratio(t("numerator", True), t("denominator", True), _constant(f, "factor", Decimal(1)))
        case IndicatorKind.SHARE:
            return ind.Share(t("part", True), t("total", True))
        case IndicatorKind.SUM:
            parts = f.texts("parts")
            if len(parts) < 2:
                f.problem("parts", "「parts」には2つ以上のコードが必要です", "'parts' needs two or more codes")
            return ind.SumOf(parts)
        case IndicatorKind.YOY_CHANGE:
            return ind.YearOverYearChange(t("of", True))
        case IndicatorKind.CHANGE_VS_BASE:
            valid, base = _base(f, "base")
            mode = f.enum("mode", ChangeMode)
            return ind.ChangeVsBase(t("of", True), base, mode) if valid and mode else None
        case IndicatorKind.POINT_DIFFERENCE:
            valid, against = _base(f, "against", previous_by_default=True)
            return ind.PointDifference(t("of", True), against) if valid else None
        case IndicatorKind.PER_CAPITA_PER_MONTH:
            return ind.PerCapitaPerMonth(t("total", True), t("headcount", True))
        case IndicatorKind.CUMULATIVE:
            return ind.Cumulative(t("of", True))
        case IndicatorKind.INDEX:
            valid, index_base = _base(f, "base")
            if valid and index_base is None:
                f.problem(
                    "base",
                    "指数の基準に previous_year は使えません",
                    "an index needs a fixed base, not previous_year",
                    "{period: FY2017} か {series: 系列コード} を指定してください",
                    "give {period: FY2017} or {series: a series code}",
                )
            return ind.IndexToBase(t("of", True), index_base) if index_base else None
        case IndicatorKind.COVERAGE:
            parsed = f.number("universe", True)
            return ind.Coverage(t("of", True), parsed[0], parsed[1]) if parsed else None
        case IndicatorKind.EFFECT:
            return ind.Effect(t("of", True), _constant(f, "factor", None), _constant(f, "divisor", Decimal(1)))
        case IndicatorKind.EXPRESSION:
            text = t("expr", True)
            try:
                return ind.Expression(text, expr_lang.parse_expression(text))
            except expr_lang.ExpressionError as exc:
                f.problem(
                    "expr",
                    f"式を読めません: {exc.message_ja}（{exc.position + 1}文字目）",
                    f"cannot read the expression: {exc.message_en} (character {exc.position + 1})",
                    "使えるのは + - * / ( ) 数値 コード abs min max です",
                    "use + - * / ( ), numbers, codes, abs, min, max",
                )
                return None
        case _:
            assert_never(kind)


def parse_indicator(f: Fields) -> Indicator | None:
    kind = f.enum("kind", IndicatorKind)
    if kind is None:
        f.check_keys(COMMON_INDICATOR_KEYS + tuple(k for keys in KIND_KEYS.values() for k in keys))
        return None
    f.check_keys(COMMON_INDICATOR_KEYS + KIND_KEYS[kind])
    code, name, unit = f.code(), f.text("name", True), f.text("unit", True)
    decimals = f.integer("decimals", 1)
    formula = parse_formula(f, kind)
    chart = parse_chart(f.child("chart", f.data["chart"])) if f.has("chart") else None
    if formula is None or not code:
        return None
    return Indicator(
        code,
        name,
        unit,
        decimals,
        formula,
        f.text("name_en"),
        f.text("description"),
        f.texts("footnotes"),
        f.text("note"),
        chart,
    )


def parse_chart(f: Fields) -> Chart | None:
    f.check_keys(("kind", "bars", "parts", "compare"))
    kind = f.enum("kind", ChartKind)
    if kind is ChartKind.BAR_LINE and not f.has("bars"):
        f.problem("bars", "bar_line には棒で描く系列（bars）が必要です", "a bar_line chart needs 'bars' (the counts)")
    if kind is ChartKind.STACKED and not f.texts("parts"):
        f.problem("parts", "stacked には積み上げる内訳（parts）が必要です", "a stacked chart needs 'parts'")
    if kind is ChartKind.COMPARISON and not f.texts("compare"):
        f.problem("compare", "comparison には比較する組織（compare）が必要です", "a comparison chart needs 'compare'")
    if kind is None:
        return None
    return Chart(kind, f.optional_text("bars"), f.texts("parts"), f.texts("compare"))


def parse_target(f: Fields) -> Target | None:
    f.check_keys(("indicator", "kind", "base_period", "direction", "org_units", "path", "points", "source", "note"))
    kind = f.enum("kind", TargetKind, TargetKind.LEVEL) or TargetKind.LEVEL
    direction = f.enum("direction", Direction)
    base_period = f.period("base_period")
    if kind is TargetKind.CHANGE_VS_BASE and base_period is None:
        f.problem(
            "base_period",
            "change_vs_base の目標には base_period が必要です",
            "a change_vs_base target needs base_period",
            "例: base_period: FY2017",
            "e.g. base_period: FY2017",
        )
    points = []
    for i, item in enumerate(f.items("points")):
        p = f.child("points", item, i)
        p.check_keys(("period", "value", "final"))
        period, value = p.period("period", True), p.number("value", True)
        if period and value:
            points.append(TargetPoint(period, value[0], bool(p.boolean("final"))))
    if not points:
        f.problem(
            "points",
            "目標値（points）が1つもありません",
            "the target has no points",
            '- {period: FY2025, value: "70", final: true} のように書いてください',
            'write e.g. - {period: FY2025, value: "70", final: true}',
        )
    if sum(p.final for p in points) > 1:
        f.problem("points", "final: true は1つだけにしてください", "only one point may be final: true")
    if len({p.period for p in points}) != len(points):
        f.problem("points", "同じ期間の目標値が重複しています", "two points have the same period")
    if direction is None or not points:
        return None
    return Target(
        f.text("indicator", True),
        kind,
        direction,
        tuple(points),
        base_period,
        f.texts("org_units"),
        f.text("source"),
        f.text("note"),
        f.enum("path", TargetPath, None) if f.has("path") else None,
    )


def parse_list(problems: list[Problem], file: str, data: Any, parse: Any, label: str) -> list[tuple[Any, int]]:
    """Parse each item of a list file with its line; failed items are left out (their problems recorded)."""
    parsed = []
    for i, item in enumerate(list_items(problems, file, data)):
        where = f"{label}[{i}]"
        if isinstance(item, dict) and item.get("code"):
            where = str(item.get("code"))
        elif isinstance(item, dict) and item.get("indicator"):
            where = f"target {item.get('indicator')}"
        fields = Fields(problems, file, item, where)
        result = parse(fields)
        if result is not None:
            parsed.append((result, fields.line))
    return parsed
