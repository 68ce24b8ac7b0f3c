"""Decisions on published figures that differ from their recomputation (append-only, like every revision)."""

import django.db.models.deletion
from django.db import migrations, models

from shihyo.web.catalogue.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_notes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResolutionRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=100)),
                ("org_unit", models.CharField(max_length=100)),
                ("period", models.CharField(max_length=20)),
                ("basis", models.CharField(max_length=16)),
                ("keep", models.CharField(max_length=16)),
                ("reason", models.TextField()),
                ("published_text", models.CharField(blank=True, max_length=100)),
                ("recomputed_text", models.CharField(blank=True, max_length=100)),
                ("recorded_at", models.DateTimeField()),
                ("recorded_by", models.CharField(max_length=150)),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resolutions",
                        to="catalogue.programme",
                    ),
                ),
            ],
            options={
                "ordering": ("recorded_at", "id"),
                "indexes": [models.Index(fields=["programme", "recorded_at"], name="resolution_as_of")],
            },
        ),
        append_only("catalogue_resolutionrevision"),
        migrations.AddField(
            model_name="datastamp",
            name="resolutions",
            field=models.BigIntegerField(default=0),
        ),
    ]
