"""Reading knowledge pages: always through ``Page.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from communities.models import Group, Membership, Person, Tag, managers_of
from knowledge.models import Page, PageVersion

PAGE_SIZE = 20


def visible_page(person: Any, pk: int) -> Page | None:
    return (
        Page.objects.visible_to(person)
        .select_related(
            "group",
            "created_by",
            "changed_by",
            "checked_by",
            "owner_person",
            "owner_group",
            "deputy_person",
            "deputy_group",
            "parent",
        )
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )


def may_edit(person: Any, page: Page) -> bool:
    return Page.objects.editable_by(person).filter(pk=page.pk).exists()


def looks_after(person: Any, page: Page) -> bool:
    """Whether this person hears for the page's owner: the owner, or a manager of the
    owning group (``actions._owners_people``)."""
    if not person.is_authenticated or not person.is_active:
        return False
    if page.owner_person_id is not None:
        return page.owner_person_id == person.pk
    if page.owner_group is not None:
        return Person.objects.filter(managers_of(page.owner_group), pk=person.pk).exists()
    return False


def may_check(person: Any, page: Page) -> bool:
    """Who may mark a page "still correct": who may edit it, and who looks after it
    (the reminder of its review date goes to them)."""
    return may_edit(person, page) or (
        Page.objects.visible_to(person).filter(pk=page.pk).exists() and looks_after(person, page)
    )


def may_create_in(person: Any, group: Group | None) -> bool:
    if not person.is_authenticated or not person.is_active:
        return False
    return group is None or Membership.objects.filter(group=group, person=person).exists()


def groups_to_write_in(person: Any) -> QuerySet[Group]:
    return Group.objects.filter(pk__in=Membership.objects.filter(person=person).values("group_id"))


@dataclass(frozen=True)
class PageList:
    pages: list[Page]
    next_cursor: str | None


def _cursor_of(page: Page) -> str:
    return f"{page.changed_at.timestamp():.6f}_{page.pk}"


def _parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        stamp, pk = cursor.split("_", 1)
        return datetime.fromtimestamp(float(stamp), tz=UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def page_list(
    person: Any,
    *,
    tag: str | None = None,
    group: Group | None = None,
    organisation_wide: bool = False,
    cursor: str | None = None,
) -> PageList:
    """The pages this person may read, newest changed first, a page of them at a time
    (``cursor`` from the last list). The same queries however many pages there are."""
    pages = Page.objects.visible_to(person).for_list()
    if tag:
        pages = pages.filter(tags__name=tag)
    if group is not None:
        pages = pages.filter(group=group)
    elif organisation_wide:
        pages = pages.filter(group__isnull=True)
    after = _parse_cursor(cursor)
    if after is not None:
        changed_at, pk = after
        pages = pages.filter(Q(changed_at__lt=changed_at) | Q(changed_at=changed_at, pk__lt=pk))
    rows = list(pages[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return PageList(rows, _cursor_of(rows[-1]) if more else None)


def tags_in_use(person: Any) -> QuerySet[Tag]:
    return Tag.objects.filter(knowledge_pages__in=Page.objects.visible_to(person)).distinct()


def groups_with_pages(person: Any) -> QuerySet[Group]:
    return Group.objects.readable_by(person).filter(
        pk__in=Page.objects.filter(group__isnull=False).values("group_id")
    )


def ancestors(person: Any, page: Page) -> list[Page]:
    """The breadcrumb: the page's parents up to the top, those this person may read."""
    chain: list[Page] = []
    seen = {page.pk}
    parent_id = page.parent_id
    visible = Page.objects.visible_to(person)
    while parent_id is not None and parent_id not in seen and len(chain) < 20:
        seen.add(parent_id)
        parent = visible.filter(pk=parent_id).only("pk", "title", "parent_id").first()
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def children(person: Any, page: Page) -> list[Page]:
    return list(Page.objects.visible_to(person).filter(parent=page).order_by("title"))


def versions(page: Page) -> list[PageVersion]:
    return list(page.versions.select_related("author").order_by("-number"))


def version(page: Page, number: int) -> PageVersion | None:
    return page.versions.select_related("author").filter(number=number).first()


def active_people() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True, erased_at=None).order_by("display_name")


# Review dates --------------------------------------------------------------------


def pages_past_review(
    person: Any, *, limit: int | None = None, today: date | None = None
) -> list[Page]:
    """The pages this person may see that are past their review date, the longest past
    first, each with its owner (and group) loaded: a query per review interval
    (``Page.Review``), whatever the number of pages."""
    today = today or timezone.localdate()
    visible = Page.objects.visible_to(person).select_related("group", "owner_person", "owner_group")
    found: list[Page] = []
    for months in Page.Review.values:
        # Within one interval the review date follows the start of it.
        rows = visible.review_by_before(today, months).order_by("review_since", "pk")
        found.extend(rows[:limit] if limit is not None else rows)
    found.sort(key=lambda page: (page.review_by, page.pk))
    return found[:limit] if limit is not None else found


def pages_past_review_count(person: Any, *, today: date | None = None) -> int:
    """How many pages this person may see are past their review date (one query)."""
    return Page.objects.visible_to(person).review_by_before(today or timezone.localdate()).count()
