"""What the report says about targets: the judged target beside each status, grades, guides, projections.

Kept apart from `report.py` so that the report model stays one concern per module; every text comes from
`judgement_text`, as on the dashboard and in the CLI.
"""

from __future__ import annotations

from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.judgement_text import judged_target, projection_text
from shihyo.core.overview import IndicatorCard


def target_text(card: IndicatorCard, result: EvaluationResult, lang: str) -> str:
    """The target the status judges, then the final target: 「R3 33.2%／最終 R7 70.0%」 (compact, for tables).

    An interpolated target on a binding path reads 「R3 目安 41.0%」; a judged final target 「R7 70.0%（最終）」."""
    e = card.target
    if e is None:
        return "―"
    style, ind = result.programme.wareki_style, card.indicator
    judged = f"{e.compared_period.label(style, lang)} {format_value(e.compared_with, ind.unit, ind.decimals, lang)}"
    if not e.judged_set:
        judged = judged.replace(" ", " 目安（直線補間） " if lang == "ja" else " guide ", 1)
    if e.compared_period == e.final.period and e.judged_set:
        return judged + ("（最終）" if lang == "ja" else " (final)")
    final = f"{e.final.period.label(style, lang)} {format_value(e.final.value, ind.unit, ind.decimals, lang)}"
    return f"{judged}／最終 {final}" if lang == "ja" else f"{judged} / final {final}"


def status_text(card: IndicatorCard, lang: str, words: dict[str, str]) -> str:
    """「達成」, with the grade where the programme defines grades: 「達成・S」."""
    text = words[card.status.value]
    grade = card.target.grade if card.target else None
    if grade is None:
        return text
    return f"{text}・{grade.grade}" if lang == "ja" else f"{text} · {grade.grade}"


def judgement_facts(
    card: IndicatorCard, result: EvaluationResult, lang: str, t: dict[str, str], status_words: dict[str, str]
) -> list[tuple[str, str]]:
    """(label, text) of an indicator page: the judged target, the final target, status, 進捗率 and grade,
    the guide value of the year, and the projection with its method, inputs and paces."""
    style = result.programme.wareki_style
    facts: list[tuple[str, str]] = []
    if card.target is not None:
        words = judged_target(card.target, card.indicator, style, lang)
        facts.append((t["judged"], words.judged))
        final = card.target.final
        final_text = format_value(final.value, card.indicator.unit, card.indicator.decimals, lang)
        facts.append((t["final"], f"{final_text}（{final.period.label(style, lang)}）"))
    facts.append((t["status"], status_words[card.status.value]))
    if card.target is not None:
        words = judged_target(card.target, card.indicator, style, lang)
        if words.progress:
            facts.append((t["progress"], " ".join(x for x in (words.progress, words.grade) if x)))
        guide = card.target.guide
        if guide is not None and card.target.judged_set:
            guide_text = format_value(guide, card.indicator.unit, card.indicator.decimals, lang)
            facts.append((t["guide"], f"{guide_text}（{card.target.period.label(style, lang)}）"))
    if card.projection is not None:
        p = projection_text(card.projection, card.indicator, style, lang)
        sep = "。" if lang == "ja" else ". "
        detail = [f"{p.target}: {p.projected}" + (f"（{p.verdict}）" if lang == "ja" and p.verdict else "")]
        if lang == "en" and p.verdict:
            detail[0] += f" ({p.verdict})"
        detail.append(f"{p.method}: {p.inputs}")
        if card.projection.projected is not None:
            pace = "必要なペース" if lang == "ja" else "required pace"
            seen = "実績のペース" if lang == "ja" else "pace so far"
            comma = "、" if lang == "ja" else ", "
            detail.append(f"{seen} {p.observed}{comma}{pace} {p.required}")
        facts.append((t["projection"], sep.join(detail)))
    return facts
