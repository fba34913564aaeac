"""What the agenda tests share: an event made through the action, at a time from now."""

from datetime import timedelta

from django.utils import timezone

from agenda import actions
from notices import queries as notice_queries


def make_event(organiser, group=None, *, days=3, hours=2, **fields):
    start = fields.pop("start", None) or timezone.now() + timedelta(days=days)
    values = {
        "title": "Intervisie wondzorg",
        "start": start,
        "end": start + timedelta(hours=hours),
        "place": "Zaal 3",
        **fields,
    }
    return actions.create_event(organiser, group, **values)


def notice_kinds_of(person):
    return [notice.kind for notice in notice_queries.latest(person, limit=50)]
