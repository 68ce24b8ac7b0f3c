"""Changing the definitions on screen: one item of a definition file replaced (or added), checked by the
same rules as the files, previewed against the stored figures, then saved as a definition revision.

A change is built on the files as they stand (`definition_documents`); the item the form describes takes
the place of the stored one, and the whole programme is parsed and checked again together with the stored
observations, so a change is accepted exactly when the files with that change would load. What is stored
is the canonical text of the parsed programme (what `shihyo export` writes).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import yaml

from shihyo.core.changes import Changes, value_changes
from shihyo.core.engine import EvaluationRequest, evaluate
from shihyo.core.model import Dataset, Programme
from shihyo.core.problems import Problem, ValidationFailed
from shihyo.io.catalogue_book import CatalogueUpload
from shihyo.io.commentary import COMMENTARY
from shihyo.io.directory import OBSERVATIONS, parse_programme_files, programme_files
from shihyo.io.observations_csv import write_observations
from shihyo.io.yaml_source import dump_yaml
from shihyo.web.catalogue import repository
from shihyo.web.catalogue.evaluation import evaluate_programme


@dataclass(frozen=True)
class Proposal:
    """The definition files with one item changed, parsed and checked: ready to preview or save."""

    code: str
    base: int  # the definition revision the change was made on (a later one means someone else saved)
    programme: Programme
    documents: dict[str, str]  # canonical text of every definition file

    @property
    def digest(self) -> str:
        """Names exactly this change: a save must carry the digest of the change the office previewed."""
        text = json.dumps(self.documents, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{self.base}:{text}".encode()).hexdigest()[:32]


def stored_items(code: str, file: str) -> list[dict[str, Any]]:
    """The items of one definition file as plain mappings, in file order."""
    items = yaml.safe_load(repository.definition_documents(code)[file]) or []
    return [dict(item) for item in items]


def propose(code: str, file: str, item_code: str | None, item: dict[str, Any]) -> Proposal:
    """The stored files with `item` in place of the item `item_code` (None: added at the end); every problem
    of the changed files raises ValidationFailed, naming the file, line and field as a file load would."""
    base = repository.read_definitions(code).revision_id
    documents = repository.definition_documents(code)
    items = yaml.safe_load(documents[file]) or []
    codes = [str(i.get("code")) for i in items]
    if item_code is None:
        if item.get("code") in codes:
            raise ValidationFailed(
                [
                    Problem(
                        file,
                        None,
                        "code",
                        ja=f"コード「{item.get('code')}」はすでにあります",
                        en=f"the code '{item.get('code')}' is already taken",
                        hint_ja="別のコードにしてください",
                        hint_en="choose another code",
                    )
                ]
            )
        items.append(item)
    else:
        items[codes.index(item_code)] = item
    return propose_files(code, {file: items}, base=base, documents=documents)


def propose_without(code: str, file: str, item_code: str) -> Proposal:
    """The stored files without the item `item_code` of `file`: refused, with what still needs it named, when
    anything does (a child org unit, a figure, a target, a series' reporters, an open round, a task)."""
    base = repository.read_definitions(code).revision_id
    documents = repository.definition_documents(code)
    items = [i for i in yaml.safe_load(documents[file]) or [] if str(i.get("code")) != item_code]
    return propose_files(code, {file: items}, base=base, documents=documents)


def propose_at(code: str, file: str, index: int | None, item: dict[str, Any]) -> Proposal:
    """As `propose`, for files whose items have no code (targets): the item at `index`, or a new one."""
    base = repository.read_definitions(code).revision_id
    documents = repository.definition_documents(code)
    items = yaml.safe_load(documents[file]) or []
    if index is None:
        items.append({k: v for k, v in item.items() if v not in (None, "", [])})  # a blank field is not given
    else:
        items[index] = {**items[index], **item}  # fields the form does not show are kept as stored
        items[index] = {k: v for k, v in items[index].items() if v not in (None, "", [])}
    return propose_files(code, {file: items}, base=base, documents=documents)


def propose_files(
    code: str,
    replaced: dict[str, Any],
    *,
    base: int | None = None,
    documents: dict[str, str] | None = None,
) -> Proposal:
    """The stored files with whole documents replaced (an uploaded workbook's sheets, the roadmap's
    programme.yaml), checked together."""
    if base is None:
        base = repository.read_definitions(code).revision_id
    if documents is None:
        documents = repository.definition_documents(code)
    changed = {**documents, **{file: dump_yaml(items) for file, items in replaced.items()}}
    stored = repository.read_programme(code).dataset.observations
    files = {name: text.encode() for name, text in changed.items()}
    files[OBSERVATIONS] = write_observations(stored).encode()
    programme = parse_programme_files(files).programme  # raises ValidationFailed with every problem
    from shihyo.web.collection.guard import still_needed  # imported here: collection builds on the catalogue

    needed = still_needed(code, programme)
    if needed:
        raise ValidationFailed(needed)
    canonical = programme_files(Dataset(programme=programme, observations=()))
    return Proposal(
        code,
        base,
        programme,
        {name: text for name, text in canonical.items() if name not in (OBSERVATIONS, COMMENTARY)},
    )


def restore(code: str, base: int, documents: dict[str, str]) -> Proposal:
    """A proposal kept between preview and save (the session holds its files), parsed and checked again."""
    files = {name: text.encode() for name, text in documents.items()}
    files[OBSERVATIONS] = write_observations(repository.read_programme(code).dataset.observations).encode()
    return Proposal(code, base, parse_programme_files(files).programme, documents)


def preview(proposal: Proposal) -> Changes:
    """Every figure the change moves, old → new, against the figures as they stand."""
    state = evaluate_programme(proposal.code)
    after = evaluate(EvaluationRequest(proposal.programme, repository.revision_frame(proposal.code), None))
    return value_changes(state.result, after)


def save(proposal: Proposal, *, base: int, by: str, reason: str, now: datetime) -> bool:
    """Record the change as a definition revision; refused if the definitions changed since `base`."""
    if repository.read_definitions(proposal.code).revision_id != base:
        raise ValidationFailed(
            [
                Problem(
                    "",
                    None,
                    "base",
                    ja="確認している間に、ほかの人が定義を変更しました",
                    en="someone else changed the definitions while you were reviewing",
                    hint_ja="最新の定義で変更内容を確認し直してから保存してください",
                    hint_en="review your change against the current definitions, then save again",
                )
            ]
        )
    return repository.record_definitions(proposal.code, proposal.documents, by=by, reason=reason, now=now)


POINT = re.compile(r"^(?P<item>[^.]+?)(?:\.points\[(?P<point>\d+)\])?(?:\.(?P<key>[a-z_]+))?(?:\.[a-z_]+)?$")


def in_workbook(problem: Problem, upload: CatalogueUpload, name: str) -> Problem:
    """A problem the files' rules found, moved to the sheet and cell of the uploaded workbook it comes from."""
    match = POINT.match(problem.where or "")
    place = upload.places.get(match.group("item")) if match else None
    if match is None or place is None:
        return replace(problem, file=name, line=None)
    point = int(match.group("point")) if match.group("point") else None
    key = match.group("key") or ("value" if point is not None else "code")
    if key == "range":
        key = "range_min"
    return replace(problem, file=name, line=None, where=place.cell(key, point))


def propose_workbook(code: str, upload: CatalogueUpload, name: str) -> Proposal:
    """The uploaded series, indicators and targets in place of the stored ones; problems named by sheet and
    cell. An indicator keeps its stored chart (the workbook has no column for it)."""
    problems = []
    if upload.programme != code:
        problems.append(
            Problem(
                name,
                None,
                "shihyo!B2",
                ja=f"このブックはプログラム「{upload.programme[:40]}」のものです",
                en=f"this workbook is for the programme '{upload.programme[:40]}'",
                hint_ja="このプログラムのカタログをダウンロードし直してください",
                hint_en="download this programme's catalogue again",
            )
        )
    elif upload.base != repository.read_definitions(code).revision_id:
        problems.append(
            Problem(
                name,
                None,
                "shihyo!B3",
                ja="このブックをダウンロードした後に、定義が変更されています",
                en="the definitions have changed since this workbook was downloaded",
                hint_ja="最新のカタログをダウンロードし、変更を入れ直してください（変更が打ち消されるのを防ぐため）",
                hint_en="download the current catalogue and make your change there (so no other change is undone)",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    replaced: dict[str, Any] = {"series.yaml": upload.series, "targets.yaml": upload.targets}
    if upload.indicators is not None:
        stored = {str(i.get("code")): i for i in stored_items(code, "indicators.yaml")}
        charts = {c: {"chart": i["chart"]} for c, i in stored.items() if "chart" in i}  # not in the workbook
        replaced["indicators.yaml"] = [{**i, **charts.get(str(i.get("code")), {})} for i in upload.indicators]
    try:
        return propose_files(code, replaced, base=upload.base)
    except ValidationFailed as exc:
        raise ValidationFailed([in_workbook(p, upload, name) for p in exc.problems]) from None
