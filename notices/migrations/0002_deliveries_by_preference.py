"""A person's choices per preference in one JSON field, so a kind of notification
registered later (``notices.registry``) needs no migration. Each stored choice
is kept."""

from django.db import migrations, models

PREFERENCES = ("mention", "reply", "reaction", "follower", "group", "new_post")


def gather(apps, schema_editor):
    Preferences = apps.get_model("notices", "NotificationPreferences")
    for prefs in Preferences.objects.all():
        prefs.deliveries = {name: getattr(prefs, name) for name in PREFERENCES}
        prefs.save(update_fields=["deliveries"])


def spread(apps, schema_editor):
    Preferences = apps.get_model("notices", "NotificationPreferences")
    for prefs in Preferences.objects.all():
        for name in PREFERENCES:
            if name in (prefs.deliveries or {}):
                setattr(prefs, name, prefs.deliveries[name])
        prefs.save()


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notificationpreferences",
            name="deliveries",
            field=models.JSONField(blank=True, default=dict, verbose_name="deliveries"),
        ),
        migrations.RunPython(gather, spread),
        *(
            migrations.RemoveField(model_name="notificationpreferences", name=name)
            for name in PREFERENCES
        ),
    ]
