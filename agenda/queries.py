"""Reading the agenda: always through ``Event.objects.visible_to``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agenda.models import Attendance, CalendarFeed, Event
from communities.models import Group, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communities.models import Person

Status = Attendance.Status


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``going`` and ``waiting`` counted in the same query."""
    return events.annotate(
        going=Count("attendances", filter=Q(attendances__status=Status.GOING)),
        waiting=Count("attendances", filter=Q(attendances__status=Status.WAITING)),
    )


def upcoming_events(person: Person | AnonymousUser, group: Group | None = None) -> QuerySet[Event]:
    """What the agenda page lists: events not over that this person may see, by date."""
    events = Event.objects.visible_to(person).upcoming()
    if group is not None:
        events = events.filter(group=group)
    return with_counts(events.select_related("group", "organiser")).order_by("start", "pk")


def visible_event(person: Person | AnonymousUser, event_id: int) -> Event | None:
    return (
        with_counts(Event.objects.visible_to(person).select_related("group", "organiser"))
        .filter(pk=event_id)
        .first()
    )


def event_with_counts(event_id: int) -> Event | None:
    """For fragments that are the same for every viewer (the places left)."""
    return with_counts(Event.objects.select_related("group")).filter(pk=event_id).first()


def filter_groups(person: Person | AnonymousUser) -> QuerySet[Group]:
    """The groups the agenda page can filter on: those one may read that have events."""
    return Group.objects.readable_by(person).filter(pk__in=Event.objects.values("group_id"))


def groups_to_organise_in(person: Person) -> QuerySet[Group]:
    """Groups one may add an event to: those one belongs to (organisation news:
    its managers only, who alone post there)."""
    memberships = Membership.objects.filter(person=person)
    return Group.objects.filter(
        Q(pk__in=memberships.values("group_id"), is_news=False)
        | Q(pk__in=memberships.managing().values("group_id"), is_news=True)
    )


def may_organise_in(person: Person, group: Group | None) -> bool:
    """Members create events in their groups; anyone active creates
    organisation-wide ones."""
    if not person.is_authenticated or not person.is_active:
        return False
    if group is None:
        return True
    return groups_to_organise_in(person).filter(pk=group.pk).exists()


def may_manage(person: Person | AnonymousUser, event: Event) -> bool:
    """The organiser edits, cancels and sees who comes; so do the group's managers."""
    if not person.is_authenticated:
        return False
    if event.organiser_id == person.pk:
        return True
    if event.group_id is None:
        return bool(getattr(person, "is_staff", False))
    return Membership.objects.managing().filter(group_id=event.group_id, person=person).exists()


def answer_of(person: Person | AnonymousUser, event: Event) -> Attendance | None:
    if not person.is_authenticated:
        return None
    return Attendance.objects.filter(event=event, person=person).first()


def waiting_position(attendance: Attendance | None) -> int | None:
    """One's place on the waiting list (1 is next), or None when not waiting."""
    if attendance is None or attendance.status != Status.WAITING:
        return None
    ahead = Attendance.objects.filter(event_id=attendance.event_id, status=Status.WAITING).filter(
        Q(queued_at__lt=attendance.queued_at)
        | Q(queued_at=attendance.queued_at, pk__lt=attendance.pk)
    )
    return ahead.count() + 1


def answers_of(person: Person | AnonymousUser, events: list[Event]) -> dict[int, str]:
    """Event id → this person's status, for a page of events (one query)."""
    if not person.is_authenticated or not events:
        return {}
    rows = Attendance.objects.filter(person=person, event__in=[e.pk for e in events])
    return dict(rows.values_list("event_id", "status"))


@dataclass
class AttendeeList:
    going: list[Attendance]
    waiting: list[Attendance]
    not_going: list[Attendance]


def attendees(event: Event) -> AttendeeList:
    """Who answered, for the organiser: going, the waiting list in order, not going."""
    rows = list(
        Attendance.objects.filter(event=event).select_related("person").order_by("queued_at", "pk")
    )
    return AttendeeList(
        going=[a for a in rows if a.status == Status.GOING],
        waiting=[a for a in rows if a.status == Status.WAITING],
        not_going=[a for a in rows if a.status == Status.NOT_GOING],
    )


# Calendar feeds -------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_owner(token: str) -> Person | None:
    """Whose calendar this secret address is, if it still works: an active person's."""
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), person__is_active=True)
        .select_related("person")
        .first()
    )
    return feed.person if feed else None


def has_calendar_feed(person: Person) -> bool:
    return CalendarFeed.objects.filter(person=person).exists()


def calendar_events(person: Person) -> QuerySet[Event]:
    """The events in one's calendar feed: those one goes to and may still see,
    from a month back on (cancelled ones too, so calendars mark them)."""
    since = timezone.now() - timedelta(days=31)
    going = Attendance.objects.filter(person=person, status=Status.GOING).values("event_id")
    return (
        Event.objects.visible_to(person)
        .filter(pk__in=going, end__gt=since)
        .select_related("group")
        .order_by("start", "pk")
    )


# Reminders and digests ------------------------------------------------------------


def due_reminders(now: datetime) -> QuerySet[Attendance]:
    """Going to an event that starts in the next day, not reminded yet."""
    return Attendance.objects.filter(
        status=Status.GOING,
        reminded_at__isnull=True,
        event__cancelled_at__isnull=True,
        event__start__gt=now,
        event__start__lte=now + timedelta(days=1),
        person__is_active=True,
    ).select_related("event", "person")


def coming_week(person: Person, now: datetime | None = None) -> list[Event]:
    """The events one goes to in the coming week that one may see (the digest)."""
    now = now or timezone.now()
    going = Attendance.objects.filter(person=person, status=Status.GOING).values("event_id")
    return list(
        Event.objects.visible_to(person)
        .filter(
            pk__in=going,
            cancelled_at__isnull=True,
            start__gt=now,
            start__lte=now + timedelta(days=7),
        )
        .order_by("start", "pk")[:10]
    )


def going_in_coming_week(person_ids: Sequence[int], now: datetime | None = None) -> set[int]:
    """Which of these people go to an event in the coming week, whoever may see it: who
    ``coming_week`` may find something for (a batch of digests; one query)."""
    now = now or timezone.now()
    return set(
        Attendance.objects.filter(
            person_id__in=list(person_ids),
            status=Status.GOING,
            event__cancelled_at__isnull=True,
            event__start__gt=now,
            event__start__lte=now + timedelta(days=7),
        ).values_list("person_id", flat=True)
    )


def next_organisation_events(person: Person | AnonymousUser, count: int = 3) -> list[Any]:
    return list(
        Event.objects.visible_to(person)
        .upcoming()
        .filter(group__isnull=True, cancelled_at__isnull=True)
        .order_by("start", "pk")[:count]
    )
