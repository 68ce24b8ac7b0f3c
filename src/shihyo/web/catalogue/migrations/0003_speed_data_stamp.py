"""A per-programme row holding its data version (the newest revision ids), filled from the history."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Max


def fill(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    programme_model = apps.get_model("catalogue", "Programme")
    stamp_model = apps.get_model("catalogue", "DataStamp")
    definition_model = apps.get_model("catalogue", "DefinitionRevision")
    observation_model = apps.get_model("catalogue", "ObservationRevision")
    for programme in programme_model.objects.all():
        definitions = definition_model.objects.filter(programme=programme).aggregate(m=Max("id"), at=Max("recorded_at"))
        observations = observation_model.objects.filter(programme=programme).aggregate(
            m=Max("id"), at=Max("recorded_at")
        )
        moments = [m for m in (definitions["at"], observations["at"], programme.created_at) if m is not None]
        stamp_model.objects.create(
            programme=programme,
            definitions=definitions["m"] or 0,
            observations=observations["m"] or 0,
            changed_at=max(moments),
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_append_only_triggers")]
    operations = [
        migrations.CreateModel(
            name="DataStamp",
            fields=[
                (
                    "programme",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="stamp",
                        serialize=False,
                        to="catalogue.programme",
                    ),
                ),
                ("definitions", models.BigIntegerField(default=0)),
                ("observations", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
