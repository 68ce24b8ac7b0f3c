"""Template helpers of the collection pages: states, steps, problems and numbers in the page's language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from shihyo.core.collection import Action, Change, Role, State
from shihyo.core.labels import label_of
from shihyo.core.numbers import round_half_up
from shihyo.core.problems import Problem
from shihyo.web.dashboard.templatetags.shihyo import lang

register = template.Library()


@register.simple_tag
def state_label(state: str) -> str:
    return label_of(State, state, lang())


@register.simple_tag
def action_label(action: str) -> str:
    return label_of(Action, action, lang())


@register.simple_tag
def role_label(role: str) -> str:
    return label_of(Role, role, lang(), default=role or "—")


@register.simple_tag
def problem_line(problem: Problem) -> str:
    """Place, what is wrong and how to fix it, as one line."""
    return problem.render(lang())


@register.simple_tag
def problem_text(problem: Problem) -> str:
    """What is wrong and how to fix it, without the place (shown beside it)."""
    message, hint = problem.message(lang()), problem.hint(lang())
    return f"{message} — {hint}" if hint else message


@register.filter
def plain_number(value: Decimal | None) -> str:
    """1,971,477 or ▲12.5 (Japanese pages) — the number as stored, with thousands separators."""
    if value is None:
        return ""
    text = f"{abs(value).normalize():,f}"
    sign = ("▲" if lang() == "ja" else "−") if value < 0 else ""
    return sign + text


@register.filter
def change_text(change: Change | None) -> str:
    """+15.9ポイント for a share; +25.0%（+40） for other figures; ▲ for decreases on Japanese pages."""
    if change is None:
        return ""
    ja = lang() == "ja"
    if change.points:
        unit = "ポイント" if ja else " pt"
        return _signed(round_half_up(change.difference, 1), ja) + unit
    absolute = _signed(change.difference.normalize(), ja, thousands=True)
    if change.ratio is None:
        return absolute
    percent = _signed(round_half_up(change.ratio * 100, 1), ja) + "%"
    return f"{percent}（{absolute}）" if ja else f"{percent} ({absolute})"


def _signed(value: Decimal, ja: bool, thousands: bool = False) -> str:
    text = f"{abs(value):,f}" if thousands else f"{abs(value)}"
    if value < 0:
        return ("▲" if ja else "−") + text
    return "+" + text


@register.filter
def signed_percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    rounded = round_half_up(value, 1)
    if rounded < 0:
        return f"{'▲' if lang() == 'ja' else '−'}{abs(rounded)}%"
    return f"+{rounded}%"
