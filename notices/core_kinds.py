"""The notifications of the core (``communities``): who hears of what happens to
posts, replies, reactions, follows and groups.

The core sits below ``notices`` and never imports it, so its preferences,
targets and kinds are registered here (``register``, from
``NoticesConfig.ready``), and its signals are heard here. Who is told is
decided with the visibility rule (``readers_of``): nobody hears of a post they
may not read. Apps above ``notices`` register their own kinds from their own
``ready()``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities import parsing, signals
from communities.models import (
    Follow,
    Group,
    JoinRequest,
    Person,
    Post,
    Reply,
    managers_of,
    readers_of,
)
from notices import actions, queries, registry
from notices.models import Delivery
from notices.queries import Notice
from notices.registry import Kind

# The kinds of notification (stored as the notification's verb).
MENTION = "mention"
REPLY = "reply"  # a reply to my post
THREAD_REPLY = "thread_reply"  # a reply to a post I replied to
REACTION = "reaction"
FOLLOWER = "follower"
JOIN_REQUEST = "join_request"
JOIN_APPROVED = "join_approved"
JOIN_DECLINED = "join_declined"
ADDED = "added"  # a manager brought me into a group
NEW_POST = "new_post"  # in a group or with a #tag I asked to hear of


def _visible_replies(person: Person) -> QuerySet[Reply]:
    return Reply.objects.filter(deleted_at=None, post__in=Post.objects.visible_to(person))


# Wording and links --------------------------------------------------------------


def _who(notice: Notice) -> str:
    return str(notice.actor)


def _group_of(notice: Notice) -> Group:
    return notice.target.group if isinstance(notice.target, Post) else notice.target


def _group_name(notice: Notice) -> str:
    return _group_of(notice).name


def _post_url(notice: Notice) -> str:
    reply = notice.action_object
    anchor = f"#reply-{reply.pk}" if reply is not None else ""
    return reverse("post", args=[notice.target.pk]) + anchor


def _group_url(notice: Notice) -> str:
    return _group_of(notice).get_absolute_url()


def _quote(notice: Notice) -> str:
    """A short plain-text quote of what it is about: the reply, or the post (its title,
    if it has one). Plain text: the bell, the notifications page and emails show no
    Markdown and no usernames (``parsing.excerpt``)."""
    if notice.action_object is not None:
        return notice.action_object.excerpt
    if isinstance(notice.target, Post):
        post = notice.target
        return parsing.excerpt(escape(post.title)) if post.title else post.excerpt
    return ""


def _reacted_text(notice: Notice) -> str:
    others = max(len(notice.data.get("people", [])) - 1, 0)
    if not others:
        return _("%(who)s reacted to your post") % {"who": _who(notice)}
    return ngettext(
        "%(who)s and %(count)s other reacted to your post",
        "%(who)s and %(count)s others reacted to your post",
        others,
    ) % {"who": _who(notice), "count": others}


def register() -> None:
    """The core's preferences, targets and kinds; the order is the settings page's."""
    registry.register_preference(MENTION, gettext_lazy("Someone mentions me"), Delivery.EMAIL)
    registry.register_preference(
        "reply", gettext_lazy("Replies to my posts and to conversations I am in"), Delivery.DIGEST
    )
    registry.register_preference("reaction", gettext_lazy("Reactions to my posts"), Delivery.DIGEST)
    registry.register_preference("follower", gettext_lazy("New followers"), Delivery.DIGEST)
    registry.register_preference(
        "group",
        gettext_lazy("Requests to join, decisions and invitations in groups"),
        Delivery.DIGEST,
    )
    registry.register_preference(
        "new_post",
        gettext_lazy("New posts in groups and #tags I asked to be told about"),
        Delivery.DIGEST,
    )
    post = registry.register_target(Post, Post.objects.visible_to, related=("author", "group"))
    group = registry.register_target(Group, Group.objects.visible_to)
    reply = registry.register_target(Reply, _visible_replies)

    def about_post(name: str, preference: str, text, **more) -> None:
        registry.register_kind(
            Kind(name, preference, text, _post_url, target=post, excerpt=_quote, **more)
        )

    def about_group(name: str, text, url=_group_url) -> None:
        registry.register_kind(Kind(name, "group", text, url, target=group))

    about_post(
        MENTION,
        MENTION,
        lambda n: (
            _("%(who)s mentioned you in %(group)s") % {"who": _who(n), "group": _group_name(n)}
        ),
        action_object=reply,
        always_in_digest=True,
    )
    about_post(
        REPLY,
        "reply",
        lambda n: _("%(who)s replied to your post") % {"who": _who(n)},
        action_object=reply,
    )
    about_post(
        THREAD_REPLY,
        "reply",
        lambda n: _("%(who)s replied to a conversation you are in") % {"who": _who(n)},
        action_object=reply,
    )
    about_post(REACTION, "reaction", _reacted_text)
    about_post(
        NEW_POST,
        "new_post",
        lambda n: _("%(who)s posted in %(group)s") % {"who": _who(n), "group": _group_name(n)},
    )
    registry.register_kind(
        Kind(
            FOLLOWER,
            "follower",
            lambda n: _("%(who)s follows you now") % {"who": _who(n)},
            lambda n: n.actor.get_absolute_url(),
        )
    )
    about_group(
        JOIN_REQUEST,
        lambda n: _("%(who)s asks to join %(group)s") % {"who": _who(n), "group": _group_name(n)},
        url=lambda n: reverse("group_members", args=[n.target.slug]),
    )
    about_group(
        JOIN_APPROVED,
        lambda n: _("You are now a member of %(group)s") % {"group": _group_name(n)},
    )
    about_group(
        JOIN_DECLINED,
        lambda n: _("Your request to join %(group)s was declined") % {"group": _group_name(n)},
    )
    about_group(
        ADDED,
        lambda n: _("%(who)s added you to %(group)s") % {"who": _who(n), "group": _group_name(n)},
    )


# Who hears of what ------------------------------------------------------------------


def _readers(post: Post, people: QuerySet[Person]) -> list[Person]:
    """Those of ``people`` who may read the post: nobody hears of what they may not see."""
    return list(people.filter(readers_of(post.group)))


def _mentioned(author: Person, post: Post, people: Iterable[int], reply=None) -> set[int]:
    """Tell the people (ids) a post or reply mentions, once each; returns who was told."""
    told = queries.told_of(MENTION, post, reply)
    mentioned = Person.objects.filter(pk__in=list(people)).exclude(pk__in=told)
    return set(
        actions.notify(MENTION, author, _readers(post, mentioned), target=post, action_object=reply)
    )


@receiver(signals.post_published)
def post_published(sender, post: Post, **kwargs) -> None:
    mentioned = _mentioned(post.author, post, post.mentions.values_list("pk", flat=True))
    tag_ids = post.tags.values("id")
    alerted = Person.objects.filter(
        pk__in=Follow.objects.filter(notify_posts=True)
        .filter(Q(group=post.group_id) | Q(tag__in=tag_ids))
        .values("follower_id")
    ).exclude(pk__in=mentioned)
    actions.notify(NEW_POST, post.author, _readers(post, alerted), target=post)


@receiver(signals.post_changed)
def post_changed(sender, post: Post, change: str, reply=None, **details) -> None:
    if change == signals.Change.REPLY_ADDED and reply is not None:
        _replied(post, reply, details.get("mentioned", ()))
    elif change == signals.Change.REACTIONS_CHANGED and details.get("added"):
        _reacted(post, details["person"])
    elif change == signals.Change.POST_EDITED:
        # Someone newly mentioned in an edit hears of it; those told before do not again.
        _mentioned(post.author, post, post.mentions.values_list("pk", flat=True))


def _replied(post: Post, reply: Reply, mentioned_ids: Iterable[int]) -> None:
    mentioned = _mentioned(reply.author, post, mentioned_ids, reply=reply)
    author = Person.objects.filter(pk=post.author_id).exclude(pk__in=mentioned)
    told = set(
        actions.notify(
            REPLY, reply.author, _readers(post, author), target=post, action_object=reply
        )
    )
    in_thread = (
        Person.objects.filter(
            pk__in=Reply.objects.filter(post=post, deleted_at=None)
            .exclude(pk=reply.pk)
            .values("author_id")
        )
        .exclude(pk__in=mentioned | told)
        .exclude(pk=post.author_id)
    )
    actions.notify(
        THREAD_REPLY, reply.author, _readers(post, in_thread), target=post, action_object=reply
    )


def _reacted(post: Post, person: Person) -> None:
    """Reactions to a post come together: one unread notice, "Bob and 3 others reacted".

    The notice is replaced rather than changed, so it moves to the top of the
    list; an email already sent for it is not sent again.
    """
    author = Person.objects.filter(pk=post.author_id).filter(readers_of(post.group)).first()
    if author is None or author.pk == person.pk:
        return
    with transaction.atomic():
        # One reaction at a time per post, so two at once still make one notice.
        Post.objects.select_for_update().filter(pk=post.pk).first()
        earlier = queries.latest_unread(author, REACTION, post)
        people = list(earlier.data.get("people", [])) if earlier else []
        if person.pk in people:
            return
        people.append(person.pk)
        if earlier is not None:
            actions.replace_notice(earlier.id)
        actions.notify(
            REACTION,
            person,
            [author],
            target=post,
            data={"people": people},
            emailed=bool(earlier and earlier.emailed),
        )


@receiver(signals.person_followed)
def person_followed(sender, follower: Person, person: Person, **kwargs) -> None:
    actions.notify(FOLLOWER, follower, [person])


@receiver(signals.join_requested)
def join_requested(sender, request: JoinRequest, **kwargs) -> None:
    managers = Person.objects.filter(managers_of(request.group))
    actions.notify(JOIN_REQUEST, request.person, managers, target=request.group)


@receiver(signals.join_decided)
def join_decided(sender, request: JoinRequest, **kwargs) -> None:
    if request.decided_by is None:
        return
    kind = JOIN_APPROVED if request.status == JoinRequest.Status.APPROVED else JOIN_DECLINED
    actions.notify(kind, request.decided_by, [request.person], target=request.group)


@receiver(signals.member_added)
def member_added(sender, manager: Person, person: Person, group: Group, **kwargs) -> None:
    actions.notify(ADDED, manager, [person], target=group)
