"""The one write path of the agenda: events, answers, the waiting list, calendar links.

Every answer to an event is given with the event's row locked
(``select_for_update``) inside a transaction, so two people taking the last
place at the same moment are served one after the other: exactly one goes,
the other waits. Whatever changed is announced after commit
(``agenda.signals.event_changed``) for the open pages.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import notice_kinds, queries, signals
from agenda.models import Attendance, CalendarFeed, Event
from communities import actions as community_actions
from communities import cards, parsing
from communities.models import Group, Person, Post, readers_of
from communities.signals import send_after_commit
from notices import actions as notices

Status = Attendance.Status

#: What an event is made of, as the form gives it.
FIELDS = (
    "title",
    "all_day",
    "start",
    "end",
    "start_date",
    "end_date",
    "place",
    "online_url",
    "description",
    "capacity",
    "signup_deadline",
)


# Events ---------------------------------------------------------------------------


def create_event(organiser: Person, group: Group | None, **fields: Any) -> Event:
    """A new event. In a group: by a member (organisation news: its managers), and
    a card tells the group's feed. Organisation-wide: by anyone, on the agenda."""
    if not queries.may_organise_in(organiser, group):
        raise PermissionDenied(_("Join the group to add events to it."))
    event = Event(group=group, organiser=organiser)
    _fill(event, fields)
    with transaction.atomic():
        event.save()
        if group is not None:
            event.post = community_actions.post_to_group(
                organiser,
                group,
                _card_text(event),
                kind=Post.Kind.EVENT,
                title=event.title,
                card=_card(event),
            )
            event.save(update_fields=["post"])
        _announce(event)
        send_after_commit(signals.event_created, Event, event=event)
    return event


def edit_event(actor: Person, event: Event, **fields: Any) -> Event:
    """Change an event (its organiser, or the group's managers). More places move
    people up from the waiting list."""
    if not queries.may_manage(actor, event):
        raise PermissionDenied(_("Only the organiser can change this event."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            raise ValidationError(_("This event was cancelled."))
        _fill(locked, fields)
        locked.save()
        _refresh_card(locked, actor)
        moved = _move_up(locked)
        _announce(locked, moved)
    return locked


def cancel_event(actor: Person, event: Event) -> Event:
    """Call the event off. It stays visible, marked cancelled, and everyone going
    or waiting is told."""
    if not queries.may_manage(actor, event):
        raise PermissionDenied(_("Only the organiser can cancel this event."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            return locked
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "changed_at"])
        _refresh_card(locked, actor)
        told = _may_see(
            locked,
            Person.objects.filter(
                attendances__event=locked,
                attendances__status__in=[Status.GOING, Status.WAITING],
            ),
        )
        notices.notify(notice_kinds.CANCELLED, actor, list(told), target=locked)
        _announce(locked)
    return locked


def _fill(event: Event, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not fields of an event: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)
    event.title = event.title.strip()
    event.place = (event.place or "").strip()
    event.online_url = (event.online_url or "").strip()
    event.description = (event.description or "").strip()
    if event.all_day:
        if event.start_date is None:
            raise ValidationError({"start_date": _("Give the day it starts.")})
        event.end_date = event.end_date or event.start_date
        if event.end_date < event.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first.")})
        event.start, event.end = day_bounds(event.start_date, event.end_date)
    else:
        event.start_date = event.end_date = None
        if event.start is not None and event.end is not None and event.end <= event.start:
            raise ValidationError({"end": _("The end must be after the start.")})
    if event.signup_deadline is not None and event.signup_deadline > event.start:
        raise ValidationError({"signup_deadline": _("Sign-up must close before the start.")})
    event.description_html = parsing.render_body(event.description, {})
    event.full_clean(exclude=["group", "organiser", "post"])


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """All-day from ``first`` to ``last`` (included): from the start of the first day
    to the start of the day after the last, in the organisation's time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def _card_text(event: Event) -> str:
    """The feed card's text: the organiser's own words (the time, the place and the
    link are the card's, worded for each reader: ``_card``)."""
    if event.description:
        return parsing.excerpt(event.description_html, 200)
    return event.title


def _card(event: Event) -> dict[str, Any]:
    return cards.event_card(
        url=reverse("event_detail", args=[event.pk]),
        start=event.start,
        end=event.end,
        all_day=event.all_day,
        place=event.place,
        online=bool(event.online_url),
        cancelled=event.is_cancelled,
    )


def _refresh_card(event: Event, actor: Person) -> None:
    """The feed card follows the event (its time, place, a cancellation) when its
    author, the organiser, changed it; the post's own edit marks and announces it."""
    if event.post_id is None or event.organiser_id != actor.pk:
        return
    post = Post.objects.filter(pk=event.post_id, author=actor, deleted_at=None).first()
    if post is not None:
        community_actions.edit_post(actor, post, _card_text(event), card=_card(event))


# Answers --------------------------------------------------------------------------


def sign_up(person: Person, event: Event) -> Attendance:
    """Going: a place if one is free, else the end of the waiting list."""
    return _answer(person, event, going=True)


def decline(person: Person, event: Event) -> Attendance:
    """Not going (also: leaving the waiting list). A place given up goes to the first
    person waiting, who is told at once."""
    return _answer(person, event, going=False)


def _answer(person: Person, event: Event, *, going: bool) -> Attendance:
    with transaction.atomic():
        locked = Event.objects.select_for_update().filter(pk=event.pk).first()
        if locked is None or not Event.objects.visible_to(person).filter(pk=event.pk).exists():
            raise PermissionDenied(_("You cannot see this event."))
        if locked.is_cancelled:
            raise ValidationError(_("This event was cancelled."))
        now = timezone.now()
        current = Attendance.objects.filter(event=locked, person=person).first()
        before = current.status if current else None
        if going:
            if before in (Status.GOING, Status.WAITING):
                return current  # type: ignore[return-value]
            if locked.start <= now:
                raise ValidationError(_("This event has started: sign-up is closed."))
            if locked.signup_deadline is not None and now > locked.signup_deadline:
                raise ValidationError(_("Sign-up for this event has closed."))
            status = Status.GOING if _has_place(locked) else Status.WAITING
        else:
            if before == Status.NOT_GOING:
                return current  # type: ignore[return-value]
            status = Status.NOT_GOING
        if current is None:
            current = Attendance(event=locked, person=person)
        current.status = status
        current.queued_at = now
        current.save()
        moved = _move_up(locked) if before == Status.GOING else []
        _announce(locked, moved)
    return current


def _has_place(event: Event) -> bool:
    if event.capacity is None:
        return True
    going = Attendance.objects.filter(event=event, status=Status.GOING).count()
    return going < event.capacity


def _move_up(event: Event) -> list[int]:
    """Fill free places from the waiting list, first come first served (the event
    row is locked by the caller). Those moved up are told at once."""
    if event.is_cancelled:
        return []
    queue = Attendance.objects.filter(event=event, status=Status.WAITING).order_by(
        "queued_at", "pk"
    )
    if event.capacity is None:
        moved = list(queue.select_related("person"))
    else:
        going = Attendance.objects.filter(event=event, status=Status.GOING).count()
        free = max(event.capacity - going, 0)
        moved = list(queue.select_related("person")[:free]) if free else []
    if not moved:
        return []
    Attendance.objects.filter(pk__in=[a.pk for a in moved]).update(status=Status.GOING)
    notices.notify(notice_kinds.MOVED_UP, event.organiser, [a.person for a in moved], target=event)
    return [a.person_id for a in moved]


def _may_see(event: Event, people: QuerySet[Person]) -> QuerySet[Person]:
    """Those of ``people`` who may see the event: the visibility rule from the other
    side (``readers_of`` its group; everyone active for an organisation-wide one)."""
    if event.group is None:
        return people.filter(is_active=True)
    return people.filter(readers_of(event.group))


def _announce(event: Event, moved_up: list[int] | None = None) -> None:
    send_after_commit(
        signals.event_changed, Event, event_id=event.pk, moved_up=list(moved_up or [])
    )


# Reminders ------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """ "Tomorrow: <event>" to everyone going to an event that starts within a day,
    once per event and person, however often this runs (or runs at once)."""
    now = now or timezone.now()
    sent = 0
    for attendance in queries.due_reminders(now):
        with transaction.atomic():
            claimed = Attendance.objects.filter(pk=attendance.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            if not Event.objects.visible_to(attendance.person).filter(pk=attendance.event_id):
                continue
            notices.notify(
                notice_kinds.REMINDER,
                attendance.event.organiser,
                [attendance.person],
                target=attendance.event,
            )
            sent += 1
    return sent


# Calendar links -------------------------------------------------------------------


def new_calendar_link(person: Person) -> str:
    """A new secret calendar address for ``person`` (the old one stops working).
    Only its hash is kept: the token is returned once, to be shown."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person, defaults={"token_hash": queries.token_hash(token)}
    )
    return token


def turn_off_calendar_link(person: Person) -> int:
    """The secret calendar address stops working; how many there were (0 or 1)."""
    return CalendarFeed.objects.filter(person=person).delete()[0]


# Forgetting -----------------------------------------------------------------------


def forget_person(person: Person) -> tuple[int, int]:
    """The agenda's part of erasing someone (``privacy.actions.erase_person`` calls it
    inside its transaction): their answers go, each as a cancellation goes, with the
    event locked, so a place they held goes to the first person waiting (who is told);
    and their calendar address stops working. Events they organise stay (the
    organiser shown as "Former colleague"). Returns (answers, calendar links) removed."""
    removed = 0
    with transaction.atomic():
        event_ids = sorted(
            Attendance.objects.filter(person=person).values_list("event_id", flat=True)
        )
        # One event at a time, in id order (as every answer locks it): no deadlocks.
        for locked in Event.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"):
            answer = Attendance.objects.filter(event=locked, person=person).first()
            if answer is None:
                continue
            held_a_place = answer.status == Status.GOING
            answer.delete()
            removed += 1
            moved = _move_up(locked) if held_a_place else []
            _announce(locked, moved)
        feeds = turn_off_calendar_link(person)
    return removed, feeds
