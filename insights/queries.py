"""Reads of the insights app that are not figures: who is a coach, segments, nudges."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Group, Membership, Person, Post, Reply
from insights.figures import QUIET_AFTER
from insights.models import ActiveDay, Nudge, NudgeRecipient
from knowledge import queries as knowledge_queries
from knowledge.models import Page

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

Segment = Nudge.Segment


def is_coach(person: Person | AnonymousUser) -> bool:
    """Community coaches (a role an administrator grants) see the dashboard and nudge."""
    return bool(person.is_authenticated and person.is_active and person.is_coach)


def require_coach(person: Person | AnonymousUser) -> None:
    if not is_coach(person):
        raise PermissionDenied(_("Only community coaches see this."))


# Segments ---------------------------------------------------------------------------

#: At most one nudge per person in this many days; and how long a nudge is measured.
NUDGE_GAP = timedelta(days=14)
#: Newcomers: joined within this many days.
NEWCOMER_DAYS = 14
#: People who let this many nudges in a row pass without doing what they asked are left out.
IGNORED_IN_A_ROW = 3


def people() -> QuerySet[Person]:
    """Who may be nudged at all: active accounts that were not erased."""
    return Person.objects.filter(is_active=True, erased_at=None, is_integration=False)


def segment_people(
    segment: str, *, inactive_days: int | None = None, now: datetime | None = None
) -> QuerySet[Person]:
    """The people in a segment, computed now (one query)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    everyone = people()
    if segment == Segment.NEVER_POSTED:
        return everyone.filter(
            ~Exists(Post.objects.filter(author=OuterRef("pk"))),
            ~Exists(Reply.objects.filter(author=OuterRef("pk"))),
        )
    if segment == Segment.NO_PHOTO:
        return everyone.filter(photo="")
    if segment == Segment.INACTIVE:
        days = inactive_days or 30
        since = today - timedelta(days=days)
        return everyone.filter(
            ~Exists(ActiveDay.objects.filter(person=OuterRef("pk"), day__gt=since)),
            date_joined__lt=now - timedelta(days=days),
        )
    if segment == Segment.NEWCOMERS:
        return everyone.filter(
            ~Exists(Membership.objects.filter(person=OuterRef("pk"))),
            date_joined__gte=now - timedelta(days=NEWCOMER_DAYS),
        )
    if segment == Segment.QUIET_GROUP_MANAGERS:
        return everyone.filter(
            pk__in=Membership.objects.managing()
            .filter(group__in=quiet_groups(now))
            .values("person_id")
        )
    if segment == Segment.PAST_REVIEW_OWNERS:
        return everyone.filter(pk__in=past_review_owner_ids(today))
    raise ValueError(f"unknown segment {segment!r}")


def quiet_groups(now: datetime) -> QuerySet[Group]:
    """Groups nobody posted in for ``figures.QUIET_AFTER``, as the dashboard flags them."""
    recent = Post.objects.filter(
        group=OuterRef("pk"), deleted_at=None, created_at__gte=now - QUIET_AFTER
    )
    return Group.objects.filter(~Exists(recent))


def past_review_pages(today: date) -> list[Page]:
    """Knowledge pages past their review date (the date is worked out per page)."""
    pages = Page.objects.exclude(owner_person=None, owner_group=None).only(
        "pk", "title", "owner_person", "owner_group", "checked_at", "created_at", "review_months"
    )
    return [page for page in pages if page.review_by < today]


def past_review_owner_ids(today: date) -> set[int]:
    """Who hears for the owners of pages past their review date: the owning person, or
    the managers of the owning group (as ``knowledge.actions`` tells owners)."""
    pages = past_review_pages(today)
    ids = {page.owner_person_id for page in pages if page.owner_person_id}
    group_ids = {page.owner_group_id for page in pages if page.owner_group_id}
    if group_ids:
        ids |= set(
            Membership.objects.managing()
            .filter(group_id__in=group_ids)
            .values_list("person_id", flat=True)
        )
    return ids


# Preview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeftOut:
    person: Person
    #: "recent": nudged within 14 days (``last`` says when); "ignored": let the last three pass.
    reason: str
    last: datetime | None = None


@dataclass(frozen=True)
class Preview:
    segment: str
    inactive_days: int | None
    recipients: list[Person]
    left_out: list[LeftOut]

    @property
    def count(self) -> int:
        return len(self.recipients)

    @property
    def recent(self) -> list[LeftOut]:
        return [one for one in self.left_out if one.reason == "recent"]

    @property
    def ignored(self) -> list[LeftOut]:
        return [one for one in self.left_out if one.reason == "ignored"]


def preview(
    segment: str, *, inactive_days: int | None = None, now: datetime | None = None
) -> Preview:
    """Who a nudge to ``segment`` would reach now, and who it leaves out and why (three
    queries, whatever the number of people)."""
    now = now or timezone.now()
    everyone = list(segment_people(segment, inactive_days=inactive_days, now=now))
    ids = [person.pk for person in everyone]
    last_nudged: dict[int, datetime] = dict(
        NudgeRecipient.objects.filter(person_id__in=ids, nudge__created_at__gte=now - NUDGE_GAP)
        .values("person_id")
        .annotate(last=Max("nudge__created_at"))
        .values_list("person_id", "last")
    )
    ignored = ignoring(ids, now) - set(last_nudged)
    recipients, left_out = [], []
    for person in everyone:
        if person.pk in last_nudged:
            left_out.append(LeftOut(person, "recent", last_nudged[person.pk]))
        elif person.pk in ignored:
            left_out.append(LeftOut(person, "ignored"))
        else:
            recipients.append(person)
    return Preview(segment, inactive_days, recipients, left_out)


def ignoring(person_ids: list[int], now: datetime) -> set[int]:
    """Those whose last three nudges (sent to them, not held out) all passed their 14
    days without their doing what they asked."""
    rows = (
        NudgeRecipient.objects.filter(person_id__in=person_ids, holdout=False)
        .exclude(sent_at=None)
        .order_by("person_id", "-nudge__created_at")
        .values_list("person_id", "nudge__created_at", "acted_at")
    )
    last: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for person_id, created_at, acted_at in rows:
        if len(last[person_id]) < IGNORED_IN_A_ROW:
            last[person_id].append((created_at, acted_at))
    return {
        person_id
        for person_id, nudges in last.items()
        if len(nudges) == IGNORED_IN_A_ROW
        and all(acted is None and created <= now - NUDGE_GAP for created, acted in nudges)
    }


# Nudges and their effect ----------------------------------------------------------------


def nudges(limit: int = 50) -> list[Nudge]:
    return list(Nudge.objects.select_related("coach").order_by("-created_at", "-id")[:limit])


def nudge(nudge_id: int) -> Nudge | None:
    return Nudge.objects.select_related("coach").filter(pk=nudge_id).first()


@dataclass(frozen=True)
class Effect:
    nudge: Nudge
    sent: int
    acted: int
    holdout: int
    holdout_acted: int
    measuring: bool

    @property
    def acted_share(self) -> float | None:
        return self.acted / self.sent if self.sent else None

    @property
    def holdout_share(self) -> float | None:
        return self.holdout_acted / self.holdout if self.holdout else None


def nudge_effects(
    limit: int = 20, now: datetime | None = None, nudge_id: int | None = None
) -> list[Effect]:
    """Per nudge, newest first (or the one ``nudge_id``): how many it was sent to and the
    share of them who did what it asked within 14 days, next to the holdout's (one query)."""
    now = now or timezone.now()
    chosen = Nudge.objects.all() if nudge_id is None else Nudge.objects.filter(pk=nudge_id)
    rows = (
        chosen.order_by("-created_at", "-id")
        .annotate(
            sent_count=Count("recipients", filter=Q(recipients__holdout=False)),
            acted_count=Count(
                "recipients",
                filter=Q(recipients__holdout=False, recipients__acted_at__isnull=False),
            ),
            holdout_count=Count("recipients", filter=Q(recipients__holdout=True)),
            holdout_acted_count=Count(
                "recipients",
                filter=Q(recipients__holdout=True, recipients__acted_at__isnull=False),
            ),
        )
        .select_related("coach")[:limit]
    )
    return [
        Effect(
            nudge=row,
            sent=row.sent_count,
            acted=row.acted_count,
            holdout=row.holdout_count,
            holdout_acted=row.holdout_acted_count,
            measuring=now < row.created_at + NUDGE_GAP,
        )
        for row in rows
    ]


def progress(nudge_id: int) -> Nudge | None:
    """The nudge as its progress bar shows it (the database is the truth)."""
    return Nudge.objects.filter(pk=nudge_id).only("pk", "status", "total", "done").first()


def pages_past_review(person: Person) -> list[Page]:
    """Knowledge pages this person may see whose review date has passed, the longest
    overdue first, with their owners (knowledge's own query, for the dashboard)."""
    return list(knowledge_queries.pages_past_review(person))
