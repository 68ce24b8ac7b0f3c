"""The database itself refuses to update revision rows, whatever code tries."""

from django.db import migrations

from shihyo.web.catalogue.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [append_only("catalogue_definitionrevision", "catalogue_observationrevision")]
