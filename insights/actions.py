"""The insights app's writes: what people's use of Kring leaves for the coach
(an active day, a page opened), and the roll-ups beat makes of finished days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Person
from insights.models import (
    ActiveDay,
    DayRollup,
    Nudge,
    NudgeRecipient,
    PageUse,
    SearchGap,
    Threshold,
)
from insights.queries import require_coach
from search.models import Search

#: The search kind of knowledge pages (knowledge.search_kinds): opening one closes a gap.
PAGE_KIND = "page"


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


def update_search_gaps(*, now: datetime | None = None) -> tuple[int, int]:
    """Open a page to write for each term that found nothing often enough (the
    coach's threshold: searches by different people within days), and close the
    open ones whose term now finds a knowledge page that someone opened.
    Returns (opened, closed)."""
    now = now or timezone.now()
    threshold = Threshold.objects.get_or_create(pk=1)[0]
    since = now - timedelta(days=threshold.days)
    open_terms = set(SearchGap.objects.filter(closed_at=None).values_list("term", flat=True))
    frequent = (
        Search.objects.filter(searched_at__gte=since, results=0)
        .annotate(said=Lower("term"))
        .values("said")
        .annotate(searches=Count("id"), searchers=Count("person_key", distinct=True))
        .filter(searches__gte=threshold.searches, searchers__gte=threshold.searchers)
        .order_by()
    )
    opened = 0
    for row in frequent:
        if row["said"] in open_terms:
            continue
        try:
            with transaction.atomic():
                SearchGap.objects.create(
                    term=row["said"],
                    searches=row["searches"],
                    searchers=row["searchers"],
                    opened_at=now,
                )
            opened += 1
        except IntegrityError:
            continue  # opened meanwhile by another run
    closed = 0
    for gap in SearchGap.objects.filter(closed_at=None):
        found = Search.objects.annotate(said=Lower("term")).filter(
            said=gap.term,
            searched_at__gte=gap.opened_at,
            results__gt=0,
            opened_kind=PAGE_KIND,
        )
        if found.exists():
            closed += SearchGap.objects.filter(pk=gap.pk, closed_at=None).update(closed_at=now)
    return opened, closed


def set_threshold(coach: Person, *, searches: int, searchers: int, days: int) -> Threshold:
    """The coach decides when a term becomes a page to write."""
    require_coach(coach)
    threshold = Threshold.objects.get_or_create(pk=1)[0]
    threshold.searches, threshold.searchers, threshold.days = searches, searchers, days
    threshold.full_clean()
    threshold.save()
    return threshold


def forget_person(person: Person) -> int:
    """An erasure (privacy.actions.erase_person): the days they opened Kring, the
    nudges meant for them, their bit in every day's roll-up go; nudges they sent as
    coach stay, without them. The departments' totals stay, as they name nobody.
    Returns how many records went."""
    days, _kinds = ActiveDay.objects.filter(person=person).delete()
    nudged, _kinds = NudgeRecipient.objects.filter(person=person).delete()
    Nudge.objects.filter(coach=person).update(coach=None)
    bit = 1 << person.pk
    for rollup in DayRollup.objects.select_for_update().iterator():
        changed = False
        for name in ("opened", "reacted", "contributed"):
            value = int.from_bytes(bytes(getattr(rollup, name)), "little")
            if value & bit:
                value &= ~bit
                setattr(rollup, name, value.to_bytes((value.bit_length() + 7) // 8, "little"))
                changed = True
        if changed:
            rollup.save(update_fields=["opened", "reacted", "contributed"])
    return days + nudged
