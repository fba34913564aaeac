"""Reading knowledge pages: always through ``Page.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

from communities.models import Group, Membership, Person, Tag
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
