"""Read access to the domain. Views and realtime read through these functions,
which all go through the visibility rule in ``communities.models``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from communities.models import Group, Membership, Person, Post


def readable_group_id(person: Person, slug: str) -> int | None:
    """The id of the group at ``slug`` if this person may read its feed, else None."""
    return Group.objects.readable_by(person).filter(slug=slug).values_list("id", flat=True).first()


def can_read(person: Person, group: Group) -> bool:
    return Group.objects.readable_by(person).filter(pk=group.pk).exists()


def group_feed(
    person: Person, group: Group, *, before: int | None = None, limit: int | None = None
) -> tuple[list[Post], bool]:
    """One page of a group's feed, newest first, older than ``before``; and whether more follow."""
    limit = limit or settings.FEED_PAGE_SIZE
    posts = Post.objects.visible_to(person).filter(group=group).for_feed()
    if before is not None:
        posts = posts.filter(id__lt=before)
    page = list(posts[: limit + 1])
    return page[:limit], len(page) > limit


def group_posts_after(person: Person, group: Group, after: int, limit: int = 200) -> list[Post]:
    """Posts newer than ``after``, newest first: what a reconnecting page missed."""
    posts = Post.objects.visible_to(person).filter(group=group, id__gt=after).for_feed()
    return list(posts[:limit])


def membership(person: Person, group: Group) -> Membership | None:
    if not person.is_authenticated:
        return None
    return Membership.objects.filter(person=person, group=group).first()


def groups_of(person: Person) -> QuerySet[Group]:
    return Group.objects.filter(memberships__person=person).order_by("name")


def other_visible_groups(person: Person) -> QuerySet[Group]:
    return Group.objects.visible_to(person).exclude(memberships__person=person).order_by("name")
