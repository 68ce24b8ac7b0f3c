"""Accounts belong to programme teams: `Membership.teams`, and the account history records them."""

from django.db import migrations, models

from shihyo.web.catalogue.triggers import append_only, dropped_append_only


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0006_ops_signin_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="teams",
            field=models.JSONField(default=list),
        ),
        dropped_append_only("collection_accountevent"),
        migrations.AddField(
            model_name="accountevent",
            name="teams",
            field=models.JSONField(default=list),
        ),
        append_only("collection_accountevent"),
    ]
