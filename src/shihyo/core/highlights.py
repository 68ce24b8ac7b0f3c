"""Highlight sentences written by rules from the evaluation, in Japanese and English.

Each highlight keeps the figures it was written from (code, org unit, period, value), so every sentence
can be traced to the engine's numbers. Differences of rates are written in points (ポイント).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shihyo.core import period_labels
from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.indicators import (
    ChangeVsBase,
    Effect,
    Indicator,
    IndicatorKind,
    PointDifference,
    YearOverYearChange,
)
from shihyo.core.model import Direction
from shihyo.core.overview import IndicatorCard
from shihyo.core.periods import Grain, Period
from shihyo.core.projection import method_label
from shihyo.core.targets import Status, Streak, Trend, streak


@dataclass(frozen=True)
class Figure:
    code: str
    org_unit: str
    period: Period
    value: Decimal


@dataclass(frozen=True)
class Highlight:
    # target_exceeded | ahead_of_schedule | behind_target | projection_short | projection_on_track | rebound |
    # streak | largest_change | effect
    rule: str
    code: str
    text_ja: str
    text_en: str
    figures: tuple[Figure, ...]

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_ja


def _name(indicator: Indicator, lang: str) -> str:
    return (indicator.name_en or indicator.name) if lang == "en" else indicator.name


def _v(value: Decimal, indicator: Indicator, lang: str, signed: bool = False) -> str:
    return format_value(value, indicator.unit, indicator.decimals, lang, signed=signed)


def _gap(value: Decimal, indicator: Indicator, lang: str) -> str:
    """A margin: in points for rates, else in the indicator's unit; always unsigned (the words say which way)."""
    unit = "ポイント" if indicator.is_rate else indicator.unit
    if unit == "ポイント":
        return format_value(abs(value), unit, indicator.decimals, lang).lstrip("+")
    return format_value(abs(value), unit, indicator.decimals, lang)


def target_highlights(card: IndicatorCard, result: EvaluationResult) -> list[Highlight]:
    e = card.target
    if e is None or card.latest is None:
        return []
    ind, style = card.indicator, result.programme.wareki_style
    p, pe = period_labels.year_stem(e.period, style), e.period.label(style, "en")
    figures = (Figure(ind.code, card.org_unit, e.period, e.value),)
    out = []
    if e.years_ahead > 0 and e.met_final:
        fp, fpe = period_labels.year_stem(e.final.period, style), e.final.period.label(style, "en")
        out.append(
            Highlight(
                "ahead_of_schedule",
                ind.code,
                f"{_name(ind, 'ja')}は{p}年度に{_v(e.value, ind, 'ja')}となり、{fp}年度の目標"
                f"（{_v(e.final.value, ind, 'ja')}）を既に達成しました（{e.years_ahead}年前倒し）。",
                f"{_name(ind, 'en')} reached {_v(e.value, ind, 'en')} in {pe}, already meeting the {fpe} target "
                f"({_v(e.final.value, ind, 'en')}): {e.years_ahead} year{'s' if e.years_ahead > 1 else ''} ahead of "
                "schedule.",
                figures,
            )
        )
    out.extend(_judged_highlights(card, result))
    return out


def _judged_highlights(card: IndicatorCard, result: EvaluationResult) -> list[Highlight]:
    """Met or missed, in the words of the target's direction: a lower-is-better target met is 下回り、達成."""
    e = card.target
    if e is None or e.status not in (Status.ACHIEVED, Status.BEHIND, Status.ON_TRACK):
        return []
    ind, style = card.indicator, result.programme.wareki_style
    p, pe = period_labels.year_stem(e.period, style), e.period.label(style, "en")
    tp, tpe = period_labels.year_stem(e.compared_period, style), e.compared_period.label(style, "en")
    what_ja = f"{tp}年度の目標" if e.judged_set else f"{tp}年度の目安（直線補間）"
    what_en = f"the {tpe} target" if e.judged_set else f"the {tpe} guide (linear interpolation)"
    target_ja, target_en = _v(e.compared_with, ind, "ja"), _v(e.compared_with, ind, "en")
    gap_ja, gap_en = _gap(e.margin, ind, "ja"), _gap(e.margin, ind, "en")
    lower = e.direction is Direction.LOWER
    head_ja = f"{p}年度の{_name(ind, 'ja')}は{_v(e.value, ind, 'ja')}で、"
    head_en = f"{_name(ind, 'en')} was {_v(e.value, ind, 'en')} in {pe}, "
    figures = (Figure(ind.code, card.org_unit, e.period, e.value),)
    met = e.margin >= 0
    if met and e.margin == 0:
        ja, en = f"{what_ja}{target_ja}を達成しました。", f"meeting {what_en} of {target_en} exactly."
    elif met:
        side_ja, side_en = ("下回り", "below") if lower else ("上回り", "above")
        ja = f"{what_ja}{target_ja}を{gap_ja}{side_ja}、達成しました。"
        en = f"{gap_en} {side_en} {what_en} of {target_en}: met."
    elif lower:
        ja = f"{what_ja}{target_ja}を{gap_ja}上回っており、達成していません。"
        en = f"{gap_en} above {what_en} of {target_en}: not met."
    else:
        ja = f"{what_ja}{target_ja}に{gap_ja}届いていません。"
        en = f"{gap_en} short of {what_en} of {target_en}: not met."
    rule = "target_exceeded" if met else "behind_target"
    return [Highlight(rule, ind.code, head_ja + ja, head_en + en, figures)]


def projection_highlights(card: IndicatorCard, result: EvaluationResult) -> list[Highlight]:
    """「このままのペースではR7年度目標70.0%に届かない見込みです（予測58.0%）」, from the card's projection."""
    proj = card.projection
    if proj is None or proj.projected is None or proj.already_met or card.latest is None:
        return []
    if card.target is not None and card.target.status is Status.ACHIEVED and card.target.met_final:
        return []
    ind, style = card.indicator, result.programme.wareki_style
    tp, tpe = period_labels.year_stem(proj.target_period, style), proj.target_period.label(style, "en")
    target_ja, target_en = _v(proj.target_value, ind, "ja"), _v(proj.target_value, ind, "en")
    got_ja, got_en = _v(proj.projected, ind, "ja"), _v(proj.projected, ind, "en")
    method_ja, method_en = method_label(proj.method, "ja"), method_label(proj.method, "en")
    figures = tuple(Figure(ind.code, card.org_unit, period, value) for period, value in proj.inputs)
    name_ja, name_en = _name(ind, "ja"), _name(ind, "en")
    if proj.will_meet:
        return [
            Highlight(
                "projection_on_track",
                ind.code,
                f"{name_ja}は、このままのペースで{tp}年度目標{target_ja}を達成する見込みです（予測{got_ja}、{method_ja}）。",
                f"At the pace so far, {name_en} will meet the {tpe} target of {target_en} "
                f"(projected {got_en}, {method_en}).",
                figures,
            )
        ]
    short_ja = "に届かない" if proj.direction is Direction.HIGHER else "を達成できない"
    short_en = "fall short of" if proj.direction is Direction.HIGHER else "not get down to"
    return [
        Highlight(
            "projection_short",
            ind.code,
            f"{name_ja}は、このままのペースでは{tp}年度目標{target_ja}{short_ja}見込みです（予測{got_ja}、{method_ja}）。",
            f"At the pace so far, {name_en} will {short_en} the {tpe} target of {target_en} "
            f"(projected {got_en}, {method_en}).",
            figures,
        )
    ]


def _change_on_year_before(indicator: Indicator) -> bool:
    """An indicator that is itself a change on the year before (or the same half a year before): its own run
    of rises and falls would read as the quantity rising or falling, so it has no trend highlight."""
    f = indicator.formula
    return (
        isinstance(f, YearOverYearChange)
        or (isinstance(f, ChangeVsBase) and f.base is None)
        or (isinstance(f, PointDifference) and f.against is None)
    )


def trend_highlights(card: IndicatorCard, result: EvaluationResult, change_code: str | None) -> list[Highlight]:
    if card.latest is None or _change_on_year_before(card.indicator):
        return []
    ind = card.indicator
    s = streak(result, ind.code, card.org_unit, card.latest.period, change_code)
    if s is None or s.trend is Trend.FLAT:
        return []
    style = result.programme.wareki_style
    figures = (Figure(ind.code, card.org_unit, card.latest.period, card.latest.value),)
    up_ja, up_en = ("増加", "rose") if s.trend is Trend.INCREASE else ("減少", "fell")
    p, pe = period_labels.heading(card.latest.period, style, "ja"), card.latest.period.label(style, "en")
    if card.latest.period.grain is Grain.HALF:
        return _half_trend(card, s, p, pe, figures)
    if s.reversal_after >= 2 and s.years == 1:
        return [
            Highlight(
                "rebound",
                ind.code,
                f"{_name(ind, 'ja')}は{p}に{_v(card.latest.value, ind, 'ja')}となり、"
                f"{s.reversal_after}年ぶりに{up_ja}しました。",
                f"{_name(ind, 'en')} {up_en} to {_v(card.latest.value, ind, 'en')} in {pe}, the first time in "
                f"{s.reversal_after} years.",
                figures,
            )
        ]
    if s.years >= 2:
        return [
            Highlight(
                "streak",
                ind.code,
                f"{_name(ind, 'ja')}は{p}に{_v(card.latest.value, ind, 'ja')}となり、"
                f"{s.years}年連続で{up_ja}しました。",
                f"{_name(ind, 'en')} {up_en} for {s.years} years in a row, "
                f"to {_v(card.latest.value, ind, 'en')} in {pe}.",
                figures,
            )
        ]
    return []


def _half_trend(card: IndicatorCard, s: Streak, p: str, pe: str, figures: tuple[Figure, ...]) -> list[Highlight]:
    """A half-year's run, worded as a half compared with the same half of the years before (never as a year):
    「…はR5年度上期に38.4%となり、前年同期比で4年連続の増加となりました。」"""
    assert card.latest is not None
    ind, value = card.indicator, card.latest.value
    half_en = "first half" if card.latest.period.index == 1 else "second half"
    up_ja, up_en = ("増加", "rise") if s.trend is Trend.INCREASE else ("減少", "fall")
    head_ja = f"{_name(ind, 'ja')}は{p}に{_v(value, ind, 'ja')}となり、前年同期比で"
    if s.reversal_after >= 2 and s.years == 1:
        return [
            Highlight(
                "rebound",
                ind.code,
                f"{head_ja}{s.reversal_after}年ぶりの{up_ja}となりました。",
                f"{_name(ind, 'en')} was {_v(value, ind, 'en')} in {pe}: the first {up_en} on the {half_en} of "
                f"the year before in {s.reversal_after} years.",
                figures,
            )
        ]
    if s.years >= 2:
        return [
            Highlight(
                "streak",
                ind.code,
                f"{head_ja}{s.years}年連続の{up_ja}となりました。",
                f"{_name(ind, 'en')} was {_v(value, ind, 'en')} in {pe}: a {up_en} on the {half_en} of the year "
                f"before for {s.years} years in a row.",
                figures,
            )
        ]
    return []


def largest_change(cards: list[IndicatorCard], result: EvaluationResult) -> list[Highlight]:
    """The key indicator (not a rate) whose value changed most, in %, from the previous year."""
    moved = [c for c in cards if c.previous_year and c.previous_year.relative is not None and c.latest]
    if not moved:
        return []

    def size(c: IndicatorCard) -> Decimal:
        return abs(c.previous_year.relative) if c.previous_year and c.previous_year.relative is not None else Decimal(0)

    best = max(moved, key=size)
    change, latest, ind = best.previous_year, best.latest, best.indicator
    assert change is not None and change.relative is not None and latest is not None
    style = result.programme.wareki_style
    p, pe = period_labels.heading(latest.period, style, "ja"), latest.period.label(style, "en")
    before = "前年度" if latest.period.grain is Grain.YEAR else "前年同期"
    before_en = "the previous year" if latest.period.grain is Grain.YEAR else "the same period a year before"
    pct_ja = format_value(change.relative, "%", 1, "ja", signed=True)
    pct_en = format_value(change.relative, "%", 1, "en", signed=True)
    return [
        Highlight(
            "largest_change",
            ind.code,
            f"{p}に{before}から最も大きく変化した主要指標は{_name(ind, 'ja')}で、"
            f"{_v(change.absolute, ind, 'ja', signed=True)}（{pct_ja}）でした。",
            f"The key indicator that changed most in {pe} was {_name(ind, 'en')}: "
            f"{_v(change.absolute, ind, 'en', signed=True)} ({pct_en}) on {before_en}.",
            (Figure(ind.code, best.org_unit, latest.period, latest.value),),
        )
    ]


def effect_highlights(result: EvaluationResult, org_unit: str, period: Period) -> list[Highlight]:
    """Effects of a change: the change × a constant (e.g. calls saved × 5 minutes → hours)."""
    programme = result.programme
    indicators = programme.indicator_by_code()
    style = programme.wareki_style
    out = []
    for ind in programme.indicators:
        if ind.kind is not IndicatorKind.EFFECT or not isinstance(ind.formula, Effect):
            continue
        source = indicators.get(ind.formula.of)
        value = result.value(ind.code, org_unit, period)
        change = result.value(ind.formula.of, org_unit, period)
        if source is None or value is None or change is None:
            continue
        f = ind.formula
        factor = f"× {abs(f.factor)}" + ("" if f.divisor == 1 else f" ÷ {f.divisor}")
        out.append(
            Highlight(
                "effect",
                ind.code,
                f"{period_labels.heading(period, style, 'ja')}の{_name(source, 'ja')}"
                f"{_v(change, source, 'ja', signed=True)}"
                f"（{factor}）は、{_name(ind, 'ja')}{_v(value, ind, 'ja')}に相当します。",
                f"In {period.label(style, 'en')}, {_name(source, 'en')} of {_v(change, source, 'en', signed=True)} "
                f"({factor}) amounts to {_name(ind, 'en')} of {_v(value, ind, 'en')}.",
                (Figure(source.code, org_unit, period, change), Figure(ind.code, org_unit, period, value)),
            )
        )
    return out


def change_indicator_for(result: EvaluationResult, code: str) -> str | None:
    """The year-over-year indicator of `code`, whose published figures may extend a streak back in time."""
    for ind in result.programme.indicators:
        if ind.kind is IndicatorKind.YOY_CHANGE and code in ind.operands:
            return ind.code
    return None


def highlights_for(card: IndicatorCard, result: EvaluationResult) -> list[Highlight]:
    """The highlights of one indicator: targets first, then its trend."""
    return (
        target_highlights(card, result)
        + projection_highlights(card, result)
        + trend_highlights(card, result, change_indicator_for(result, card.indicator.code))
    )
