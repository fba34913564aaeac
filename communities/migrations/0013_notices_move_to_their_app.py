"""Notification preferences and emails belong to the ``notices`` app now.

Only Django's idea of which app holds them changes: the tables stay as they
are, under their names (``notices`` declares them with ``db_table``)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0012_post_changed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NotificationPreferences"),
                migrations.DeleteModel(name="EmailDelivery"),
            ],
            database_operations=[],
        ),
    ]
