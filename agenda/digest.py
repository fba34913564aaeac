""" "Your events in the coming week" in the digest: the events one goes to, read
through ``Event.objects.visible_to`` when the digest is made (one query); for a batch
of digests, one look says who goes to any event that week at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from agenda import queries
from communities.models import Person
from notices import registry
from notices.registry import DigestItem


def coming_week(person: Person, since: datetime) -> list[DigestItem]:
    return [
        DigestItem(text=event.title, url=event.get_absolute_url(), at=event.start)
        for event in queries.coming_week(person)
    ]


def going_this_week(person_ids: Sequence[int], since: datetime) -> set[int]:
    return queries.going_in_coming_week(person_ids)


def register() -> None:
    registry.register_digest_section(
        "agenda", _("Your events in the coming week"), coming_week, who=going_this_week
    )
