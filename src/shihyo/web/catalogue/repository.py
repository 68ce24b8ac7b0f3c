"""The storage boundary of the catalogue: every read and write of programme and observation revisions.

Other apps (collection, dashboard) and the CLI never query the revision tables themselves; they call
these functions. Reads apply the one as-of rule of `shihyo.core.revisions`. Evaluating a stored
programme is `shihyo.web.catalogue.evaluation.evaluate_programme`, built on `revision_frame` and
`read_definitions` here.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import polars as pl
from django.db import transaction
from django.db.models import Max, Model, QuerySet

from shihyo.core.engine import REVISION_SCHEMA
from shihyo.core.model import PUBLISHED_KINDS, Dataset, Observation, ObservationKind, Programme, ShowPolicy
from shihyo.core.numbers import parse_japanese_number
from shihyo.core.official import REASON_MAX, Decision
from shihyo.core.periods import parse_period
from shihyo.core.problems import UserError
from shihyo.core.reconcile import Basis
from shihyo.core.revisions import latest, naive_utc, present
from shihyo.io.commentary import COMMENTARY
from shihyo.io.directory import OBSERVATIONS, parse_programme_files, programme_files
from shihyo.web.catalogue import models
from shihyo.web.catalogue.versions import DataVersion as DataVersion  # re-exported: the data version
from shihyo.web.catalogue.versions import advance_resolutions, advance_stamp, lock_stamp
from shihyo.web.catalogue.versions import changed_since as changed_since
from shihyo.web.catalogue.versions import data_version as data_version

Key = tuple[str, str, str, str, str]
R = TypeVar("R", bound=Model)


class NothingLoaded(UserError):
    """No programme is stored yet."""


@dataclass(frozen=True)
class SaveSummary:
    programme: str
    definitions_changed: bool
    added: int
    changed: int
    withdrawn: int
    unchanged: int
    kept: int = 0  # not in the files but kept: figures departments sent through collection rounds
    notes: int = 0  # commentary and progress entries of commentary.yaml recorded as new revisions


@dataclass(frozen=True)
class StoredProgramme:
    """A programme as of a moment: its definitions and current observations."""

    dataset: Dataset
    definitions_recorded_at: datetime
    as_of: datetime | None


def _fingerprint(o: Observation) -> tuple[str, str, str, str]:
    return (str(o.value), o.text, o.note, o.method)


def in_recording_order(rows: QuerySet[R], as_of: datetime | None = None) -> Iterator[R]:
    """Revision rows recorded at or before `as_of`, oldest first: the input of the as-of rule."""
    if as_of is not None:
        rows = rows.filter(recorded_at__lte=as_of)
    return rows.order_by("recorded_at", "id").iterator(chunk_size=5000)


def observation_key(row: models.ObservationRevision) -> Key:
    return (row.code, row.org_unit, row.period, row.kind, row.source)


def _current_rows(programme: models.Programme, as_of: datetime | None) -> dict[Key, models.ObservationRevision]:
    rows = models.ObservationRevision.objects.filter(programme=programme)
    return present(latest(in_recording_order(rows, as_of), observation_key), lambda row: row.value)


def save_dataset(
    dataset: Dataset, *, now: datetime, recorded_by: str = "", reason: str = "", keep: frozenset[Key] = frozenset()
) -> SaveSummary:
    """Store a programme: a new definition revision if its files changed, and one observation revision
    for every observation added, changed or no longer present (except the `keep` keys: figures that came
    from collection rounds, not from files). Atomic: all or nothing."""
    files = programme_files(dataset)
    documents = {name: text for name, text in files.items() if name not in (OBSERVATIONS, COMMENTARY)}
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    code = dataset.programme.code
    with transaction.atomic():
        programme, _ = models.Programme.objects.get_or_create(
            code=code, defaults={"name": dataset.programme.name, "created_at": now}
        )
        stamp = lock_stamp(programme, now)
        latest = models.DefinitionRevision.objects.filter(programme=programme).order_by("-recorded_at", "-id").first()
        definitions_changed = latest is None or latest.digest != digest
        definition = None
        if definitions_changed:
            definition = models.DefinitionRevision.objects.create(
                programme=programme,
                recorded_at=now,
                recorded_by=recorded_by,
                reason=reason,
                digest=digest,
                documents=documents,
            )
        current = _current_rows(programme, None)
        new_rows: list[models.ObservationRevision] = []
        added = changed = unchanged = 0
        incoming = {o.key: o for o in dataset.observations}
        for key, o in incoming.items():
            row = current.get(key)
            if row is not None and (row.value, row.text, row.note, row.method) == _fingerprint(o):
                unchanged += 1
                continue
            added, changed = (added + 1, changed) if row is None else (added, changed + 1)
            new_rows.append(
                models.ObservationRevision(
                    programme=programme,
                    code=o.code,
                    org_unit=o.org_unit,
                    period=o.period.key,
                    kind=o.kind.value,
                    source=o.source,
                    value=str(o.value),
                    text=o.text,
                    note=o.note,
                    method=o.method,
                    recorded_at=now,
                    recorded_by=recorded_by,
                    reason=reason,
                )
            )
        gone = [key for key in current if key not in incoming and key not in keep]
        kept = sum(1 for key in current if key not in incoming and key in keep)
        for code_, org, period, kind, source in gone:
            new_rows.append(
                models.ObservationRevision(
                    programme=programme,
                    code=code_,
                    org_unit=org,
                    period=period,
                    kind=kind,
                    source=source,
                    value=None,
                    recorded_at=now,
                    recorded_by=recorded_by,
                    reason=reason or "not in the loaded files",
                )
            )
        models.ObservationRevision.objects.bulk_create(new_rows, batch_size=2000)
        advance_stamp(stamp, definition, new_rows, now)
        from shihyo.web.catalogue import notes  # imported here: notes reads through this module's as-of helper

        recorded = notes.record_commentary(
            code, dataset.notes.commentary, by=recorded_by, reason=reason or "loaded from commentary.yaml", now=now
        )
        recorded += notes.record_progress(
            code, dataset.notes.progress, by=recorded_by, reason=reason or "loaded from commentary.yaml", now=now
        )
    return SaveSummary(code, definitions_changed, added, changed, len(gone), unchanged, kept, recorded)


def definition_documents(code: str) -> dict[str, str]:
    """The canonical text of each definition file of the programme as it stands now."""
    row = models.DefinitionRevision.objects.filter(programme__code=code).order_by("-recorded_at", "-id").first()
    if row is None:
        raise UserError(ja=f"「{code}」に定義がありません", en=f"'{code}' has no definitions")
    return dict(row.documents)


def record_definitions(code: str, documents: dict[str, str], *, by: str, reason: str, now: datetime) -> bool:
    """A new definition revision with these files (already checked), unless they are what is stored."""
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    with transaction.atomic():
        programme = models.Programme.objects.get(code=code)
        stamp = lock_stamp(programme, now)
        latest = models.DefinitionRevision.objects.filter(programme=programme).order_by("-recorded_at", "-id").first()
        if latest is not None and latest.digest == digest:
            return False
        definition = models.DefinitionRevision.objects.create(
            programme=programme, recorded_at=now, recorded_by=by, reason=reason, digest=digest, documents=documents
        )
        advance_stamp(stamp, definition, [], now)
    return True


def programme_codes() -> list[str]:
    return list(models.Programme.objects.order_by("code").values_list("code", flat=True))


def resolve_programme(code: str | None, *, default: str | None = None, several_ok: bool = False) -> str:
    """The code given, or the only programme stored; a clear error otherwise.

    With several programmes stored and no code given, the CLI must be told which one (an error naming the
    codes). A page that can always show something passes `several_ok`: it gets `default` when that
    programme is loaded, otherwise the programme loaded first.
    """
    codes = programme_codes()
    if code:
        if code not in codes:
            raise UserError(
                ja=f"プログラム「{code}」は読み込まれていません（読み込み済み: {', '.join(codes) or 'なし'}）",
                en=f"no programme '{code}' is loaded (loaded: {', '.join(codes) or 'none'})",
            )
        return code
    if not codes:
        raise NothingLoaded(
            ja="まだプログラムが読み込まれていません。先に `shihyo load <プログラムのフォルダ>` を"
            "実行してください（例を試すには `shihyo demo`）",
            en="no programme is loaded yet: run `shihyo load <programme folder>` first "
            "(or `shihyo demo` for the examples)",
        )
    if len(codes) == 1:
        return codes[0]
    if several_ok:
        if default in codes:
            return default
        first = models.Programme.objects.order_by("created_at", "id").values_list("code", flat=True).first()
        return first or codes[0]
    raise UserError(
        ja=f"複数のプログラムがあります（{', '.join(codes)}）。--programme で指定してください",
        en=f"several programmes are loaded ({', '.join(codes)}): choose one with --programme",
    )


@dataclass(frozen=True)
class StoredDefinitions:
    """A programme's definitions as they stood at a moment (no observations)."""

    programme: Programme
    revision_id: int
    recorded_at: datetime


_PARSED: dict[str, Programme] = {}  # definitions by content digest: each text is parsed once per process
_PARSED_LOCK = threading.Lock()


def read_definitions(code: str, as_of: datetime | None = None) -> StoredDefinitions:
    """What the programme is (series, indicators, targets, org units) as of a moment, without evaluating."""
    revisions = models.DefinitionRevision.objects.filter(programme__code=code).only("id", "recorded_at", "digest")
    found = latest(in_recording_order(revisions, as_of), lambda row: code).get(code)
    if found is None:
        if as_of is None:
            raise UserError(ja=f"「{code}」に定義がありません", en=f"'{code}' has no definitions")
        raise UserError(
            ja=f"{as_of:%Y-%m-%d %H:%M} 時点ではプログラム「{code}」はまだありません",
            en=f"programme '{code}' did not exist yet at {as_of:%Y-%m-%d %H:%M}",
        )
    with _PARSED_LOCK:
        programme = _PARSED.get(found.digest)
    if programme is None:
        documents = models.DefinitionRevision.objects.get(pk=found.pk).documents
        files = {name: text.encode() for name, text in documents.items()}
        files[OBSERVATIONS] = b"code,org_unit,period,kind,value\n"
        programme = parse_programme_files(files).programme
        with _PARSED_LOCK:
            if len(_PARSED) > 64:
                _PARSED.clear()
            _PARSED[found.digest] = programme
    return StoredDefinitions(programme, found.pk, found.recorded_at)


def revision_frame(code: str, *, after: int = 0, upto: int | None = None) -> pl.DataFrame:
    """Every observation revision of the programme, in recording order, as the engine's input frame.

    The engine applies the as-of rule itself, so one frame serves every moment. `after` and `upto`
    (revision ids, e.g. of two data versions) bound it: the revisions recorded in between."""
    selected = models.ObservationRevision.objects.filter(programme__code=code)
    if after:
        selected = selected.filter(id__gt=after)
    if upto is not None:
        selected = selected.filter(id__lte=upto)
    rows = selected.order_by("recorded_at", "id").values_list(
        "code", "org_unit", "period", "kind", "source", "value", "text", "recorded_at"
    )
    columns: list[list[object]] = [[] for _ in range(9)]
    for code_, org, period, kind, source, value, text, at in rows.iterator(chunk_size=5000):
        number = None if value is None else float(value)
        row = (code_, org, period, kind, source, number, text, naive_utc(at), value is None)
        for column, item in zip(columns, row, strict=True):
            column.append(item)
    return pl.DataFrame(dict(zip(REVISION_SCHEMA.names(), columns, strict=True)), schema=REVISION_SCHEMA)


def read_programme(code: str, as_of: datetime | None = None) -> StoredProgramme:
    """The programme's definitions and current observations as they stood at `as_of` (for `shihyo export`)."""
    definitions = read_definitions(code, as_of)
    observations = [
        Observation(
            code=row.code,
            org_unit=row.org_unit,
            period=parse_period(row.period),
            kind=ObservationKind(row.kind),
            value=Decimal(str(row.value)),
            text=row.text,
            precision=parse_japanese_number(row.text).precision,
            note=row.note,
            source=row.source,
            method=row.method,
        )
        for row in _current_rows(models.Programme.objects.get(code=code), as_of).values()
    ]
    from shihyo.web.catalogue.notes import read_notes  # imported here: notes builds on this module

    dataset = Dataset(programme=definitions.programme, observations=tuple(observations), notes=read_notes(code, as_of))
    return StoredProgramme(dataset, definitions.recorded_at, as_of)


def history(code: str, series: str, org_unit: str, period: str) -> list[models.ObservationRevision]:
    """Every revision of the observations of one series, org unit and period, oldest first."""
    return list(
        in_recording_order(
            models.ObservationRevision.objects.filter(
                programme__code=code, code=series, org_unit=org_unit, period=period
            )
        )
    )


def input_revisions(
    code: str, series: Iterable[str], org_unit: str, as_of: datetime | None
) -> list[models.ObservationRevision]:
    """The revisions (reported figures aside) of some series of one org unit up to `as_of`, oldest first."""
    rows = models.ObservationRevision.objects.filter(
        programme__code=code, code__in=sorted(series), org_unit=org_unit
    ).exclude(kind__in=[k.value for k in PUBLISHED_KINDS])
    return list(in_recording_order(rows, as_of))


@dataclass(frozen=True)
class Publication:
    """An approved value to publish as the current actual of one series, org unit and period."""

    code: str
    period: str
    value: str
    text: str
    note: str
    reason: str


def publish(code: str, org_unit: str, values: Sequence[Publication], *, by: str, now: datetime) -> int:
    """Record approved values as observation revisions (actual, no source), only those that differ
    from what is published now. Returns how many were recorded. Call inside the caller's transaction."""
    if not values:
        return 0
    programme = models.Programme.objects.get(code=code)
    stamp = lock_stamp(programme, now)
    rows = models.ObservationRevision.objects.filter(
        programme=programme,
        org_unit=org_unit,
        kind=ObservationKind.ACTUAL.value,
        source="",
        code__in={v.code for v in values},
        period__in={v.period for v in values},
    )
    current = latest(in_recording_order(rows), lambda row: (row.code, row.period))
    new_rows = []
    for item in values:
        before = current.get((item.code, item.period))
        if before is not None and (before.value, before.text, before.note) == (item.value, item.text, item.note):
            continue
        new_rows.append(
            models.ObservationRevision(
                programme=programme,
                code=item.code,
                org_unit=org_unit,
                period=item.period,
                kind=ObservationKind.ACTUAL.value,
                source="",
                value=item.value,
                text=item.text,
                note=item.note,
                recorded_at=now,
                recorded_by=by,
                reason=item.reason,
            )
        )
    models.ObservationRevision.objects.bulk_create(new_rows)
    advance_stamp(stamp, None, new_rows, now)
    return len(new_rows)


def programme_record(code: str) -> models.Programme:
    """The programme's row, for other apps' tables that refer to it (e.g. a collection round)."""
    return models.Programme.objects.get(code=code)


def latest_revision_at(code: str, as_of: datetime) -> datetime | None:
    """When the programme last changed at or before `as_of`: the newest revision of any kind
    recorded by then (None if it did not exist yet). By the as-of rule its state as of `as_of` is exactly its
    state as of that moment, so the two may share one evaluation."""
    moments = [
        rows.filter(programme__code=code, recorded_at__lte=as_of).aggregate(m=Max("recorded_at"))["m"]
        for rows in (
            models.DefinitionRevision.objects,
            models.ObservationRevision.objects,
            models.CommentaryRevision.objects,  # the office's words and decisions are part of the state too
            models.ProgressRevision.objects,
            models.ResolutionRevision.objects,
        )
    ]
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def _decision(row: models.ResolutionRevision) -> Decision:
    return Decision(
        code=row.code,
        org_unit=row.org_unit,
        period=parse_period(row.period),
        basis=Basis(row.basis),
        keep=ShowPolicy(row.keep),
        reason=row.reason,
        decided_by=row.recorded_by,
        decided_at=row.recorded_at,
        published_text=row.published_text,
        recomputed_text=row.recomputed_text,
    )


def decisions(code: str, as_of: datetime | None = None) -> tuple[Decision, ...]:
    """Every decision on the programme's published figures recorded by `as_of`, oldest first (the history;
    the latest per figure is in force)."""
    rows = models.ResolutionRevision.objects.filter(programme__code=code)
    return tuple(_decision(row) for row in in_recording_order(rows, as_of))


def record_decision(code: str, decision: Decision) -> None:
    """Store one decision as a new resolution revision (the earlier ones stay in the history)."""
    reason = decision.reason.strip()
    if not reason:
        raise UserError(ja="理由を入力してください", en="give a reason")
    if len(reason) > REASON_MAX:
        raise UserError(
            ja=f"理由は{REASON_MAX}文字以内にしてください（{len(reason)}文字）",
            en=f"the reason must be at most {REASON_MAX} characters ({len(reason)})",
        )
    if not decision.decided_by.strip():
        raise UserError(ja="決定した人を記録してください", en="say who decides")
    programme = models.Programme.objects.get(code=code)
    with transaction.atomic():
        stamp = lock_stamp(programme, decision.decided_at)
        row = models.ResolutionRevision.objects.create(
            programme=programme,
            code=decision.code,
            org_unit=decision.org_unit,
            period=decision.period.key,
            basis=decision.basis.value,
            keep=decision.keep.value,
            reason=reason,
            published_text=decision.published_text,
            recomputed_text=decision.recomputed_text,
            recorded_at=decision.decided_at,
            recorded_by=decision.decided_by,
        )
        advance_resolutions(stamp, row.pk, decision.decided_at)
