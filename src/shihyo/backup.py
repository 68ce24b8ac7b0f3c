"""`shihyo backup FILE` and `shihyo restore FILE`: the whole database, history included, while it runs.

- SQLite: SQLite's online backup API copies the database page by page into FILE as one consistent snapshot,
  while the server goes on reading and writing (WAL). Restoring copies FILE back over the database the same
  way, in one write transaction, so a reader sees the old database or the restored one, never a mixture.
- PostgreSQL: `pg_dump --format custom` (a consistent snapshot as well) and `pg_restore --clean`; when the
  PostgreSQL client programs are not installed the command says how to run them by hand.

After a restore the database is migrated to this release (a backup of an earlier release is brought forward)
and the dashboard's report files are removed (data versions may repeat after going back in time). Both
commands print the row counts and a checksum of every revision table, so a restore can be compared with the
backup it came from (`summary`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shihyo.core.problems import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# the history tables a backup must keep whole: (table, columns in a fixed order)
HISTORY_TABLES: dict[str, tuple[str, ...]] = {
    "catalogue_definitionrevision": ("id", "programme_id", "recorded_at", "recorded_by", "reason", "digest"),
    "catalogue_observationrevision": (
        *("id", "programme_id", "code", "org_unit", "period", "kind", "source", "value", "text", "note", "method"),
        *("recorded_at", "recorded_by", "reason"),
    ),
    "collection_submissionevent": ("id", "submission_id", "action", "state", "version", "at", "by", "comment", "via"),
    "collection_entryrevision": (
        *("id", "submission_id", "event_id", "code", "period", "value", "text", "comment", "recorded_at"),
        "recorded_by",
    ),
    "collection_accountevent": ("id", "username", "action", "role", "at", "by"),
}
COUNTED_TABLES = (*HISTORY_TABLES, "catalogue_programme", "collection_round", "collection_submission", "auth_user")


@dataclass(frozen=True)
class Summary:
    """Row counts and one checksum over every revision, as the database holds them."""

    counts: dict[str, int]
    checksum: str

    def render(self) -> str:
        counts = ", ".join(f"{table.split('_', 1)[1]} {n}" for table, n in self.counts.items())
        return f"{counts}; revisions checksum {self.checksum[:16]}"


def _database() -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    db: dict[str, Any] = dict(connection.settings_dict or settings.DATABASES["default"])
    return db


def is_sqlite() -> bool:
    return str(_database()["ENGINE"]).endswith("sqlite3")


def _summarise(rows: Callable[[str], Iterable[Sequence[object]]]) -> Summary:
    """Counts and the checksum, from a function that runs one query and gives its rows."""
    counts = {table: int(str(next(iter(rows(f"SELECT COUNT(*) FROM {table}")))[0])) for table in COUNTED_TABLES}
    digest = hashlib.sha256()
    for table, columns in HISTORY_TABLES.items():
        for row in rows(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"):
            digest.update(repr(tuple(_plain(v) for v in row)).encode("utf-8", "surrogatepass"))
    return Summary(counts, digest.hexdigest())


def summary() -> Summary:
    """Counts of the main tables and a SHA-256 over every revision row in id order, of the live database."""
    from django.db import connection

    with connection.cursor() as cursor:

        def rows(query: str) -> list[Sequence[object]]:
            cursor.execute(query)
            return list(cursor.fetchall())

        return _summarise(rows)


def _plain(value: object) -> object:
    """A value as text that is the same on both databases and both drivers (times in UTC, to the second)."""
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        try:  # SQLite keeps times as text
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return _plain(parsed)
    return value


def backup(target: Path) -> Summary:
    """Write the database into `target` (a new file) while it stays in use; the summary of what was written."""
    if target.exists():
        raise UserError(
            ja=f"{target} はすでにあります。別の名前を指定するか、先に移動してください",
            en=f"{target} exists already: give another name or move it away first",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite():
        return _sqlite_backup(target)
    _pg_dump(target)
    return summary()


def _sqlite_backup(target: Path) -> Summary:
    source = sqlite3.connect(str(_database()["NAME"]), timeout=30)
    partial = target.with_name(target.name + ".partial")
    try:
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)  # one step: a consistent snapshot even while others write
        finally:
            copy.close()
        os.replace(partial, target)
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return file_summary(target)


def file_summary(path: Path) -> Summary:
    """The summary of a SQLite backup file, read without touching the live database."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _summarise(lambda query: db.execute(query).fetchall())
    finally:
        db.close()


def _kind_of(path: Path) -> str:
    if not path.is_file():
        raise UserError(ja=f"{path} がありません", en=f"{path} does not exist")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise UserError(
        ja=f"{path} は shihyo のバックアップ（SQLite のファイルか pg_dump --format custom の出力）ではありません",
        en=f"{path} is not a shihyo backup (a SQLite file or the output of pg_dump --format custom)",
    )


def restore(source: Path) -> Summary:
    """Replace the database with the backup in `source`, migrate it to this release; the summary after."""
    kind = _kind_of(source)
    if kind != ("sqlite" if is_sqlite() else "postgresql"):
        raise UserError(
            ja=f"{source} は {kind} のバックアップですが、設定されたデータベースは別の種類です"
            "（SHIHYO_DATABASE_URL を確認してください）",
            en=f"{source} is a {kind} backup but the configured database is not (check SHIHYO_DATABASE_URL)",
        )
    from django.db import connection

    connection.close()
    if kind == "sqlite":
        _sqlite_restore(source)
    else:
        _pg_restore(source)
    from shihyo import operations
    from shihyo.web.catalogue.evaluation import clear_cache

    operations.migrate()
    clear_cache()
    _remove_report_files()
    return summary()


def _sqlite_restore(source: Path) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        names = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "django_migrations" not in names or "catalogue_observationrevision" not in names:
            raise UserError(
                ja=f"{source} は SQLite のファイルですが、shihyo のデータベースではありません",
                en=f"{source} is a SQLite file but not a shihyo database",
            )
        live = sqlite3.connect(str(_database()["NAME"]), timeout=30)
        try:
            backup_db.backup(live)  # one write transaction over the live file
        finally:
            live.close()
    finally:
        backup_db.close()


def _remove_report_files() -> None:
    from django.conf import settings

    shutil.rmtree(Path(settings.REPORT_CACHE_DIR), ignore_errors=True)


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    db = _database()
    found = shutil.which(program)
    if found is None:
        raise UserError(
            ja=f"{program} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れるか、"
            f"手で実行してください: pg_dump --format custom --file FILE {_url_hint(db)} / "
            f"pg_restore --clean --if-exists --no-owner --dbname {_url_hint(db)} FILE",
            en=f"{program} is not installed: install the PostgreSQL client programs (postgresql-client), or run "
            f"by hand: pg_dump --format custom --file FILE {_url_hint(db)} / "
            f"pg_restore --clean --if-exists --no-owner --dbname {_url_hint(db)} FILE",
        )
    args = [found, "--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _url_hint(db: dict[str, Any]) -> str:
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"postgresql://{db.get('USER') or 'USER'}@{host}/{db.get('NAME')}"


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise UserError(ja=f"{what} に失敗しました: {reason}", en=f"{what} failed: {reason}")


def _pg_dump(target: Path) -> None:
    args, env = _pg_command("pg_dump")
    partial = target.with_name(target.name + ".partial")
    try:
        _run([*args, "--format", "custom", "--file", str(partial), str(_database()["NAME"])], env, "pg_dump")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _pg_restore(source: Path) -> None:
    args, env = _pg_command("pg_restore")
    _run(
        [*args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", str(_database()["NAME"]),
         str(source)],
        env,
        "pg_restore",
    )
