"""The core's signals, turned into outgoing webhook events (``outgoing.announce``).

Each event says what may be seen by whom with the visibility rule of the thing
it is about (``visible_to`` of posts, pages, events). An integration does not hear
of its own posts: a hook and a subscription of one integration would otherwise
feed each other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse

from agenda import signals as agenda_signals
from agenda.models import Event
from communities import signals as community_signals
from communities.models import Person, Post
from integrations.outgoing import announce
from knowledge import signals as knowledge_signals
from knowledge.models import Page


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _group(group: Any) -> dict[str, Any] | None:
    if group is None:
        return None
    return {"id": group.pk, "slug": group.slug, "name": group.name}


@receiver(community_signals.post_published, dispatch_uid="integrations:post_published")
def announce_post(sender: Any, post: Post, **kwargs: Any) -> None:
    payload = {
        "post": {
            "id": post.pk,
            "url": _url(reverse("post", args=[post.pk])),
            "kind": post.kind,
            "title": post.title,
            "text": post.body,
            "author": {"username": post.author.username, "name": post.author.display_name},
            "group": _group(post.group),
            "created_at": post.created_at.isoformat(),
        }
    }

    def may_see(account: Person) -> bool:
        return (
            account.pk != post.author_id
            and Post.objects.visible_to(account).filter(pk=post.pk).exists()
        )

    announce("post.created", payload, may_see=may_see)


@receiver(knowledge_signals.page_saved, dispatch_uid="integrations:page_saved")
def announce_page(sender: Any, page: Page, editor: Person, **kwargs: Any) -> None:
    payload = {
        "page": {
            "id": page.pk,
            "url": _url(page.get_absolute_url()),
            "title": page.title,
            "version": page.version,
            "editor": {"username": editor.username, "name": editor.display_name},
            "group": _group(page.group),
            "changed_at": page.changed_at.isoformat(),
        }
    }

    def may_see(account: Person) -> bool:
        return (
            account.pk != editor.pk and Page.objects.visible_to(account).filter(pk=page.pk).exists()
        )

    announce("page.updated", payload, may_see=may_see)


@receiver(agenda_signals.event_created, dispatch_uid="integrations:event_created")
def announce_event(sender: Any, event: Event, **kwargs: Any) -> None:
    payload = {
        "agenda_event": {
            "id": event.pk,
            "url": _url(event.get_absolute_url()),
            "title": event.title,
            "start": event.start.isoformat(),
            "end": event.end.isoformat(),
            "place": event.place,
            "organiser": {
                "username": event.organiser.username,
                "name": event.organiser.display_name,
            },
            "group": _group(event.group),
        }
    }

    def may_see(account: Person) -> bool:
        return (
            account.pk != event.organiser_id
            and Event.objects.visible_to(account).filter(pk=event.pk).exists()
        )

    announce("event.created", payload, may_see=may_see)
