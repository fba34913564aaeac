"""The one write path. Views, the admin, commands and tasks change state only here.

Each action checks permission, writes inside a transaction, and schedules its
side effects with ``transaction.on_commit`` so that nothing is announced for a
write that rolled back.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities import events
from communities.models import Group, Membership, Person, Post


def create_group(
    creator: Person, *, name: str, description: str = "", privacy: str = Group.Privacy.OPEN
) -> Group:
    """Create a group with its creator as owner."""
    with transaction.atomic():
        group = Group.objects.create(
            name=name,
            slug=_unique_slug(name),
            description=description,
            privacy=privacy,
            created_by=creator,
        )
        Membership.objects.create(group=group, person=creator, role=Membership.Role.OWNER)
    return group


def join_group(person: Person, group: Group) -> Membership:
    """Join an open group. Closed and secret groups admit people by request or invitation."""
    if group.privacy != Group.Privacy.OPEN:
        raise PermissionDenied(_("Only open groups can be joined directly."))
    membership, _created = Membership.objects.get_or_create(group=group, person=person)
    return membership


def leave_group(person: Person, group: Group) -> None:
    """Leave a group; sockets already open on a feed this person may no longer read close."""
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(group=group, person=person).delete()
        if deleted:
            transaction.on_commit(
                lambda: events.membership_ended.send(
                    sender=Membership, person_id=person.pk, group_id=group.pk
                ),
                robust=True,
            )


def post_to_group(
    author: Person, group: Group, body: str, *, created_at: datetime | None = None
) -> Post:
    """Publish a post in a group the author belongs to, and announce it once committed.

    ``created_at`` keeps the original time of posts imported from elsewhere
    (the demo organisation uses it for its history).
    """
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before posting."))
    if not Membership.objects.filter(group=group, person=author).exists():
        raise PermissionDenied(_("Join the group to post in it."))
    with transaction.atomic():
        post = Post(group=group, author=author, body=body)
        if created_at is not None:
            post.created_at = created_at
        post.full_clean()
        post.save()
        # robust: the post is saved whatever happens to its announcement; a
        # page that misses the push fetches the post when it reconnects.
        transaction.on_commit(
            lambda: events.post_published.send(sender=Post, post=post), robust=True
        )
    return post


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
