"""Submission steps and entered values are history: the database refuses to update them."""

from django.db import migrations

from shihyo.web.catalogue.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("collection", "0001_initial")]
    operations = [append_only("collection_submissionevent", "collection_entryrevision")]
