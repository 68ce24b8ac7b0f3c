"""Write the upgrade fixtures of the installed shihyo release: an SQLite database and a PostgreSQL dump.

Run it with the release's own Python (any release that has `shihyo load`, `shihyo round open` and
the collection services), from its checkout or an installed wheel:

    python tests/upgrade/make_fixture.py --programme-dir examples/kobe \\
        --postgres postgresql://postgres@127.0.0.1:5432/shihyo_install_fixture

It writes tests/upgrade/releases/<version>/:
  sqlite.sqlite3.gz   the SQLite database (journal mode DELETE, VACUUMed), gzip
  postgres.sql.gz     `pg_dump` of the PostgreSQL database (plain SQL, no owners or grants), gzip
  sqlite.json / postgres.json   what the release wrote: row counts, a checksum of each table's contents,
                      and the sha256 and line count of `shihyo compute --format csv`
  sqlite-compute.csv.gz / postgres-compute.csv.gz   that compute output itself (to show a difference)

What goes in: the programme loaded from its files; a collection round with one unit approved, one
returned, one approved then reopened, one returned then submitted again; accounts of every role (one
stopped). `snapshot()` is also what the upgrade test compares after migrating (tests/upgrade/test_upgrade.py).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PASSWORD = "upgrade-fixture-password-1"
ROUND = "r4"
START = datetime(2023, 4, 3, 9, 0, tzinfo=UTC)

# the columns that make a table's contents, in the release that wrote the fixture; a later release
# may add columns, but must keep these (renaming one is a data migration and changes this list with it)
CONTENTS: dict[str, tuple[str, ...]] = {
    "catalogue.Programme": ("code", "name", "created_at"),
    "catalogue.DefinitionRevision": ("programme__code", "recorded_at", "recorded_by", "reason", "digest", "documents"),
    "catalogue.ObservationRevision": (
        "programme__code",
        "code",
        "org_unit",
        "period",
        "kind",
        "source",
        "value",
        "text",
        "note",
        "method",
        "recorded_at",
        "recorded_by",
        "reason",
    ),
    "collection.Round": (
        "programme__code",
        "code",
        "name",
        "series",
        "periods",
        "org_units",
        "due",
        "outlier_threshold",
        "opened_at",
        "opened_by",
    ),
    "collection.Submission": ("round__code", "org_unit", "state", "version", "changed_at"),
    "collection.SubmissionEvent": (
        "submission__round__code",
        "submission__org_unit",
        "action",
        "state",
        "version",
        "at",
        "by",
        "comment",
        "via",
    ),
    "collection.EntryRevision": (
        "submission__round__code",
        "submission__org_unit",
        "event__version",
        "code",
        "period",
        "value",
        "text",
        "comment",
        "recorded_at",
        "recorded_by",
    ),
    "collection.Membership": ("user__username", "role", "org_units"),
    "collection.AccountEvent": ("username", "action", "role", "org_units", "at", "by"),
    "auth.User": ("username", "password", "is_active", "is_staff", "is_superuser"),
}


def _plain(value: Any) -> Any:
    """One value as the same text on SQLite and PostgreSQL."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def snapshot() -> dict[str, Any]:
    """Row counts and a sha256 of each table's contents (rows in id order), from the open Django database."""
    from django.apps import apps

    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    for label, fields in CONTENTS.items():
        model = apps.get_model(label)
        rows = model._default_manager.order_by("id").values_list(*fields)
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator():
            digest.update(json.dumps([_plain(v) for v in row], ensure_ascii=False, sort_keys=True).encode())
            digest.update(b"\n")
            count += 1
        counts[label] = count
        checksums[label] = digest.hexdigest()
    return {"counts": counts, "checksums": checksums}


def shihyo_command() -> list[str]:
    """The installed `shihyo` command of this Python (a console script next to it, shihyo.exe on Windows)."""
    folder = Path(sys.executable).parent
    found = shutil.which("shihyo", path=str(folder))
    return [found] if found else [sys.executable, "-m", "shihyo.cli"]


def compute_csv(env: dict[str, str]) -> str:
    """`shihyo compute --format csv` of the database that env points at."""
    done = subprocess.run(
        [*shihyo_command(), "compute", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return done.stdout


def _shihyo(env: dict[str, str], *args: str) -> None:
    subprocess.run([*shihyo_command(), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def _inputs(round_: Any, org_unit: str, bump: int = 0) -> list[Any]:
    """A unit's figures: last period's value plus `bump` (`bump` where there is none), each with a comment."""
    from shihyo.core.collection import EntryInput
    from shihyo.web.collection import services

    template = services.template_of(round_, org_unit)
    return [
        EntryInput(row.series.code, row.period, str((row.previous or 0) + bump), comment="前年度と同程度（検証用）")
        for row in template.rows
    ]


def populate() -> None:
    """The round's steps and the accounts (the programme is loaded and the round opened by the CLI)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
    import django

    django.setup()
    from shihyo.core.collection import Action
    from shihyo.web.collection import accounts, models, services

    round_ = models.Round.objects.get(code=ROUND)
    moment = iter(START + timedelta(minutes=10 * i) for i in range(1000))

    def submit(unit: str, bump: int = 0) -> None:
        version = services.submission_of(round_, unit).version
        services.submit(
            round_, unit, _inputs(round_, unit, bump), base_version=version, by=f"{unit}-clerk", via="web",
            now=next(moment),
        )  # fmt: skip

    def step(unit: str, action: Action, comment: str = "") -> None:
        version = services.submission_of(round_, unit).version
        services.review(round_, unit, action, comment=comment, base_version=version, by="reviewer", now=next(moment))

    submit("higashinada_ward")
    step("higashinada_ward", Action.APPROVE)
    submit("nada_ward")
    step("nada_ward", Action.RETURN, "R4の件数を確認してください")
    submit("chuo_ward")
    step("chuo_ward", Action.APPROVE)
    step("chuo_ward", Action.REOPEN, "集計漏れの報告があったため再開")
    submit("kita_ward")
    step("kita_ward", Action.RETURN, "桁が違います")
    submit("kita_ward", bump=1)

    accounts.save_account("office", "admin", [], PASSWORD, by="fixture")
    accounts.save_account("reviewer", "reviewer", [], PASSWORD, by="fixture")
    accounts.save_account("higashinada", "submitter", ["higashinada_ward"], PASSWORD, by="fixture")
    accounts.save_account("council", "viewer", [], PASSWORD, by="fixture")
    accounts.set_active("council", False, by="office")


def _record(env: dict[str, str], out: Path, name: str) -> None:
    """Write <name>.json and <name>-compute.csv.gz for the database that env points at."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--snapshot"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    compute = compute_csv(env)
    import shihyo

    facts = {
        "release": shihyo.__version__,
        "written_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        **json.loads(done.stdout),
        "compute": {
            "sha256": hashlib.sha256(compute.encode()).hexdigest(),
            "lines": compute.count("\n"),
        },
    }
    (out / f"{name}.json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / f"{name}-compute.csv.gz").write_bytes(gzip.compress(compute.encode(), mtime=0))


def build(env: dict[str, str], programme_dir: Path) -> None:
    _shihyo(env, "load", str(programme_dir), "--by", "fixture", "--reason", "upgrade fixture")
    _shihyo(env, "round", "open", ROUND, "--name", "R4年度", "--period", "R4", "--due", "2023-05-31")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--populate"], env=env, check=True)


def sqlite_fixture(programme_dir: Path, out: Path, base_env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**base_env, "SHIHYO_HOME": tmp}
        env.pop("SHIHYO_DATABASE_URL", None)
        build(env, programme_dir)
        _record(env, out, "sqlite")
        database = Path(tmp) / "shihyo.sqlite3"
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
        connection.close()
        (out / "sqlite.sqlite3.gz").write_bytes(gzip.compress(database.read_bytes(), mtime=0))


def postgres_fixture(url: str, programme_dir: Path, out: Path, base_env: dict[str, str]) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    with tempfile.TemporaryDirectory() as tmp:
        env = {**base_env, "SHIHYO_HOME": tmp, "SHIHYO_DATABASE_URL": url}
        build(env, programme_dir)
        _record(env, out, "postgres")
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--format", "plain", url], capture_output=True, check=True
    ).stdout
    (out / "postgres.sql.gz").write_bytes(gzip.compress(dump, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programme-dir", type=Path, required=False, help="the programme files to load")
    parser.add_argument("--postgres", help="PostgreSQL URL of a database this script may drop and create")
    parser.add_argument("--out", type=Path, help="where to write (default: releases/<version> next to this file)")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        populate()
        return
    if args.snapshot:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
        import django

        django.setup()
        json.dump(snapshot(), sys.stdout)
        return
    import shihyo

    if args.programme_dir is None:
        parser.error("--programme-dir is needed")
    out = args.out or HERE / "releases" / shihyo.__version__
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    base_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SHIHYO_LOG_LEVEL": "WARNING"}
    sqlite_fixture(args.programme_dir.resolve(), out, base_env)
    if args.postgres:
        postgres_fixture(args.postgres, args.programme_dir.resolve(), out, base_env)
    print(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}")


if __name__ == "__main__":
    main()
