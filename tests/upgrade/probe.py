"""What the upgrade tests do inside a migrated database, each in a process of its own (python -m tests.upgrade.probe).

- `submit`: the earlier release's round goes on: the units below the city are approved bottom-up and the
  city submits changed figures that the reviewer approves; prints the city's versions before and after,
  how many values were published and how many steps were recorded.
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
    """The round of the earlier release goes on: every unit below the city submits what it is asked for now
    (with the programme's default, the city reports every series) and is approved bottom-up, then the city
    submits changed figures and is approved."""
    from shihyo.core.collection import Action, EntryInput, State, children_in_round, is_percentage
    from shihyo.web.collection import models, services

    round_ = models.Round.objects.get(code="r4")
    programme = services.programme_of(round_)
    kids = children_in_round(programme, round_.org_units)
    city = next(code for code in round_.org_units if programme.org_unit_by_code()[code].parent is None)
    events_before = models.SubmissionEvent.objects.count()

    def submit_and_approve(unit: str, plus: int) -> tuple[int, int]:
        current = services.submission_of(round_, unit)
        state = State(current.state)
        if state is State.APPROVED:
            return 0, 0
        rows = services.template_of(round_, unit).rows
        def changed(row: Any) -> str:  # a figure the checks accept: last period's, moved up, shares within 100
            value = abs(row.previous or 0) + plus
            return str(min(value, 100) if is_percentage(row.series) else value)

        inputs = [EntryInput(r.series.code, r.period, changed(r), comment="確認のうえ再提出") for r in rows]
        submitted = services.submit(round_, unit, inputs, base_version=current.version, by="clerk", via="web")
        approved = services.review(
            round_, unit, Action.APPROVE, comment="", base_version=submitted.version, by="reviewer"
        )
        return submitted.changed, approved.changed

    def walk(unit: str) -> None:
        for child in kids.get(unit, ()):
            walk(child)
            submit_and_approve(child, 0)

    walk(city)
    before = services.submission_of(round_, city)
    changed, published = submit_and_approve(city, 2)
    after = services.submission_of(round_, city)
    return {
        "state_before": before.state,
        "version_before": before.version,
        "changed": changed,
        "published": published,
        "state_after": after.state,
        "version_after": after.version,
        "events_added": models.SubmissionEvent.objects.count() - events_before,
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
