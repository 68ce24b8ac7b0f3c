"""What the upgrade tests do inside a migrated database, each in a process of its own (python -m tests.upgrade.probe).

- `submit`: the returned unit (nada_ward) submits changed figures and the reviewer approves them;
  prints the versions before and after and how many values were published.
- `break`: applies a migration that changes data half-way (a new table, a new revision, every
  submission's state rewritten) and then fails; prints what the failure said.
- `snapshot`: the row counts and table checksums (as make_fixture.py records them).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
    import django

    django.setup()


def submit() -> dict[str, Any]:
    from shihyo.core.collection import Action, EntryInput
    from shihyo.web.collection import models, services

    round_ = models.Round.objects.get(code="r4")
    unit = "nada_ward"
    before = services.submission_of(round_, unit)
    template = services.template_of(round_, unit)
    inputs = [
        EntryInput(row.series.code, row.period, str((row.previous or 0) + 2), comment="確認のうえ再提出")
        for row in template.rows
    ]
    submitted = services.submit(round_, unit, inputs, base_version=before.version, by="nada-clerk", via="web")
    approved = services.review(round_, unit, Action.APPROVE, comment="", base_version=submitted.version, by="reviewer")
    after = services.submission_of(round_, unit)
    return {
        "state_before": before.state,
        "version_before": before.version,
        "changed": submitted.changed,
        "published": approved.changed,
        "state_after": after.state,
        "version_after": after.version,
    }


def break_migration() -> dict[str, Any]:
    from django.db import connection, migrations, models
    from django.db.migrations.executor import MigrationExecutor

    def rewrite(apps: Any, schema_editor: Any) -> None:
        revision = apps.get_model("catalogue", "ObservationRevision")
        first = revision.objects.order_by("id").first()
        revision.objects.create(
            programme_id=first.programme_id,
            code=first.code,
            org_unit=first.org_unit,
            period=first.period,
            kind=first.kind,
            value="0",
            recorded_at=first.recorded_at,
        )
        apps.get_model("collection", "Submission").objects.update(state="approved", version=99)

    def fail(apps: Any, schema_editor: Any) -> None:
        raise RuntimeError("this migration fails half-way on purpose")

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()

    steps = [
        migrations.CreateModel(
            name="Scratch", fields=[("id", models.BigAutoField(primary_key=True)), ("note", models.TextField())]
        ),
        migrations.RunPython(rewrite, migrations.RunPython.noop),
        migrations.RunPython(fail, migrations.RunPython.noop),
    ]
    after = [node for node in leaves if node[0] == "collection"]
    kind = type("Broken", (migrations.Migration,), {"dependencies": after, "operations": steps})
    broken = kind("9999_fails_half_way", "collection")
    state = executor.loader.project_state(leaves)
    try:
        executor.apply_migration(state, broken)
    except RuntimeError as exc:
        failure = str(exc)
    else:  # pragma: no cover - the migration always fails
        failure = ""
    tables = connection.introspection.table_names()
    recorded = executor.recorder.applied_migrations()
    return {
        "failure": failure,
        "scratch_table": "collection_scratch" in tables,
        "recorded": ("collection", "9999_fails_half_way") in recorded,
    }


def main() -> None:
    _setup()
    mode = sys.argv[1]
    if mode == "submit":
        result = submit()
    elif mode == "break":
        result = break_migration()
    else:
        from tests.upgrade.make_fixture import snapshot

        result = snapshot()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
