"""The annual report as a PDF, typeset with Typst.

The layout is `report.typ`; this module hands it the report as JSON through `sys.inputs` (so no text
is ever parsed as Typst markup and nothing needs escaping) and the charts as SVG files in a temporary
folder, drawn from the chart model by `shihyo.core.charts.svg` (a millisecond each). Every word comes
from the report model: its labels (`Report.label`) and its own text.

The output is deterministic: no creation date, the same fonts (system fonts are ignored; the Japanese
font folders are passed explicitly), and the same chart images for the same report.
"""

from __future__ import annotations

import gettext
import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from shihyo.core import period_labels
from shihyo.core.charts import KIND_LABELS
from shihyo.core.charts.svg import chart_svg
from shihyo.core.commentary import Commentary, sections
from shihyo.core.model import Measure, Pillar, Task, Team
from shihyo.core.report import IndicatorPage, Report
from shihyo.fonts import japanese_font_files

# font families in order of preference: BIZ UDGothic where installed, else IPAexGothic; English text
# reads better in the proportional cut of BIZ UD (same package), Japanese tables align in the fixed one
FONT_FAMILIES = {
    "ja": ("BIZ UDGothic", "IPAexGothic"),
    "en": ("BIZ UDPGothic", "BIZ UDGothic", "IPAexGothic"),
}

# charts: drawn as SVG this many CSS pixels wide, the plot this high (vector graphics: sharp at any size)
CHART_WIDTH = 640
CHART_HEIGHT = 380

# Labels the report model does not (yet) define fall back to the project's message catalogue
# (the same words the dashboard shows): key -> msgid. Without either, the label is left empty.
CATALOGUE_FALLBACK = {
    "actual": "actual",
    "estimate": "estimate",
    "breakdown": "breakdown",
    "of_which": "of which",
    "new": "new",
    "phase_early": "first half",
    "phase_late": "second half",
    "period": "Period",
}
LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"


def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("django", localedir=LOCALE_DIR, languages=[lang], fallback=True)


def label(report: Report, key: str) -> str:
    """`report.label(key)`; for keys the model lacks, the project's own wording (charts, catalogue) or ""."""
    try:
        return report.label(key)
    except KeyError:
        pass
    kinds = KIND_LABELS.get(report.lang, {})
    if key in kinds:
        return kinds[key]
    msgid = CATALOGUE_FALLBACK.get(key)
    if msgid is None:
        return ""
    return msgid if report.lang == "en" else _catalogue(report.lang).gettext(msgid)


# --- charts ---------------------------------------------------------------------------------------


def _render_charts(pages: tuple[IndicatorPage, ...], folder: Path, lang: str) -> list[str]:
    """SVG files for the pages' charts in `lang`, drawn from the chart model, as paths relative to `folder`."""
    names = []
    for index, page in enumerate(pages):
        name = f"chart-{index:03d}.svg"
        (folder / name).write_text(chart_svg(page.chart, lang, CHART_WIDTH, CHART_HEIGHT), encoding="utf-8")
        names.append(name)
    return names


# --- the report as data for the template ---------------------------------------------------------


def _joined(items: tuple[str, ...] | list[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(items)


def _overview(report: Report) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for row in report.overview:
        if not groups or groups[-1]["area"] != row.area:
            groups.append({"area": row.area, "rows": []})
        groups[-1]["rows"].append(
            {
                "indicator": row.indicator,
                "latest": row.latest,
                "previous": row.previous,
                "target": row.target,
                "status": row.status,
                "status_key": row.status_key,
            }
        )
    return groups


def _page(report: Report, page: IndicatorPage, image: str) -> dict[str, Any]:
    status = report.label("status")
    facts = [
        {
            "label": f.label,
            "text": f.text,
            "status_key": page.card.status.value if f.label == status else None,
        }
        for f in page.facts
    ]
    return {
        "title": page.title,
        "area": page.area,
        "image": image,
        "facts": facts,
        "highlights": [h.text(report.lang) for h in page.highlights],
        "footnotes": list(page.footnotes),
        "commentary": _commentary(report, page.commentary),
    }


def _commentary(report: Report, note: Commentary | None) -> dict[str, Any] | None:
    """The office's own text, laid out apart from the generated highlights."""
    if note is None:
        return None
    return {
        "sections": [
            {"label": report.label(key), "items": list(items), "numbered": key != "findings"}
            for key, items in sections(note)
        ],
        "source": note.source,
    }


def _summary(report: Report) -> dict[str, Any]:
    relation = {"breakdown": label(report, "breakdown"), "of_which": label(report, "of_which")}
    return {
        "years": list(report.years),
        "sections": [
            {
                "title": section.title,
                "rows": [
                    {
                        "name": row.name,
                        "depth": row.depth,
                        "relation": relation.get(row.relation, ""),
                        "is_indicator": row.is_indicator,
                        "cells": [{"text": c.text, "kind": c.kind} for c in row.cells],
                    }
                    for row in section.rows
                ],
            }
            for section in report.summary
        ],
        # ※n: the cells showing an official figure whose published value and recomputation differ
        "notes": list(report.summary_notes),
    }


def _task(report: Report, task: Task, team_names: dict[str, str]) -> dict[str, Any]:
    badges = []
    if task.new:
        badges.append(label(report, "new"))
    if task.phase is not None:
        badges.append(label(report, f"phase_{task.phase.value}"))
    return {
        "name": task.name,
        "badges": [b for b in badges if b],
        "owner": team_names.get(task.owner_team or "", ""),
        "note": task.note,
        "progress": report.progress_text(task.code),
    }


def _measure(report: Report, measure: Measure, team_names: dict[str, str]) -> dict[str, Any]:
    return {
        "name": measure.name,
        "summary": list(measure.summary),
        "note": measure.note,
        "progress": report.progress_text(measure.code),
        "tasks": [_task(report, t, team_names) for t in measure.tasks],
    }


def _pillars(report: Report, pillars: tuple[Pillar, ...]) -> list[dict[str, Any]]:
    team_names = {t.code: t.name for t in report.teams}
    return [
        {
            "name": pillar.name,
            "subtitle": pillar.subtitle,
            "areas": [
                {
                    "name": area.name,
                    "heading": area.heading,
                    "measures": [_measure(report, m, team_names) for m in area.measures],
                }
                for area in pillar.areas
            ],
        }
        for pillar in pillars
    ]


def _team(report: Report, team: Team) -> dict[str, Any]:
    lines = [_joined(items, report.lang) for items in (team.mission, team.member_roles, team.projects) if items]
    kind = label(report, f"team_kind_{team.kind.value}") or team.kind.value.upper()
    return {
        "name": team.name,
        "kind": kind,
        "since": period_labels.short(team.started, report.wareki_style, report.lang)
        if team.started is not None
        else "",
        "lines": lines,
        "note": team.note,
    }


LABEL_KEYS = (
    "software",
    "overview",
    "summary",
    "measures",
    "teams",
    "latest",
    "previous",
    "target",
    "status",
    "plan",
    "indicator",
    "highlights",
    "commentary",
    "commentary_origin",
    "generated",
    "progress",
    "as_of",
    "version",
    "page",
    "measure",
    "tasks",
    "summary_col",
    "team",
    "since",
    "members",
    "actual",
    "estimate",
    "period",
    "published_cell",
)


def report_data(report: Report, images: list[str]) -> dict[str, Any]:
    """The report as the JSON document `report.typ` lays out."""
    return {
        "lang": report.lang,
        "fonts": list(FONT_FAMILIES.get(report.lang, FONT_FAMILIES["ja"])),
        "labels": {key: label(report, key) for key in LABEL_KEYS},
        "title": report.title,
        "subtitle": report.subtitle,
        "organisation": report.organisation,
        "office": report.office,
        "period_label": report.period_label,
        "as_of_label": report.as_of_label,
        "data_version": report.data_version,
        "software": report.software,
        "overview": _overview(report),
        "highlights": [h.text(report.lang) for h in report.key_highlights],
        "commentary": _commentary(report, report.commentary),
        "other_commentary": [
            {"title": f"{label(report, 'commentary')}：{name}", **(_commentary(report, note) or {})}
            for name, note in report.other_commentary
        ],
        "pages": [_page(report, p, image) for p, image in zip(report.indicator_pages, images, strict=True)],
        "summary": _summary(report),
        "pillars": _pillars(report, report.pillars),
        "teams": [_team(report, t) for t in report.teams],
    }


def font_folders() -> list[str]:
    """Folders holding the Japanese fonts to embed (BIZ UDGothic's first when installed)."""
    folders: list[str] = []
    for path in japanese_font_files():
        if str(path.parent) not in folders:
            folders.append(str(path.parent))
    return folders


def template() -> str:
    return resources.files(__package__).joinpath("report.typ").read_text(encoding="utf-8")


def write_pdf(report: Report, path: Path) -> Path:
    """Typeset `report` as an A4 landscape PDF at `path` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shihyo-pdf-") as tmp:
        folder = Path(tmp)
        images = _render_charts(report.indicator_pages, folder, report.lang)
        main = folder / "report.typ"
        main.write_text(template(), encoding="utf-8")
        data = json.dumps(report_data(report, images), ensure_ascii=False, sort_keys=True)
        pdf = typst.compile(
            str(main),
            root=str(folder),
            font_paths=font_folders(),
            ignore_system_fonts=True,
            sys_inputs={"data": data},
        )
    path.write_bytes(pdf)
    return path
