"""Reads of the insights app that are not figures: who is a coach, segments, nudges."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Person
from knowledge.models import Page


def is_coach(person: Person) -> bool:
    """Community coaches (a role an administrator grants) see the dashboard and nudge."""
    return bool(person.is_authenticated and person.is_active and person.is_coach)


def require_coach(person: Person) -> None:
    if not is_coach(person):
        raise PermissionDenied(_("Only community coaches see this."))


def pages_past_review(person: Person) -> list[Page]:
    """Knowledge pages this person may see whose review date has passed, the longest
    overdue first. (A review date is a page's interval after its last check, in
    months, so it is worked out per page; the database only narrows to pages not
    checked for at least the shortest interval.)"""
    shortest = min(Page.Review.values)
    cutoff = timezone.now() - timedelta(days=28 * shortest)
    candidates = (
        Page.objects.visible_to(person)
        .annotate(since=Coalesce("checked_at", "created_at"))
        .filter(since__lt=cutoff)
        .select_related("owner_person", "owner_group")
    )
    overdue = [page for page in candidates if page.past_review]
    return sorted(overdue, key=lambda page: (page.review_by, page.title))
