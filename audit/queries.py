from datetime import datetime

from django.db.models import QuerySet

from audit.models import Entry


def older_than(moment: datetime) -> QuerySet[Entry]:
    return Entry.objects.filter(created_at__lt=moment)
