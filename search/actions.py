"""The search log: each search, what it found and what was opened from it.

For the coach's "searched for, found nothing" and "found, opened nothing"
(issue: the coach's dashboard reads it). Kept pseudonymous and short-lived:
no name, a keyed hash per person; a term that holds a Dutch citizen service
number is never written; ``prune`` removes what is older than
``SEARCH_LOG_DAYS`` (beat runs it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import Person
from search import text
from search.models import Search
from search.queries import person_key


def record_search(person: Person, typed: str, results: int) -> Search | None:
    """Log one search, or carry on the one being typed: a term that extends or
    shortens this person's last one within ``SEARCH_TYPING_SECONDS`` is the same
    search, typed on, and takes its place. None when nothing is logged (no term,
    or one with a citizen service number)."""
    term = text.normalise(typed)
    if not term or text.looks_like_bsn(term):
        return None
    key = person_key(person)
    now = timezone.now()
    with transaction.atomic():
        last = (
            Search.objects.select_for_update()
            .filter(
                person_key=key,
                searched_at__gte=now - timedelta(seconds=settings.SEARCH_TYPING_SECONDS),
            )
            .order_by("-searched_at")
            .first()
        )
        if (
            last is not None
            and last.opened_at is None
            and (term.startswith(last.term) or last.term.startswith(term))
        ):
            last.term = term
            last.results = results
            last.searched_at = now
            last.save(update_fields=["term", "results", "searched_at"])
            return last
        return Search.objects.create(term=term, person_key=key, results=results, searched_at=now)


def record_open(search_id: int, person: Person, kind: str, object_id: int, position: int) -> None:
    """The person opened the hit at ``position`` of their search (the first opened counts)."""
    Search.objects.filter(pk=search_id, person_key=person_key(person), opened_at=None).update(
        opened_kind=kind[:20],
        opened_id=object_id,
        opened_position=max(1, min(position, 32767)),
        opened_at=timezone.now(),
    )


def forget_searches(person: Person) -> int:
    """An erased person's searches go with them."""
    return Search.objects.filter(person_key=person_key(person)).delete()[0]


def prune(now: datetime | None = None) -> int:
    """Remove the searches older than ``SEARCH_LOG_DAYS``; how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SEARCH_LOG_DAYS)
    return Search.objects.filter(Q(searched_at__lt=cutoff)).delete()[0]
