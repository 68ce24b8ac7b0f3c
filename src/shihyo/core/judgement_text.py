"""How a target judgement and a projection are written, in Japanese and English, for every surface.

The CLI, the dashboard and the three report formats print a badge only with the target it judges (its
period and value, and whether it is a point the programme set or the interpolated path) and the final
target; the words for that are made here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shihyo.core import period_labels
from shihyo.core.formatting import format_value
from shihyo.core.indicators import Indicator
from shihyo.core.periods import Period, WarekiStyle
from shihyo.core.projection import Projection, method_label, outlook_label
from shihyo.core.targets import TargetEvaluation

GUIDE = ("目安（直線補間）", "guide (linear interpolation)")
SET = ("設定目標", "set target")
PROJECTION = ("予測", "projection")


def pair(words: tuple[str, str], lang: str) -> str:
    return words[0] if lang == "ja" else words[1]


def _fy(period: Period, style: WarekiStyle, lang: str) -> str:
    """A target's year as a heading writes it: R3年度, 令和3年度 (年度 once), FY2021."""
    return period_labels.heading(period, style, lang)


def value_text(value: Decimal, indicator: Indicator, lang: str) -> str:
    return format_value(value, indicator.unit, indicator.decimals, lang)


def percent_text(value: Decimal, lang: str, decimals: int = 1) -> str:
    return format_value(value, "%", decimals, lang)


@dataclass(frozen=True)
class JudgedTarget:
    """The words around one badge: the target it judges, the final target, 進捗率 and grade."""

    judged: str  # "R3年度目標 33.2%" or "R4年度 目安（直線補間） 45.0%"
    final: str  # "最終目標 R7年度 70.0%"
    guide: str  # "目安（直線補間） R3年度 23.1%" where the year has a guide value and it is not the judged target
    progress: str  # "進捗率 103.1%（R3年度目標に対して）" or ""
    grade: str  # "評価 S" or ""


def judged_target(e: TargetEvaluation, indicator: Indicator, style: WarekiStyle, lang: str) -> JudgedTarget:
    ja = lang == "ja"
    period = _fy(e.compared_period, style, lang)
    value = value_text(e.compared_with, indicator, lang)
    if e.judged_set:
        judged = f"{period}目標 {value}" if ja else f"{period} target {value}"
    else:
        judged = f"{period} {GUIDE[0]} {value}" if ja else f"{period} {GUIDE[1]}: {value}"
    final_period = _fy(e.final.period, style, lang)
    final_value = value_text(e.final.value, indicator, lang)
    final = f"最終目標 {final_period} {final_value}" if ja else f"final target {final_period} {final_value}"
    guide = ""
    if e.guide is not None and e.judged_set:
        here = _fy(e.period, style, lang)
        guide_value = value_text(e.guide, indicator, lang)
        guide = f"{GUIDE[0]} {here} {guide_value}" if ja else f"{GUIDE[1]} {here}: {guide_value}"
    progress = ""
    if e.progress is not None:
        against = f"{period}目標に対して" if ja and e.judged_set else (f"{period}の目安に対して" if ja else "")
        if not ja:
            against = f"towards the {period} {'target' if e.judged_set else 'guide'}"
        rate = percent_text(e.progress, lang)
        progress = f"進捗率 {rate}（{against}）" if ja else f"progress {rate} ({against})"
    grade = ""
    if e.grade is not None:
        name = e.grade.grade if ja else (e.grade.name_en or e.grade.grade)
        grade = f"評価 {name}" if ja else f"grade {name}"
    return JudgedTarget(judged, final, guide, progress, grade)


def pace_text(p: Projection, pace: Decimal | None, indicator: Indicator, lang: str) -> str:
    if pace is None:
        return "―"
    if p.pace_in_percent:
        text = format_value(pace, "%", 1, lang, signed=True)
        return f"年{text}" if lang == "ja" else f"{text} a year"
    unit = "ポイント" if indicator.is_rate else indicator.unit
    text = format_value(pace, unit, indicator.decimals, lang, signed=True)
    return f"年{text}" if lang == "ja" else f"{text} a year"


@dataclass(frozen=True)
class ProjectionText:
    target: str  # "R7年度目標 70.0%"
    method: str  # "直線トレンド（直近3年度）"
    inputs: str  # "R1 21.5%、R2 34.9%、R3 51.1%"
    projected: str  # "予測 65.4%" or the reason there is none
    observed: str
    required: str
    ratio: str  # "62%"
    outlook: str  # "加速が必要"
    verdict: str  # "届かない見込み" / "達成見込み" / ""


def projection_text(p: Projection, indicator: Indicator, style: WarekiStyle, lang: str) -> ProjectionText:
    ja = lang == "ja"
    target_period = _fy(p.target_period, style, lang)
    target_value = value_text(p.target_value, indicator, lang)
    target = f"{target_period}目標 {target_value}" if ja else f"{target_period} target {target_value}"
    method = method_label(p.method, lang)
    if p.method.value == "linear":
        method += f"（直近{p.needed}年度）" if ja else f" (last {p.needed} years)"
    sep = "、" if ja else ", "
    inputs = sep.join(f"{period.label(style, lang)} {value_text(v, indicator, lang)}" for period, v in p.inputs)
    if p.projected is None:
        projected = p.reason(lang)
    else:
        projected = f"{pair(PROJECTION, lang)} {value_text(p.projected, indicator, lang)}"
    verdict = ""
    if p.will_meet is True:
        verdict = "達成見込み" if ja else "expected to be met"
    elif p.will_meet is False:
        verdict = "届かない見込み" if ja else "expected to fall short"
    return ProjectionText(
        target=target,
        method=method,
        inputs=inputs,
        projected=projected,
        observed=pace_text(p, p.observed_pace, indicator, lang),
        required=("既に目標水準" if ja else "already at the target")
        if p.already_met
        else pace_text(p, p.required_pace, indicator, lang),
        ratio="―" if p.ratio is None else percent_text(p.ratio * 100, lang, 0),
        outlook=outlook_label(p.outlook, lang),
        verdict=verdict,
    )
