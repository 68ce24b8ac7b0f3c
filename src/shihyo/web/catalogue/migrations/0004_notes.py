"""Commentary and measure progress: append-only revisions like observations."""

import django.db.models.deletion
from django.db import migrations, models

from shihyo.web.catalogue.triggers import append_only


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_speed_data_stamp'),
    ]

    operations = [
        migrations.CreateModel(
            name='CommentaryRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(blank=True, max_length=100)),
                ('period', models.CharField(max_length=20)),
                ('findings', models.TextField(blank=True)),
                ('issues', models.JSONField(default=list)),
                ('actions', models.JSONField(default=list)),
                ('state', models.CharField(max_length=16)),
                ('source', models.CharField(blank=True, max_length=300)),
                ('recorded_at', models.DateTimeField()),
                ('recorded_by', models.CharField(blank=True, max_length=150)),
                ('reason', models.TextField(blank=True)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commentary', to='catalogue.programme')),
            ],
            options={
                'ordering': ('recorded_at', 'id'),
                'indexes': [models.Index(fields=['programme', 'recorded_at'], name='commentary_as_of')],
            },
        ),
        migrations.CreateModel(
            name='ProgressRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=100)),
                ('period', models.CharField(max_length=20)),
                ('state', models.CharField(max_length=16)),
                ('note', models.TextField(blank=True)),
                ('recorded_at', models.DateTimeField()),
                ('recorded_by', models.CharField(blank=True, max_length=150)),
                ('reason', models.TextField(blank=True)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress', to='catalogue.programme')),
            ],
            options={
                'ordering': ('recorded_at', 'id'),
                'indexes': [models.Index(fields=['programme', 'recorded_at'], name='progress_as_of')],
            },
        ),
        append_only("catalogue_commentaryrevision", "catalogue_progressrevision"),
        migrations.AddField(
            model_name="datastamp",
            name="notes",
            field=models.BigIntegerField(default=0),
        ),
    ]
