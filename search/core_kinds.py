"""What of the core (``communities``) can be found: posts, replies and groups.

The core sits below ``search`` and never imports it, so its kinds are
registered here (``register``, from ``SearchConfig.ready``) and its signals are
heard here: a change the core makes without saving the model (a removal, an
erasure) is announced by ``post_changed`` after commit, and re-indexed then.
People are registered by ``people``, which adds the profile to them.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from communities import parsing, signals
from communities.models import Group, Person, Post, Reply
from search import indexing, registry
from search.models import Audience
from search.registry import Document, Kind


def post_document(post: Post) -> Document | None:
    if post.deleted_at is not None:
        return None
    return Document(
        title=post.title,
        body=parsing.plain_text(post.body_html),
        created_at=post.created_at,
        audience=Audience.READERS,
        group_id=post.group_id,
        person_id=post.author_id,
    )


def reply_document(reply: Reply) -> Document | None:
    if reply.deleted_at is not None or reply.post.deleted_at is not None:
        return None
    return Document(
        title="",
        body=parsing.plain_text(reply.body_html),
        created_at=reply.created_at,
        audience=Audience.READERS,
        group_id=reply.post.group_id,
        person_id=reply.author_id,
    )


def group_document(group: Group) -> Document:
    return Document(
        title=group.name,
        body=group.description,
        created_at=group.created_at,
        audience=Audience.KNOWERS,
        group_id=group.pk,
    )


def visible_replies(person: Person) -> Any:
    return Reply.objects.filter(post__in=Post.objects.visible_to(person), deleted_at=None)


def register() -> None:
    registry.register_section("people", _("People"), order=10, preview=4)
    registry.register_section("groups", _("Groups"), order=20, preview=4)
    registry.register_section("posts", _("Posts and replies"), order=30, preview=10)
    registry.register_kind(
        Kind(
            name="post",
            section="posts",
            model=Post,
            document=post_document,
            visible_to=lambda person: Post.objects.visible_to(person),
            everything=lambda: Post.objects.all(),
            template="search/fragments/hit_post.html",
            url=lambda post: reverse("post", args=[post.pk]),
            described=lambda post: (
                gettext("Post by %(name)s in %(group)s")
                % {"name": post.author, "group": post.group.name}
            ),
            related=("author", "group"),
            announced=True,
        )
    )
    registry.register_kind(
        Kind(
            name="reply",
            section="posts",
            model=Reply,
            document=reply_document,
            visible_to=visible_replies,
            everything=lambda: Reply.objects.select_related("post"),
            template="search/fragments/hit_reply.html",
            url=lambda reply: reverse("post", args=[reply.post_id]) + f"#reply-{reply.pk}",
            described=lambda reply: (
                gettext("Reply by %(name)s in %(group)s")
                % {"name": reply.author, "group": reply.post.group.name}
            ),
            related=("author", "post__author", "post__group"),
        )
    )
    registry.register_kind(
        Kind(
            name="group",
            section="groups",
            model=Group,
            document=group_document,
            visible_to=lambda person: Group.objects.visible_to(person),
            everything=lambda: Group.objects.all(),
            template="search/fragments/hit_group.html",
            url=lambda group: group.get_absolute_url(),
            described=lambda group: pgettext("a kind of search result", "Group"),
            suggested=True,
        )
    )


@receiver(signals.post_published, dispatch_uid="search:post_published")
def post_published(sender: Any, post: Post, **kwargs: Any) -> None:
    """A new post is found once it is announced (in the worker, when one runs)."""
    indexing.reindex("post", post.pk)


@receiver(signals.post_changed, dispatch_uid="search:post_changed")
def post_changed(
    sender: Any, post: Post, change: str, reply: Reply | None = None, **kwargs: Any
) -> None:
    """Sent after commit. Only what the core changed without saving the model needs
    indexing here (a save re-indexes itself): a post's text rendered again (an erased
    person's mentions), removals made in bulk, and a removed post's replies. A
    reaction, a pin or a new reply changes nothing that is found."""
    if change in (signals.Change.POST_EDITED, signals.Change.POST_REMOVED):
        indexing.reindex("post", post.pk)
    if change == signals.Change.REPLY_REMOVED and reply is not None:
        indexing.reindex("reply", reply.pk)
    if change == signals.Change.POST_REMOVED:
        for pk in Reply.objects.filter(post_id=post.pk).values_list("pk", flat=True):
            indexing.reindex("reply", pk)


@receiver(signals.reply_rewritten, dispatch_uid="search:reply_rewritten")
def reply_rewritten(sender: Any, reply: Reply, **kwargs: Any) -> None:
    indexing.reindex("reply", reply.pk)
