"""Template filters for official figures: the other value beside the official one, and the mark's note."""

from __future__ import annotations

from django import template

from shihyo.core.official import OfficialFigure
from shihyo.web.dashboard.templatetags.shihyo import lang

register = template.Library()


@register.filter
def official_beside(figure: OfficialFigure) -> str:
    """「公表値16.2 / 再計算16.1」 in the page's language, the official value first."""
    return figure.beside(lang())


@register.filter
def official_note(figure: OfficialFigure) -> str:
    """Which value is official and why (the policy, or who decided, when and why)."""
    return figure.note(lang())
