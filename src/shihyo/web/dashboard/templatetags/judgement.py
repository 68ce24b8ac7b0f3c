"""Template tags for target judgements and projections: the words come from `shihyo.core.judgement_text`."""

from __future__ import annotations

from django import template

from shihyo.core import judgement_text
from shihyo.core.indicators import Indicator
from shihyo.core.model import Programme
from shihyo.core.projection import Projection
from shihyo.core.targets import TargetEvaluation
from shihyo.web.dashboard.templatetags.shihyo import lang

register = template.Library()


@register.simple_tag
def judged_target(
    evaluation: TargetEvaluation | None, indicator: Indicator, programme: Programme
) -> judgement_text.JudgedTarget | None:
    """The target a badge judges, the final target, the guide value, 進捗率 and grade, as text."""
    if evaluation is None:
        return None
    return judgement_text.judged_target(evaluation, indicator, programme.wareki_style, lang())


@register.simple_tag
def projection_words(
    projection: Projection | None, indicator: Indicator, programme: Programme
) -> judgement_text.ProjectionText | None:
    if projection is None:
        return None
    return judgement_text.projection_text(projection, indicator, programme.wareki_style, lang())
