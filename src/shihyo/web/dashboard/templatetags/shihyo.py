"""Template filters that format the engine's numbers the Japanese (or English) way."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shihyo.core import commentary, labels, period_labels
from shihyo.core.completeness import Completeness, describe
from shihyo.core.formatting import format_value
from shihyo.core.indicators import Indicator
from shihyo.core.model import OrgUnit, OrgUnitKind, Programme, TeamKind
from shihyo.core.overview import Change, Point
from shihyo.core.periods import Period
from shihyo.core.targets import Status

register = template.Library()


def lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


@register.filter
def value_of(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return "―"
    return format_value(value, indicator.unit, indicator.decimals, lang())


@register.filter
def margin_of(value: Decimal, indicator: Indicator) -> str:
    """How far past (+) or short of (−) a target: in points for rates."""
    unit = "ポイント" if indicator.is_rate else indicator.unit
    return format_value(value, unit, indicator.decimals, lang(), signed=True)


@register.filter
def wareki(period: Period | None, programme: Programme) -> str:
    return period_labels.short(period, programme.wareki_style, lang()) if isinstance(period, Period) else ""


@register.filter
def period_heading(period: Period | None, programme: Programme) -> str:
    """A period in a title: "R4年度", "令和4年度上期" (年度 once, in the programme's style)."""
    return period_labels.heading(period, programme.wareki_style, lang()) if isinstance(period, Period) else ""


@register.filter
def change_text(change: Change | None, indicator: Indicator) -> str:
    """`+16.2ポイント`, or `▲48,533件（▲2.3%）` for counts."""
    if change is None:
        return "―"
    if change.in_points:
        return format_value(change.absolute, "ポイント", indicator.decimals, lang())
    text = format_value(change.absolute, indicator.unit, indicator.decimals, lang(), signed=True)
    if change.relative is None:
        return text
    relative = format_value(change.relative, "%", 1, lang(), signed=True)
    return f"{text}（{relative}）" if lang() == "ja" else f"{text} ({relative})"


@register.filter
def share_text(value: Decimal) -> str:
    return format_value(value, "%", 1, lang())


@register.simple_tag
def completeness_note(found: Completeness | None, programme: Programme) -> SafeString:
    """「暫定（9区中3区）」 with the missing units named, or nothing when the figure is complete."""
    if found is None or found.complete:
        return mark_safe("")
    units = programme.org_unit_by_code()
    en = lang() == "en"
    names = [(units[code].name_en or units[code].name) if en else units[code].name for code in found.missing]
    missing = (", " if en else "、").join(names)
    return format_html(
        '<span class="mark mark--provisional">{} ({})</span> <span class="missing">{}: {}</span>',
        _("provisional"),
        describe(programme, found, lang()),
        _("not yet in"),
        missing,
    )


@register.filter
def indicator_name(indicator: Indicator) -> str:
    return data_text(indicator.name_en or indicator.name if lang() == "en" else indicator.name)


@register.filter
def kind_label(kind: str) -> str:
    return labels.kind_label(kind, lang())


@register.filter
def status_label(status: str) -> str:
    return labels.label_of(Status, str(status), lang())


@register.simple_tag
def sparkline(points: tuple[Point, ...], width: int = 120, height: int = 32) -> SafeString:
    """A small trend line as inline SVG; decorative (the numbers are on the page as text)."""
    values = [float(p.value) for p in points]
    if len(values) < 2:
        return mark_safe("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 8) / (len(values) - 1)
    coords = [(4 + i * step, height - 4 - (v - low) / span * (height - 8)) for i, v in enumerate(values)]
    actual = [c for c, p in zip(coords, points, strict=True) if p.kind != "plan"]
    plan = [c for c, p in zip(coords, points, strict=True) if p.kind == "plan"]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in actual)
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="2.5" class="spark-plan"/>', ((f"{x:.1f}", f"{y:.1f}") for x, y in plan)
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        '<polyline points="{}" class="spark-line"/>{}</svg>',
        width,
        height,
        width,
        height,
        line,
        dots,
    )


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


@register.filter
def data_text(text: str) -> str:
    """Programme data is often only in Japanese: on English pages mark it so (WCAG 3.1.2 language of parts)."""
    if lang() == "en" and text and JAPANESE.search(str(text)):
        return format_html('<span lang="ja">{}</span>', text)
    return text


@register.filter
def programme_name(programme: Programme) -> str:
    return data_text(programme.name_en or programme.name if lang() == "en" else programme.name)


@register.filter
def unit_name(unit: OrgUnit) -> str:
    return data_text(unit.name_en or unit.name if lang() == "en" else unit.name)


@register.filter
def unit_kind(kind: str) -> str:
    return labels.label_of(OrgUnitKind, str(kind), lang())


@register.filter
def team_kind(kind: str) -> str:
    return labels.label_of(TeamKind, str(kind), lang())


@register.filter
def section_label(section: str) -> str:
    """所見 / 課題 / 対応策 in the page's language."""
    return commentary.section_label(section, lang())


@register.filter
def note_state(state: str) -> str:
    return _("Published") if state == commentary.NoteState.PUBLISHED else _("Draft")


@register.filter
def progress_text(state: str) -> str:
    return commentary.progress_label(commentary.Progress(state), lang())
