"""Reading incidents: always through ``Incident.objects.visible_to``."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from communities.models import Person
from incidents.models import Incident, IncidentFollow


def may_see_incidents(person: Person | AnonymousUser) -> bool:
    """Incidents are organisation-wide: one test, the same as the queryset's."""
    return person.is_authenticated and person.is_active and person.erased_at is None


def current_incidents() -> list[Incident]:
    """The widget's incidents for everyone (it is rendered once, for all who may see
    incidents): unresolved first, newest first. One query."""
    rows = list(Incident.objects.current().order_by("-opened_at", "-pk"))
    rows.sort(key=lambda incident: incident.is_resolved)
    return rows


def visible_current(person: Person | AnonymousUser) -> list[Incident]:
    if not may_see_incidents(person):
        return []
    return current_incidents()


def visible_incident(person: Person | AnonymousUser, pk: int) -> Incident | None:
    return Incident.objects.visible_to(person).filter(pk=pk).first()


def followed_ids(person: Person | AnonymousUser) -> set[int]:
    if not may_see_incidents(person):
        return set()
    rows = IncidentFollow.objects.filter(person_id=cast(int, person.pk))
    return set(rows.values_list("incident_id", flat=True))


def followers_to_tell(incident: Incident) -> QuerySet[Person]:
    """Those who follow it and may still see it: active, not erased."""
    return Person.objects.filter(
        pk__in=IncidentFollow.objects.filter(incident=incident).values("person_id"),
        is_active=True,
        erased_at__isnull=True,
    ).order_by("pk")


def follows_of(person: Person) -> list[IncidentFollow]:
    """The incidents the person follows, oldest follow first (their data download)."""
    return list(
        IncidentFollow.objects.filter(person=person).select_related("incident").order_by("at", "pk")
    )
