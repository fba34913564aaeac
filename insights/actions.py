"""The insights app's writes: what people's use of Kring leaves for the coach
(an active day, a page opened), and the roll-ups beat makes of finished days."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from communities.models import Person
from insights.models import ActiveDay, PageUse


def note_active(person: Person, day: date) -> None:
    """``person`` opened Kring on ``day``: recorded once (a second call writes nothing new)."""
    ActiveDay.objects.bulk_create([ActiveDay(person=person, day=day)], ignore_conflicts=True)


def count_use(place: str, day: date) -> None:
    """One more opening of ``place`` on ``day``: one UPDATE, or an INSERT the first time."""
    place = place[:200]
    if PageUse.objects.filter(day=day, place=place).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            PageUse.objects.create(day=day, place=place, views=1)
    except IntegrityError:
        # Another request made the row in between: count on it.
        PageUse.objects.filter(day=day, place=place).update(views=F("views") + 1)
