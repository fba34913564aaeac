"""Cards: posts another app makes in a group's feed (the agenda's event cards), with
what they show beside their text kept as data, so that every reader gets the card in
their own language (live pushes are rendered once per language, like every post).

The text of such a post is the organiser's own words; the time, the place, "Cancelled"
and the link come from ``Post.card`` and are worded when the card is shown."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import formats, timezone


def event_card(
    *, url: str, start: datetime, end: datetime, all_day: bool, place: str, online: bool,
    cancelled: bool,
) -> dict[str, Any]:  # fmt: skip
    """What an event's card shows beside its text, as stored in ``Post.card``."""
    return {
        "kind": "event",
        "url": url,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "all_day": all_day,
        "place": place,
        "online": online,
        "cancelled": cancelled,
    }


def when(start: datetime, end: datetime, all_day: bool) -> str:
    """An event's date and time in words, in the active language and the organisation's
    time zone. All day: ``end`` is the start of the day after the last."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if all_day:
        first, last = start.date(), (end - timedelta(days=1)).date()
        text = formats.date_format(first, "l j F Y")
        if last <= first:
            return text
        return f"{text} – {formats.date_format(last, 'l j F Y')}"
    text = f"{formats.date_format(start, 'l j F Y')}, {start:%H:%M}"
    if end.date() == start.date():
        return f"{text}–{end:%H:%M}"
    return f"{text} – {formats.date_format(end, 'l j F Y')}, {end:%H:%M}"


def card_when(card: dict[str, Any]) -> str:
    return when(
        datetime.fromisoformat(card["start"]), datetime.fromisoformat(card["end"]), card["all_day"]
    )
