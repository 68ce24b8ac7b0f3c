"""The annual report as an editable 16:9 PowerPoint deck, one slide per page of the PDF report.

Slides: cover; key-indicator overview; key highlights; one slide per key indicator (a native chart of the
indicator's chart kind, its facts, highlight sentences and footnotes); the summary table (主要指標一覧表,
split over as many slides as it needs); the measures table; the team structure. Everything is native
PowerPoint (text boxes, tables, charts with their data), every run carries BIZ UDGothic as its Latin and
East Asian font, and the file is reproducible: fixed document dates and zip timestamps, no random ids.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from shihyo.core import period_labels
from shihyo.core.charts import BLUE
from shihyo.core.model import Pillar, Team, TeamKind
from shihyo.core.report import STATUS_TEXT, IndicatorPage, Report, status_counts
from shihyo.core.summary_table import SummarySection
from shihyo.reports.pptx.chart_drawing import add_chart
from shihyo.reports.pptx.charts import plan_chart
from shihyo.reports.pptx.commentary import commentary_paras
from shihyo.reports.pptx.tables import Cell, Grid, add_table, paginate, row_heights
from shihyo.reports.pptx.text import (
    EMU_PER_INCH,
    FONT,
    Para,
    add_text,
    fit_size,
    paragraphs_height,
    rgb,
    set_fonts,
)

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.45
CONTENT_W = SLIDE_W - 2 * MARGIN
CONTENT_TOP = 1.32
CONTENT_BOTTOM = 6.95
TEXT = "#1a1a1c"
MUTED = "#626264"
HEADER_FILL = BLUE
SECTION_FILL = "#e8eefe"
LABEL_FILL = "#f1f1f4"
PLAN_FILL = "#dbe4fd"
ESTIMATE_FILL = "#f4f4f6"
FALLBACK_DATE = datetime(2000, 1, 1)
LEGEND_H = 0.3  # inches under the summary table for its legend line
NOTE_SIZE = 8  # points: the notes of the summary table's ※n cells
MARKS = re.compile(r"※\d+")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

STATUS_STYLE = {  # text colour, fill
    "achieved": ("#197a4b", "#e3f3ea"),
    "on_track": ("#0031d8", "#e8eefe"),
    "behind": ("#c74700", "#fdebe1"),
    "not_due": ("#1a1a1c", "#e6e6e6"),
    "no_target": ("#626264", "#f1f1f4"),
}

# words the report model has no label for
WORDS = {
    "ja": {
        "area": "分野",
        "continued": "（続き）",
        "legend": "網掛け：計画値　斜体：推計値",
        "no_data": "（データなし）",
        "footnotes": "注",
        "kind": "区分",
        "mission": "役割",
        "roles": "構成",
        "projects": "主なプロジェクト",
        "owned": "担当タスク",
        "of_which": "うち",
        "kinds": {"team": "推進チーム", "pt": "プロジェクトチーム（PT）", "advisor": "外部アドバイザー等"},
        "since_suffix": "～",
        "separator": "、",
    },
    "en": {
        "area": "Area",
        "continued": " (continued)",
        "legend": "Shaded: plan   Italic: estimate",
        "no_data": "(no data)",
        "footnotes": "Notes",
        "kind": "Kind",
        "mission": "Role",
        "roles": "Members",
        "projects": "Projects",
        "owned": "Tasks",
        "of_which": "of which ",
        "kinds": {"team": "Reform team", "pt": "Project team", "advisor": "Adviser"},
        "since_suffix": "",
        "separator": ", ",
    },
}


@dataclass
class SlidePlan:
    kind: str  # cover | overview | highlights | commentary | indicator | summary | measures | teams
    title: str = ""
    kicker: str = ""  # the small line above the title
    grid: Grid | None = None
    heights: list[float] = field(default_factory=list)
    page: IndicatorPage | None = None
    paras: list[Para] = field(default_factory=list)


def _words(report: Report) -> dict[str, Any]:
    return WORDS["en" if report.lang == "en" else "ja"]


def _numbered(title: str, i: int, n: int) -> str:
    return f"{title}（{i}/{n}）" if n > 1 else title


def _header(labels: Sequence[str], aligns: Sequence[str] = (), size: float = 10) -> list[Cell]:
    return [
        Cell(text, size=size, bold=True, colour="#ffffff", fill=HEADER_FILL, align=aligns[i] if aligns else "left")
        for i, text in enumerate(labels)
    ]


def _split(grid: Grid, keep: Sequence[bool], room: float, continued: str = "") -> list[tuple[Grid, list[float]]]:
    """`grid` (header rows + body) as one grid per slide, each within `room` inches.

    The header rows repeat on every slide; a section (a `keep` row) cut by a slide break restarts with its
    title and `continued`; a vertically merged cell cut by a break shows its text again.
    """
    h = grid.header_rows
    heights_all = row_heights(grid, minimum=0.26)
    header_h, body_h = sum(heights_all[:h]), heights_all[h:]
    reserve = max((body_h[i] for i, k in enumerate(keep) if k), default=0.0)
    n_cols = len(grid.widths)
    out = []
    for run in paginate(body_h, header_h + reserve, room, keep):
        rows = [list(r) for r in grid.rows[:h]]
        heights = heights_all[:h]
        merges = []
        if run.start > 0 and not keep[run.start] and any(keep[: run.start]):
            section = max(i for i in range(run.start) if keep[i])
            title = grid.rows[h + section]
            rows.append([replace(title[0], text=title[0].text + continued), *title[1:]])
            heights.append(body_h[section])
            merges.append((len(rows) - 1, 0, len(rows) - 1, n_cols - 1))
        offset = len(rows) - run.start
        rows += [list(grid.rows[h + i]) for i in run]
        heights += [body_h[i] for i in run]
        for r0, c0, r1, c1 in grid.merges:
            b0, b1 = r0 - h, min(r1 - h, run.stop - 1)
            if b0 in run:
                merges.append((offset + b0, c0, offset + b1, c1))
            elif b0 < run.start <= r1 - h:  # cut by the break: the first row of the slide shows the text again
                rows[offset + run.start][c0] = grid.rows[r0][c0]
                merges.append((offset + run.start, c0, offset + b1, c1))
        out.append((Grid(grid.widths, rows, merges, h), heights))
    return out


# ---------------------------------------------------------------- planning


def _overview_grid(report: Report, size: float = 10) -> Grid:
    t = report.label
    grid = Grid([1.4, 3.9, 1.4, 2.05, 2.6, 1.1], header_rows=1)
    grid.rows.append(
        _header(
            [_words(report)["area"], t("indicator"), t("latest"), t("previous"), t("target"), t("status")],
            ["left", "left", "right", "right", "right", "center"],
            size,
        )
    )
    start = 1
    for i, row in enumerate(report.overview):
        colour, fill = STATUS_STYLE.get(row.status_key, (TEXT, "#ffffff"))
        first = i == 0 or report.overview[i - 1].area != row.area
        grid.rows.append(
            [
                Cell(row.area if first else "", size, bold=True, fill=LABEL_FILL),
                Cell(row.indicator, size),
                Cell(row.latest, size, align="right"),
                Cell(row.previous, size, align="right"),
                Cell(row.target, size, align="right"),
                Cell(row.status, size, bold=True, align="center", colour=colour, fill=fill),
            ]
        )
        last = i == len(report.overview) - 1 or report.overview[i + 1].area != row.area
        if last:
            r = len(grid.rows) - 1
            if r > start:
                grid.merges.append((start, 0, r, 0))
            start = r + 1
    return grid


def _summary_grid(report: Report, sections: Sequence[SummarySection]) -> tuple[Grid, list[bool]]:
    words = _words(report)
    n = len(report.years)
    name_w = 3.45 if n >= 6 else 4.2
    year_w = (CONTENT_W - name_w) / max(n, 1)
    grid = Grid([name_w] + [year_w] * n, header_rows=1)
    grid.rows.append(_header([report.label("indicator"), *report.years], ["left"] + ["right"] * n))
    keep: list[bool] = []
    for section in sections:
        grid.rows.append(
            [Cell(section.title, bold=True, colour=BLUE, fill=SECTION_FILL)] + [Cell(fill=SECTION_FILL)] * n
        )
        grid.merges.append((len(grid.rows) - 1, 0, len(grid.rows) - 1, n))
        keep.append(True)
        for row in section.rows:
            prefix = words["of_which"] if row.relation == "of_which" else ""
            name = Cell(
                prefix + row.name,
                bold=row.depth == 0,
                indent=0.22 * row.depth,
                colour=TEXT if row.depth == 0 else MUTED,
            )
            cells = [
                Cell(
                    c.text + ("※" if c.kind == "reported" else ""),  # a published figure shihyo cannot recompute
                    align="right",
                    fill=PLAN_FILL if c.kind == "plan" else ESTIMATE_FILL if c.kind == "estimate" else "#ffffff",
                    italic=c.kind == "estimate",
                )
                for c in row.cells
            ]
            grid.rows.append([name, *cells])
            keep.append(False)
    return grid, keep


def _slide_notes(grid: Grid, notes: Sequence[str]) -> list[str]:
    """The notes of the ※n marks in `grid`'s cells (a note starts with its mark: 「※2 …」)."""
    shown = {m for row in grid.rows for c in row for m in MARKS.findall(c.text)}
    return [n for n in notes if n.split(" ", 1)[0] in shown]


def _notes_height(notes: Sequence[str]) -> float:
    """Inches the notes take under a table (nothing for none)."""
    return paragraphs_height(notes, CONTENT_W, NOTE_SIZE) / 72 if notes else 0.0


def _team_names(report: Report) -> dict[str, str]:
    return {t.code: t.name for t in report.teams}


def _progress(report: Report, code: str, before: str = "") -> str:
    """The recorded state of a measure or task, ［実施中］, or nothing."""
    state = report.progress_text(code)
    return f"{before}［{state}］" if state else ""


def _measures_grid(report: Report, pillars: Sequence[Pillar]) -> tuple[Grid, list[bool]]:
    words = _words(report)
    teams = _team_names(report)
    grid = Grid([2.45, 2.45, 3.0, 4.53], header_rows=1)
    grid.rows.append(
        _header([words["area"], report.label("measure"), report.label("summary_col"), report.label("tasks")])
    )
    keep: list[bool] = []
    for pillar in pillars:
        heading = f"{pillar.name}　{pillar.subtitle}" if pillar.subtitle else pillar.name
        grid.rows.append([Cell(heading, bold=True, colour=BLUE, fill=SECTION_FILL)] + [Cell(fill=SECTION_FILL)] * 3)
        grid.merges.append((len(grid.rows) - 1, 0, len(grid.rows) - 1, 3))
        keep.append(True)
        for area in pillar.areas:
            start = len(grid.rows)
            for i, measure in enumerate(area.measures):
                area_text = f"{area.name}\n{area.heading}" if area.heading else area.name
                tasks = "\n".join(
                    "・"
                    + task.name
                    + (f"（{teams[task.owner_team]}）" if task.owner_team in teams else "")
                    + _progress(report, task.code)
                    for task in measure.tasks
                )
                grid.rows.append(
                    [
                        Cell(area_text if i == 0 else "", bold=True, fill=LABEL_FILL),
                        Cell(measure.name + _progress(report, measure.code, "\n"), bold=True),
                        Cell("\n".join("・" + s for s in measure.summary)),
                        Cell(tasks or "―"),
                    ]
                )
                keep.append(False)
            if len(grid.rows) - 1 > start:
                grid.merges.append((start, 0, len(grid.rows) - 1, 0))
    return grid, keep


def _team_text(team: Team, report: Report) -> str:
    words = _words(report)
    sep = words["separator"]
    colon = "：" if report.lang == "ja" else ": "
    owned = [
        task.name
        for pillar in report.pillars
        for area in pillar.areas
        for measure in area.measures
        for task in measure.tasks
        if task.owner_team == team.code
    ]
    lines = []
    if team.mission:
        lines.append(words["mission"] + colon + sep.join(team.mission))
    if team.member_roles:
        lines.append(words["roles"] + colon + sep.join(team.member_roles))
    if team.projects:
        lines.append(words["projects"] + colon + sep.join(team.projects))
    if owned:
        lines.append(words["owned"] + colon + sep.join(owned))
    return "\n".join(lines) or "―"


def _teams_grid(report: Report, size: float = 10) -> Grid:
    words = _words(report)
    grid = Grid([3.3, 1.9, 1.25, 5.98], header_rows=1)
    grid.rows.append(
        _header([report.label("team"), words["kind"], report.label("since"), report.label("members")], size=size)
    )
    for team in report.teams:
        kind = team.kind.value if isinstance(team.kind, TeamKind) else str(team.kind)
        since = (
            period_labels.short(team.started, report.wareki_style, report.lang) + words["since_suffix"]
            if team.started
            else "―"
        )
        grid.rows.append(
            [
                Cell(team.name, size, bold=True, fill=LABEL_FILL),
                Cell(words["kinds"].get(kind, kind), size),
                Cell(since, size),
                Cell(_team_text(team, report), size),
            ]
        )
    return grid


def _highlight_paras(report: Report, width: float, height: float) -> list[list[Para]]:
    """The key highlights at the largest size that fits one slide (down to 11 pt), else over several."""
    texts = [h.text(report.lang) for h in report.key_highlights]
    if not texts:
        return [[Para("―", 14)]]
    spacing = {"space_after": 8.0, "indent_em": 1.0}
    size = fit_size(texts, width, height, (16, 15, 14, 13, 12, 11), **spacing)
    pages: list[list[str]] = [[]]
    for text in texts:
        if pages[-1] and paragraphs_height([*pages[-1], text], width, size, **spacing) > height * 72:
            pages.append([])
        pages[-1].append(text)
    return [[Para(text, size, bullet="■", space_after=8) for text in page] for page in pages]


def _one_slide_if_possible(build: Callable[[float], Grid], rows: int, room: float) -> list[tuple[Grid, list[float]]]:
    """A table that fits one slide at 10, 9.5 or 9 pt stays on one slide; otherwise it is split at 10 pt."""
    for size in (10.0, 9.5, 9.0):
        pages = _split(build(size), [False] * rows, room)
        if len(pages) == 1:
            return pages
    return _split(build(10.0), [False] * rows, room)


def plan_deck(report: Report) -> list[SlidePlan]:
    """Every slide of the deck, in order, with its table already split to fit."""
    t = report.label
    deck = [SlidePlan("cover")]
    top_line = f"{report.title}　{report.subtitle}"
    counts = status_counts(report)
    status_line = "・".join(f"{STATUS_TEXT[report.lang][k]} {n}" for k, n in counts.items() if n)
    room = CONTENT_BOTTOM - CONTENT_TOP
    pages = _one_slide_if_possible(lambda size: _overview_grid(report, size), len(report.overview), room)
    for i, (grid, heights) in enumerate(pages, 1):
        deck.append(
            SlidePlan("overview", _numbered(t("overview"), i, len(pages)), f"{top_line}　{status_line}", grid, heights)
        )
    highlight_pages = _highlight_paras(report, CONTENT_W, room)
    for i, paras in enumerate(highlight_pages, 1):
        deck.append(SlidePlan("highlights", _numbered(t("highlights"), i, len(highlight_pages)), top_line, paras=paras))
    if report.commentary is not None:
        paras = commentary_paras(report, report.commentary, CONTENT_W, room)
        deck.append(SlidePlan("commentary", t("commentary"), top_line, paras=paras))
    for name, note in report.other_commentary:
        paras = commentary_paras(report, note, CONTENT_W, room)
        deck.append(SlidePlan("commentary", f"{t('commentary')}：{name}", top_line, paras=paras))
    for page in report.indicator_pages:
        deck.append(SlidePlan("indicator", page.title, page.area, page=page))
        if page.commentary is not None:  # the office's own words on a slide of their own, after the figures
            paras = commentary_paras(report, page.commentary, CONTENT_W, room)
            deck.append(SlidePlan("commentary", f"{t('commentary')}：{page.title}", page.area, paras=paras))
    summary, keep = _summary_grid(report, report.summary)
    # the notes of the ※n cells go under the table on the slide that shows them: room is kept for them
    reserve = LEGEND_H
    for _ in range(3):
        pages = _split(summary, keep, room - reserve, _words(report)["continued"])
        need = LEGEND_H + max((_notes_height(_slide_notes(g, report.summary_notes)) for g, _ in pages), default=0)
        if need <= reserve or reserve >= room / 2:  # the table keeps at least half the slide
            break
        reserve = min(need, room / 2)
    for i, (grid, heights) in enumerate(pages, 1):
        paras = [Para(n, NOTE_SIZE, colour=MUTED) for n in _slide_notes(grid, report.summary_notes)]
        deck.append(SlidePlan("summary", _numbered(t("summary"), i, len(pages)), top_line, grid, heights, paras=paras))
    measures, keep = _measures_grid(report, report.pillars)
    pages = _split(measures, keep, room, _words(report)["continued"])
    for i, (grid, heights) in enumerate(pages, 1):
        deck.append(SlidePlan("measures", _numbered(t("measures"), i, len(pages)), top_line, grid, heights))
    pages = _one_slide_if_possible(lambda size: _teams_grid(report, size), len(report.teams), room)
    for i, (grid, heights) in enumerate(pages, 1):
        deck.append(SlidePlan("teams", _numbered(t("teams"), i, len(pages)), top_line, grid, heights))
    return deck


# ---------------------------------------------------------------- drawing


def _inches(*values: float) -> tuple[Emu, ...]:
    return tuple(Emu(int(v * EMU_PER_INCH)) for v in values)


def _rectangle(slide: Any, box: tuple[float, float, float, float], colour: str, name: str) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_inches(*box))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _heading(slide: Any, plan: SlidePlan) -> None:
    """Title, kicker and accent rule of a content slide."""
    size = fit_size([plan.title], CONTENT_W, 0.62, (24, 22, 20, 18, 16))
    add_text(slide, (MARGIN, 0.52, CONTENT_W, 0.62), [Para(plan.title, size, bold=True)], anchor="middle", name="Title")
    add_text(slide, (MARGIN, 0.26, CONTENT_W, 0.3), [Para(plan.kicker, 11, colour=MUTED)], name="Kicker")
    _rectangle(slide, (MARGIN, 1.16, CONTENT_W, 0.035), BLUE, "Rule")


def _footer(slide: Any, report: Report, number: int, total: int) -> None:
    footer = f"{report.organisation}　{report.title}　{report.subtitle}"
    add_text(slide, (MARGIN, 7.08, CONTENT_W - 1.2, 0.28), [Para(footer, 9, colour=MUTED)], name="Footer")
    add_text(
        slide,
        (SLIDE_W - MARGIN - 1.2, 7.08, 1.2, 0.28),
        [Para(f"{number} / {total}", 9, colour=MUTED, align="right")],
        name="Page number",
    )


def _cover(slide: Any, report: Report) -> None:
    words = report.label
    _rectangle(slide, (0, 0, 0.28, SLIDE_H), BLUE, "Band")
    width = SLIDE_W - 1.8
    size = fit_size([report.title], width, 1.5, (40, 36, 32, 28, 24))
    add_text(slide, (0.9, 1.9, width, 1.5), [Para(report.title, size, bold=True)], anchor="bottom", name="Title")
    add_text(slide, (0.9, 3.55, width, 0.6), [Para(report.subtitle, 26, colour=BLUE, bold=True)], name="Subtitle")
    who = "　".join(x for x in (report.organisation, report.office) if x)
    add_text(slide, (0.9, 4.35, width, 0.5), [Para(who, 18)], name="Organisation")
    colon = "：" if report.lang == "ja" else ": "
    info = [
        f"{words('as_of')}{colon}{report.as_of_label or '―'}",
        f"{words('version')}{colon}{report.data_version or '―'}",
        f"{words('software')}{colon}{report.software}",
    ]
    add_text(slide, (0.9, 6.3, width, 0.6), [Para("　　".join(info), 12, colour=MUTED)], name="Data")


def _highlights(slide: Any, plan: SlidePlan) -> None:
    add_text(
        slide, (MARGIN, CONTENT_TOP + 0.05, CONTENT_W, CONTENT_BOTTOM - CONTENT_TOP), plan.paras, name="Highlights"
    )


def _facts_grid(page: IndicatorPage, report: Report) -> Grid:
    grid = Grid([1.5, 2.95])
    status_label = report.label("status")
    for fact in page.facts:
        cell = Cell(fact.text, size=11)
        if fact.label == status_label:
            colour, fill = STATUS_STYLE.get(page.card.status.value, (TEXT, "#ffffff"))
            cell = Cell(fact.text, size=11, bold=True, colour=colour, fill=fill)
        grid.rows.append([Cell(fact.label, size=11, bold=True, fill=LABEL_FILL), cell])
    return grid


def _indicator(slide: Any, plan: SlidePlan, report: Report) -> None:
    page = plan.page
    assert page is not None
    words = _words(report)
    left_w, right_x = 7.75, MARGIN + 8.0
    right_w = SLIDE_W - MARGIN - right_x
    bottom = 6.15 if page.footnotes else CONTENT_BOTTOM - 0.05
    chart = plan_chart(page.chart, report.lang)
    if chart is not None:
        frame = add_chart(slide, chart, (MARGIN, CONTENT_TOP, left_w, bottom - CONTENT_TOP))
        frame.name = "Chart"
    else:
        add_text(slide, (MARGIN, CONTENT_TOP, left_w, 1), [Para(words["no_data"], 14, colour=MUTED)], name="Chart")
    facts = _facts_grid(page, report)
    heights = row_heights(facts, minimum=0.34)
    add_table(slide, right_x, CONTENT_TOP, facts, heights, name="Facts")
    top = CONTENT_TOP + sum(heights) + 0.2
    if page.highlights:
        texts = [h.text(report.lang) for h in page.highlights]
        box_h = bottom - top - 0.35
        size = fit_size(texts, right_w, box_h, (13, 12, 11, 10, 9), space_after=6, indent_em=1)
        paras = [Para(report.label("highlights"), 12, bold=True, colour=BLUE, space_after=4)]
        paras += [Para(text, size, bullet="■", space_after=6) for text in texts]
        add_text(slide, (right_x, top, right_w, bottom - top), paras, name="Highlights")
    if page.footnotes:
        box_h = CONTENT_BOTTOM - 6.25
        size = fit_size(list(page.footnotes), CONTENT_W, box_h, (10, 9, 8, 7))
        add_text(
            slide,
            (MARGIN, 6.25, CONTENT_W, box_h),
            [Para(f, size, colour=MUTED) for f in page.footnotes],
            name="Footnotes",
        )


def _table_slide(slide: Any, plan: SlidePlan, report: Report) -> None:
    assert plan.grid is not None
    add_table(slide, MARGIN, CONTENT_TOP, plan.grid, plan.heights, name="Table")
    if plan.kind == "summary":
        top = CONTENT_TOP + sum(plan.heights) + 0.08
        add_text(
            slide, (MARGIN, top, CONTENT_W, 0.28), [Para(_words(report)["legend"], 9, colour=MUTED)], name="Legend"
        )
        if plan.paras:  # the other value of each ※n cell on this slide, and why the one shown is official
            box = (MARGIN, top + LEGEND_H - 0.02, CONTENT_W, _notes_height([p.text for p in plan.paras]))
            add_text(slide, box, plan.paras, name="Notes")


def _fixed_moment(report: Report) -> datetime:
    """The document's date: the data's as-of moment when it is one, else the start of the report period."""
    try:
        return datetime.fromisoformat(report.as_of_label).replace(tzinfo=None)
    except ValueError:
        start = getattr(report.period, "start", None)
        return datetime.combine(start, time()) if isinstance(start, date) else FALLBACK_DATE


def _theme_fonts(prs: Any) -> None:
    """BIZ UDGothic as the theme's Latin and East Asian fonts, for text added later in PowerPoint."""
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    blob = theme.blob.decode("utf-8")
    for tag in ("latin", "ea"):
        blob = blob.replace(f'<a:{tag} typeface="Calibri"/>', f'<a:{tag} typeface="{FONT}"/>')
        blob = blob.replace(f'<a:{tag} typeface=""/>', f'<a:{tag} typeface="{FONT}"/>')
    theme._blob = blob.encode("utf-8")


def _stable_zip(data: bytes) -> bytes:
    """The package with fixed member timestamps (python-pptx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def build_deck(report: Report) -> Any:
    """The deck as a python-pptx Presentation (not saved)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, exactly 16:9
    _theme_fonts(prs)
    blank = prs.slide_layouts[6]
    deck = plan_deck(report)
    for number, plan in enumerate(deck, 1):
        slide = prs.slides.add_slide(blank)
        if plan.kind == "cover":
            _cover(slide, report)
            continue
        _heading(slide, plan)
        if plan.kind in ("highlights", "commentary"):
            _highlights(slide, plan)
        elif plan.kind == "indicator":
            _indicator(slide, plan, report)
        else:
            _table_slide(slide, plan, report)
        _footer(slide, report, number, len(deck))
    for part in prs.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith(("/ppt/slides/", "/ppt/charts/")) and hasattr(part, "_element"):
            set_fonts(part._element, report.lang)
    moment = _fixed_moment(report)
    props = prs.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = report.organisation or report.office
    props.last_modified_by = report.office or report.organisation
    props.keywords = f"{report.period_label} {report.data_version}".strip()
    props.comments = f"{report.label('as_of')}: {report.as_of_label}; {report.label('version')}: {report.data_version}"
    props.language = "ja-JP" if report.lang == "ja" else "en-US"
    props.created = moment
    props.modified = moment
    props.revision = 1
    return prs


def write_pptx(report: Report, path: Path) -> Path:
    """Write the report as an editable .pptx at `path`; returns `path`."""
    prs = build_deck(report)
    buffer = io.BytesIO()
    prs.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_stable_zip(buffer.getvalue()))
    return path
