"""Saving programmes and reading them back as of any moment. The only module here that uses the ORM."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import polars as pl
from django.db import transaction

from shihyo.core.engine import REVISION_SCHEMA
from shihyo.core.model import Dataset, Observation, ObservationKind
from shihyo.core.numbers import parse_japanese_number
from shihyo.core.periods import parse_period
from shihyo.core.problems import UserError
from shihyo.io.directory import OBSERVATIONS, parse_programme_files, programme_files
from shihyo.web.catalogue import models

Key = tuple[str, str, str, str, str]


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


@dataclass(frozen=True)
class StoredProgramme:
    """A programme as of a moment: its dataset and the engine's revision frame."""

    dataset: Dataset
    revisions: pl.DataFrame
    definitions_recorded_at: datetime
    as_of: datetime | None


def _fingerprint(o: Observation) -> tuple[str, str, str, str]:
    return (str(o.value), o.text, o.note, o.method)


def _current_rows(programme: models.Programme, as_of: datetime | None) -> dict[Key, models.ObservationRevision]:
    rows = models.ObservationRevision.objects.filter(programme=programme)
    if as_of is not None:
        rows = rows.filter(recorded_at__lte=as_of)
    latest: dict[Key, models.ObservationRevision] = {}
    for row in rows.order_by("recorded_at", "id").iterator(chunk_size=5000):
        latest[(row.code, row.org_unit, row.period, row.kind, row.source)] = row
    return {key: row for key, row in latest.items() if row.value is not None}


def save_dataset(
    dataset: Dataset, *, now: datetime, recorded_by: str = "", reason: str = "", keep: frozenset[Key] = frozenset()
) -> SaveSummary:
    """Store a programme: a new definition revision if its files changed, and one observation revision
    for every observation added, changed or no longer present (except the `keep` keys: figures that came
    from collection rounds, not from files). Atomic: all or nothing."""
    files = programme_files(dataset)
    documents = {name: text for name, text in files.items() if name != OBSERVATIONS}
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    code = dataset.programme.code
    with transaction.atomic():
        programme, _ = models.Programme.objects.get_or_create(
            code=code, defaults={"name": dataset.programme.name, "created_at": now}
        )
        latest = models.DefinitionRevision.objects.filter(programme=programme).order_by("-recorded_at", "-id").first()
        definitions_changed = latest is None or latest.digest != digest
        if definitions_changed:
            models.DefinitionRevision.objects.create(
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
    return SaveSummary(code, definitions_changed, added, changed, len(gone), unchanged, kept)


def programme_codes() -> list[str]:
    return list(models.Programme.objects.order_by("code").values_list("code", flat=True))


def resolve_programme(code: str | None) -> str:
    """The code given, or the only programme stored; a clear error otherwise."""
    codes = programme_codes()
    if code:
        if code not in codes:
            raise UserError(
                f"no programme '{code}' is loaded (loaded: {', '.join(codes) or 'none'})",
                f"プログラム「{code}」は読み込まれていません（読み込み済み: {', '.join(codes) or 'なし'}）",
            )
        return code
    if not codes:
        raise NothingLoaded(
            "no programme is loaded yet: run `shihyo load <programme folder>` first "
            "(or `shihyo demo` for the examples)",
            "まだプログラムが読み込まれていません。先に `shihyo load <プログラムのフォルダ>` を"
            "実行してください（例を試すには `shihyo demo`）",
        )
    if len(codes) > 1:
        raise UserError(
            f"several programmes are loaded ({', '.join(codes)}): choose one with --programme",
            f"複数のプログラムがあります（{', '.join(codes)}）。--programme で指定してください",
        )
    return codes[0]


def read_programme(code: str, as_of: datetime | None = None) -> StoredProgramme:
    """The programme's definitions and observations as they stood at `as_of` (default: now)."""
    programme = models.Programme.objects.get(code=code)
    definitions = models.DefinitionRevision.objects.filter(programme=programme)
    if as_of is not None:
        definitions = definitions.filter(recorded_at__lte=as_of)
    revision = definitions.order_by("-recorded_at", "-id").first()
    if revision is None:
        raise UserError(
            f"programme '{code}' did not exist yet at {as_of:%Y-%m-%d %H:%M}"
            if as_of
            else f"'{code}' has no definitions",
            f"{as_of:%Y-%m-%d %H:%M} 時点ではプログラム「{code}」はまだありません"
            if as_of
            else f"「{code}」に定義がありません",
        )
    files = {name: text.encode() for name, text in revision.documents.items()}
    files[OBSERVATIONS] = b"code,org_unit,period,kind,value\n"
    programme_only = parse_programme_files(files).programme
    rows = _current_rows(programme, as_of)
    observations = []
    for row in rows.values():
        assert row.value is not None
        observations.append(
            Observation(
                code=row.code,
                org_unit=row.org_unit,
                period=parse_period(row.period),
                kind=ObservationKind(row.kind),
                value=Decimal(row.value),
                text=row.text,
                precision=parse_japanese_number(row.text).precision,
                note=row.note,
                source=row.source,
                method=row.method,
            )
        )
    frame = pl.DataFrame(
        {
            "code": [o.code for o in observations],
            "org_unit": [o.org_unit for o in observations],
            "period": [o.period.key for o in observations],
            "kind": [o.kind.value for o in observations],
            "source": [o.source for o in observations],
            "value": [float(o.value) for o in observations],
            "text": [o.text for o in observations],
            "recorded_at": [None] * len(observations),
            "withdrawn": [False] * len(observations),
        },
        schema=REVISION_SCHEMA,
    )
    dataset = Dataset(programme=programme_only, observations=tuple(observations))
    return StoredProgramme(dataset, frame, revision.recorded_at, as_of)


def history(code: str, series: str, org_unit: str, period: str) -> list[models.ObservationRevision]:
    """Every revision of the observations of one series, org unit and period, oldest first."""
    return list(
        models.ObservationRevision.objects.filter(
            programme__code=code, code=series, org_unit=org_unit, period=period
        ).order_by("recorded_at", "id")
    )
