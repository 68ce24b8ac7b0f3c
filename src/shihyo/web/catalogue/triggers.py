"""Database triggers that refuse to update revision rows, whatever code tries (used by migrations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _create(tables: Sequence[str], schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION shihyo_append_only() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql",
                params=None,  # the SQL holds a literal '%'
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION shihyo_append_only()"
            )


def _drop(tables: Sequence[str], schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in tables:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


def append_only(*tables: str) -> migrations.RunPython:
    """A migration step adding (and on reverse removing) the no-update trigger of each table."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _create(tables, schema_editor)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _drop(tables, schema_editor)

    return migrations.RunPython(forward, backward)


def dropped_append_only(*tables: str) -> migrations.RunPython:
    """The reverse of `append_only`: put before a schema change of an append-only table (SQLite rebuilds a
    table to change it, which loses its triggers), with `append_only` after it."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _drop(tables, schema_editor)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _create(tables, schema_editor)

    return migrations.RunPython(forward, backward)
