"""`commentary.yaml`: the office's published commentary and the progress of measures, as files.

An optional file of a programme directory (docs/data-format.md, "Commentary and measure progress").
Loading it records a revision for each entry whose text differs from what is stored; the office goes on
writing on screen. `commentary_document` writes the current entries back in the same form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shihyo.core.commentary import (
    PROGRAMME_WIDE,
    Commentary,
    MeasureProgress,
    NoteState,
    Progress,
    check_commentary,
    check_progress,
)
from shihyo.core.model import Programme
from shihyo.core.problems import Problem
from shihyo.io.fields import Fields, list_items

COMMENTARY = "commentary.yaml"


def parse_commentary_file(
    problems: list[Problem], programme: Programme, document: Any
) -> tuple[tuple[Commentary, ...], tuple[MeasureProgress, ...]]:
    """Every entry of the file, checked against the programme; problems name the line and field."""
    if document is None:
        return (), ()
    top = Fields(problems, COMMENTARY, document)
    top.check_keys(("commentary", "progress"))
    notes: list[Commentary] = []
    for i, item in enumerate(list_items(problems, COMMENTARY, top.data.get("commentary") or [])):
        fields = Fields(problems, COMMENTARY, item, f"commentary[{i}]")
        fields.check_keys(("indicator", "period", "findings", "issues", "actions", "state", "source"))
        period = fields.period("period", required=True)
        state = fields.enum("state", NoteState, NoteState.PUBLISHED) or NoteState.PUBLISHED
        if period is None:
            continue
        entry = Commentary(
            subject=fields.text("indicator") or PROGRAMME_WIDE,
            period=period,
            findings=fields.text("findings").strip(),
            issues=tuple(t.strip() for t in fields.texts("issues")),
            actions=tuple(t.strip() for t in fields.texts("actions")),
            state=state,
            source=fields.text("source"),
        )
        _report(fields, [(p.field, p.ja, p.en) for p in check_commentary(programme, entry)])
        notes.append(entry)
    progress: list[MeasureProgress] = []
    for i, item in enumerate(list_items(problems, COMMENTARY, top.data.get("progress") or [])):
        fields = Fields(problems, COMMENTARY, item, f"progress[{i}]")
        fields.check_keys(("measure", "period", "state", "note"))
        period = fields.period("period", required=True)
        progress_state = fields.enum("state", Progress)
        subject = fields.text("measure", required=True)
        if period is None or progress_state is None or not subject:
            continue
        step = MeasureProgress(subject=subject, period=period, state=progress_state, note=fields.text("note").strip())
        _report(fields, [(p.field, p.ja, p.en) for p in check_progress(programme, step)])
        progress.append(step)
    _duplicates(problems, [(n.key, "commentary") for n in notes] + [(p.key, "progress") for p in progress])
    return tuple(notes), tuple(progress)


def _report(fields: Fields, found: Sequence[tuple[str, str, str]]) -> None:
    for field, ja, en in found:
        fields.problem(field, ja, en)


def _duplicates(problems: list[Problem], keys: Sequence[tuple[tuple[str, str], str]]) -> None:
    seen: set[tuple[tuple[str, str], str]] = set()
    for key, section in keys:
        if (key, section) in seen:
            subject, period = key
            problems.append(
                Problem(
                    COMMENTARY,
                    None,
                    section,
                    ja=f"「{subject or 'プログラム全体'}」の {period} が2回書かれています",
                    en=f"'{subject or 'the programme'}' {period} is written twice",
                    hint_ja="1期間につき1件にしてください",
                    hint_en="write one entry per period",
                )
            )
        seen.add((key, section))


def commentary_document(notes: Sequence[Commentary], progress: Sequence[MeasureProgress]) -> dict[str, Any]:
    """The file's content for the given entries (current ones, in a stable order)."""
    document: dict[str, Any] = {}
    if notes:
        document["commentary"] = [_note_document(n) for n in sorted(notes, key=lambda n: (n.subject, n.period.start))]
    if progress:
        document["progress"] = [
            {
                "measure": p.subject,
                "period": p.period.key,
                "state": p.state.value,
                **({"note": p.note} if p.note else {}),
            }
            for p in sorted(progress, key=lambda p: (p.subject, p.period.start))
        ]
    return document


def _note_document(note: Commentary) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if note.subject:
        item["indicator"] = note.subject
    item["period"] = note.period.key
    if note.findings:
        item["findings"] = note.findings
    if note.issues:
        item["issues"] = list(note.issues)
    if note.actions:
        item["actions"] = list(note.actions)
    if note.state is not NoteState.PUBLISHED:
        item["state"] = note.state.value
    if note.source:
        item["source"] = note.source
    return item
