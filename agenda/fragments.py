"""The parts of an event page that change live: the places left (the same for every
viewer: rendered once per language) and one person's own answer."""

from __future__ import annotations

from django.template.loader import render_to_string

from agenda import queries
from communities.fragments import Rendered, in_each_language
from communities.models import Person


def places_html(event, oob: bool = False) -> str:
    return render_to_string("agenda/fragments/places.html", {"event": event, "oob": oob})


def places_messages(event_id: int) -> Rendered:
    """ "3 of 20 places left", "Full — 2 on the waiting list", "Cancelled": an
    out-of-band swap into every open page of the event, in each language."""
    event = queries.event_with_counts(event_id)
    if event is None:
        return {}
    return in_each_language(lambda: places_html(event, oob=True))


def status_context(person, event) -> dict:
    answer = queries.answer_of(person, event)
    return {
        "event": event,
        "answer": answer,
        "position": queries.waiting_position(answer),
        "signup_open": signup_open(event),
    }


def status_html(person, event, oob: bool = False) -> str:
    return render_to_string(
        "agenda/fragments/status.html", {**status_context(person, event), "oob": oob}
    )


def status_messages(event_id: int, person_id: int) -> Rendered:
    """One person's own answer (moved up from the waiting list), for their open pages
    of the event; rendered for them alone, through the visibility rule."""
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        return {}
    event = queries.visible_event(person, event_id)
    if event is None:
        return {}
    return in_each_language(lambda: status_html(person, event, oob=True))


def signup_open(event) -> bool:
    from django.utils import timezone

    now = timezone.now()
    return (
        not event.is_cancelled
        and event.start > now
        and (event.signup_deadline is None or event.signup_deadline >= now)
    )
