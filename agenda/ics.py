"""Events as iCalendar (RFC 5545), written with ``icalendar``: one event's ``.ics``
and a person's calendar feed.

Each event keeps one UID (its id at this site), so a calendar that reads the
feed again updates the event instead of adding it twice; times go out in UTC,
all-day events as dates (``VALUE=DATE``, the end the day after the last, as the
standard has it); a cancelled event stays, with ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from communities import parsing

PRODUCT = "-//Kring//Agenda//EN"


def calendar(events: Iterable[Event], name: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    now = timezone.now().astimezone(UTC)
    for event in events:
        cal.add_component(_vevent(event, now))
    return cal.to_ical()


def uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "kring"
    return f"event-{event.pk}@{host}"


def _vevent(event: Event, now) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid(event))
    item.add("dtstamp", now)
    item.add("last-modified", event.changed_at.astimezone(UTC))
    if event.all_day and event.start_date and event.end_date:
        item.add("dtstart", event.start_date)
        item.add("dtend", event.end_date + timedelta(days=1))
    else:
        item.add("dtstart", event.start.astimezone(UTC))
        item.add("dtend", event.end.astimezone(UTC))
    item.add("summary", event.title)
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    url = settings.SITE_URL + reverse("event_detail", args=[event.pk])
    item.add("url", url)
    text = parsing.plain_text(event.description_html)
    if event.online_url:
        text = f"{text}\n\n{event.online_url}" if text else event.online_url
    if text:
        item.add("description", text)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return item
