"""The annual report as a document model, built once from the evaluation and rendered by each format.

`build_report` decides what the report says (pages, figures, highlights); the folders under
`shihyo.reports` (pdf/, pptx/, xlsx/) only decide how it looks. Every number and sentence comes
from the engine's result; nothing is typed into a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shihyo import __version__
from shihyo.core import period_labels
from shihyo.core.charts import Chart, build_chart
from shihyo.core.commentary import PROGRAMME_WIDE, Commentary, MeasureProgress, Notes, progress_label, roadmap_subjects
from shihyo.core.completeness import describe as describe_completeness
from shihyo.core.engine import EvaluationResult
from shihyo.core.formatting import format_value
from shihyo.core.highlights import Highlight, effect_highlights, highlights_for, largest_change
from shihyo.core.model import Pillar, Programme, Team
from shihyo.core.official import Resolutions, resolve
from shihyo.core.official_rows import indicator_notes, marked
from shihyo.core.overview import AreaCards, IndicatorCard, main_org_unit, overview
from shihyo.core.periods import Grain, Period, WarekiStyle
from shihyo.core.reconcile import Reconciliation
from shihyo.core.report_judgement import judgement_facts, status_text, target_text
from shihyo.core.summary_table import SummarySection, summary_notes, summary_table, summary_years
from shihyo.core.tables import indicator_rows
from shihyo.core.targets import Status, TargetEvaluation

STATUS_TEXT = {
    "ja": {"achieved": "達成", "on_track": "順調", "behind": "遅れ", "not_due": "目標年度前", "no_target": "目標なし"},
    "en": {
        "achieved": "Achieved",
        "on_track": "On track",
        "behind": "Behind",
        "not_due": "Not yet due",
        "no_target": "No target",
    },
}
LABELS = {
    "ja": {
        "overview": "主要指標の概要",
        "summary": "主要指標一覧表",
        "measures": "主要施策一覧表",
        "teams": "推進体制",
        "latest": "実績",
        "previous": "前年度比",
        "previous_half": "前年同期比",
        "base": "基準年度比",
        "target": "目標",
        "judged": "判定の対象",
        "final": "最終目標",
        "progress": "進捗率・評価",
        "guide": "目安（直線補間）",
        "projection": "予測",
        "status": "達成状況",
        "plan": "計画",
        "indicator": "指標",
        "highlights": "ハイライト",
        "commentary": "事務局の所見",
        "commentary_origin": "事務局が記載（数値から自動生成したものではありません）",
        "generated": "数値から自動生成",
        "findings": "所見",
        "issues": "課題",
        "actions": "対応策",
        "measure_progress": "進捗",
        "as_of": "データ基準日",
        "version": "データ版",
        "software": "ソフトウェア",
        "page": "ページ",
        "measure": "具体的施策",
        "tasks": "主要タスク",
        "summary_col": "概要",
        "team": "チーム",
        "since": "設置",
        "members": "構成・主な取組",
        "fiscal_year": "年度",
        "team_kind_team": "推進チーム",
        "team_kind_pt": "プロジェクトチーム",
        "team_kind_advisor": "外部有識者・事業者",
        "published_cell": "※ 公表値（再計算できない値）",
    },
    "en": {
        "overview": "Key indicators at a glance",
        "summary": "Summary table of key indicators",
        "measures": "Measures of the roadmap",
        "teams": "Organisation",
        "latest": "Actual",
        "previous": "vs previous year",
        "previous_half": "vs same half a year before",
        "base": "vs base year",
        "target": "Target",
        "judged": "Judged against",
        "final": "Final target",
        "progress": "Progress and grade",
        "guide": "Guide (linear interpolation)",
        "projection": "Projection",
        "status": "Status",
        "plan": "Plan",
        "indicator": "Indicator",
        "highlights": "Highlights",
        "commentary": "The office's commentary",
        "commentary_origin": "Written by the office (not generated from the figures)",
        "generated": "Generated from the figures",
        "findings": "Findings",
        "issues": "Issues",
        "actions": "Actions",
        "measure_progress": "Progress",
        "as_of": "Data as of",
        "version": "Data version",
        "software": "Software",
        "page": "Page",
        "measure": "Measure",
        "tasks": "Tasks",
        "summary_col": "Summary",
        "team": "Team",
        "since": "Since",
        "members": "Members and work",
        "fiscal_year": "Fiscal year",
        "team_kind_team": "Reform team",
        "team_kind_pt": "Project team",
        "team_kind_advisor": "Adviser",
        "published_cell": "※ published figure (not recomputed)",
    },
}


@dataclass(frozen=True)
class Fact:
    label: str
    text: str


@dataclass(frozen=True)
class IndicatorPage:
    card: IndicatorCard
    title: str
    area: str
    facts: tuple[Fact, ...]
    highlights: tuple[Highlight, ...]
    chart: Chart  # drawn by each format's renderer
    footnotes: tuple[str, ...]
    commentary: Commentary | None = None  # the office's published text for this indicator and period


@dataclass(frozen=True)
class OverviewRow:
    area: str
    indicator: str
    latest: str
    previous: str
    target: str
    status: str
    status_key: str


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    subtitle: str
    organisation: str
    office: str
    period: Period
    period_label: str
    as_of_label: str  # when the data were taken ("2026-11-23 09:30" or "latest")
    data_version: str
    software: str  # the software that wrote it ("shihyo 0.2.0"), shown beside the data version
    overview: tuple[OverviewRow, ...]
    key_highlights: tuple[Highlight, ...]
    indicator_pages: tuple[IndicatorPage, ...]
    years: tuple[str, ...]
    summary: tuple[SummarySection, ...]
    pillars: tuple[Pillar, ...]
    teams: tuple[Team, ...]
    wareki_style: WarekiStyle = WarekiStyle.SLASH
    data_rows: tuple[dict[str, Any], ...] = ()  # the long indicator table (tables.indicator_rows)
    commentary: Commentary | None = None  # the office's published text on the programme for the period
    progress: Mapping[str, MeasureProgress] = field(default_factory=dict)  # by measure or task code
    # commentary on indicators that have no page of their own (not key indicators): (name, text)
    other_commentary: tuple[tuple[str, Commentary], ...] = ()

    def label(self, key: str) -> str:
        if key == "previous" and self.period.grain is Grain.HALF:  # a half is compared with the same half
            key = "previous_half"
        return LABELS[self.lang][key]

    @property
    def summary_notes(self) -> tuple[str, ...]:
        """The notes under the summary table: for each marked cell, the other value and why (※1 …)."""
        return summary_notes(self.summary)

    def progress_text(self, code: str) -> str:
        """The state of a measure or task in the report's period (or as last recorded before it): 実施中."""
        found = self.progress.get(code)
        if found is None:
            return ""
        text = progress_label(found.state, self.lang)
        if found.period != self.period:  # recorded for an earlier period and not changed since
            text += f"（{period_labels.heading(found.period, self.wareki_style, self.lang)}）"
        return text


def _change(card: IndicatorCard, lang: str, base: bool) -> str:
    change = card.vs_base if base else card.previous_year
    if change is None:
        return "―"
    ind = card.indicator
    if change.in_points:
        return format_value(change.absolute, "ポイント", ind.decimals, lang)
    text = format_value(change.absolute, ind.unit, ind.decimals, lang, signed=True)
    if change.relative is None:
        return text
    relative = format_value(change.relative, "%", 1, lang, signed=True)
    return f"{text}（{relative}）" if lang == "ja" else f"{text} ({relative})"


def _value(card: IndicatorCard, programme: Programme, lang: str) -> str:
    """The latest value; a roll-up that misses some reporting units says so: 1,234件（暫定・7区中2区）."""
    ind = card.indicator
    shown = card.shown_value  # the official figure where the published and recomputed values differ
    text = "―" if shown is None else marked(format_value(shown, ind.unit, ind.decimals, lang), card.official, lang)
    if card.provisional and card.completeness is not None:
        counted = describe_completeness(programme, card.completeness, lang)
        text += f"（暫定・{counted}）" if lang == "ja" else f" (provisional: {counted})"
    return text


def _facts(card: IndicatorCard, result: EvaluationResult, lang: str, period: Period | None = None) -> tuple[Fact, ...]:
    t = LABELS[lang]
    style = result.programme.wareki_style
    base = result.programme.base_period
    value = _value(card, result.programme, lang)
    latest = f"{value}（{card.latest.period.label(style, lang)}）" if card.latest else value
    shown = card.latest.period if card.latest is not None else period
    half = shown is not None and shown.grain is Grain.HALF
    previous = t["previous_half" if half else "previous"]
    facts = [Fact(t["latest"], latest), Fact(previous, _change(card, lang, base=False))]
    if base is not None:
        facts.append(
            Fact(
                f"{base.label(style, lang)}{'比' if lang == 'ja' else ''}"
                if lang == "ja"
                else f"vs {base.label(style, lang)}",
                _change(card, lang, base=True),
            )
        )
    if card.plan is not None:
        planned = format_value(card.plan.value, card.indicator.unit, card.indicator.decimals, lang)
        facts.append(Fact(t["plan"], f"{planned}（{card.plan.period.label(style, lang)}）"))
    judged = judgement_facts(card, result, lang, LABELS[lang], STATUS_TEXT[lang])
    facts.extend(Fact(label, text) for label, text in judged)
    return tuple(facts)


@dataclass(frozen=True)
class _Disputed:
    """The evaluation and its resolutions, as `official_rows` reads them."""

    result: EvaluationResult
    resolutions: Resolutions


def build_report(
    result: EvaluationResult,
    evaluations: tuple[TargetEvaluation, ...],
    reconciliations: tuple[Reconciliation, ...],
    period: Period,
    *,
    lang: str = "ja",
    as_of_label: str = "",
    data_version: str = "",
    notes: Notes | None = None,
    resolutions: Resolutions | None = None,
) -> Report:
    """Everything the report says about the programme for `period`, as of the result's moment."""
    programme = result.programme
    style = programme.wareki_style
    unit = main_org_unit(programme)
    notes = notes or Notes()
    # without the office's decisions (a report of bare files) the programme's policy decides every case
    resolved = resolutions or resolve(reconciliations, (), programme.show_when_differs)
    groups: tuple[AreaCards, ...] = overview(result, evaluations, reconciliations, period, unit, resolved)
    disputed = _Disputed(result, resolved)
    cards = [c for g in groups for c in g.cards]
    rows, pages = [], []
    for group in groups:
        for c in group.cards:
            name = (c.indicator.name_en or c.indicator.name) if lang == "en" else c.indicator.name
            rows.append(
                OverviewRow(
                    group.area_name,
                    name,
                    _value(c, programme, lang),
                    _change(c, lang, base=False),
                    target_text(c, result, lang),
                    status_text(c, lang, STATUS_TEXT[lang]),
                    c.status.value,
                )
            )
            pages.append(
                IndicatorPage(
                    card=c,
                    title=name,
                    area=f"{group.pillar_name} — {group.area_name}",
                    facts=_facts(c, result, lang, period),
                    highlights=tuple(highlights_for(c, result)),
                    chart=build_chart(result, c.indicator, unit, resolved),
                    # every figure of the indicator whose published and recomputed values differ, and why
                    footnotes=c.indicator.footnotes + indicator_notes(disputed, c.indicator.code, unit, style, lang),
                    commentary=notes.commentary_of(c.indicator.code, period),
                )
            )
    key = [
        h
        for c in cards
        for h in highlights_for(c, result)
        if h.rule in ("ahead_of_schedule", "target_exceeded", "rebound", "behind_target", "projection_short")
    ]
    key += largest_change(cards, result) + effect_highlights(result, unit, period)
    years = summary_years(result)
    title = (programme.name_en or programme.name) if lang == "en" else programme.name
    period_label = period_labels.heading(period, style, lang)
    return Report(
        lang=lang,
        title=title,
        subtitle=(f"{period_label}実績" if lang == "ja" else f"Results for {period_label}"),
        organisation=programme.organisation,
        office=programme.office,
        period=period,
        period_label=period_label,
        as_of_label=as_of_label,
        data_version=data_version,
        software=f"shihyo {__version__}",
        overview=tuple(rows),
        key_highlights=tuple(key),
        indicator_pages=tuple(pages),
        years=tuple(y.label(style, lang) for y in years),
        summary=tuple(summary_table(result, years, lang, resolved)),
        pillars=programme.pillars,
        teams=programme.teams,
        wareki_style=style,
        data_rows=tuple(indicator_rows(result, lang)),
        commentary=notes.commentary_of(PROGRAMME_WIDE, period),
        other_commentary=_other_commentary(programme, notes, period, {p.card.indicator.code for p in pages}, lang),
        progress={
            code: found
            for code in roadmap_subjects(programme)
            if (found := notes.progress_of(code, period)) is not None
        },
    )


def _other_commentary(
    programme: Programme, notes: Notes, period: Period, paged: set[str], lang: str
) -> tuple[tuple[str, Commentary], ...]:
    """Published commentary on indicators without a page, so that nothing the office wrote is left out."""
    found = []
    for indicator in programme.indicators:
        note = notes.commentary_of(indicator.code, period) if indicator.code not in paged else None
        if note is not None:
            found.append(((indicator.name_en or indicator.name) if lang == "en" else indicator.name, note))
    return tuple(found)


def status_counts(report: Report) -> dict[str, int]:
    return {s.value: sum(1 for r in report.overview if r.status_key == s.value) for s in Status}
