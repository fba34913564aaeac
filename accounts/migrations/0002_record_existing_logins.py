"""Logins made before Kring kept their list become part of it, so "Log out
everywhere" ends them too. Their device and start were not recorded: the list says
so; "last active" is when this ran, until their next request."""

from importlib import import_module

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def record_existing(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    Login = apps.get_model("accounts", "Login")
    Person = apps.get_model(settings.AUTH_USER_MODEL)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = timezone.now()
    people = set(Person.objects.values_list("pk", flat=True))
    batch = []
    for session in Session.objects.filter(expire_date__gt=now).iterator(chunk_size=2000):
        user_id = store.decode(session.session_data).get("_auth_user_id")
        try:
            person_id = int(user_id)
        except (TypeError, ValueError):
            continue
        if person_id in people:
            batch.append(Login(session_id=session.pk, person_id=person_id, last_seen=now))
        if len(batch) >= 2000:
            Login.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Login.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_logins")]

    operations = [migrations.RunPython(record_existing, migrations.RunPython.noop)]
