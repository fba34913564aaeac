from django.db import migrations


def mark(apps, schema_editor):
    """Accounts of integrations made before the core knew them apart."""
    Integration = apps.get_model("integrations", "Integration")
    Person = apps.get_model("communities", "Person")
    Person.objects.filter(pk__in=Integration.objects.values("account_id")).update(
        is_integration=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("communities", "0022_person_is_integration"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
