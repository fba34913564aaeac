"""In-app notifications: who hears of what, what they may see, and what they read.

This is the one module that uses the ``notifications`` app
(django-notifications-community: the ``Notification`` model and
``notify.send``). Everything else, views, emails, tasks and the bell, works
with the ``Notice`` objects made here, so moving to another notifications
library changes only this file.

Notifications are made by receivers of the domain's events, which are sent
after the write committed. Who is told is decided with the visibility rule
(``readers_of``): nobody hears of a post they may not read. And because
access changes, every list, count and link applies the rule again when it is
read (``_visible``): a notice of a post in a group someone has since left is
not shown, not counted and not opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    When,
    Window,
)
from django.db.models.functions import Cast
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from notifications.models import Notification
from notifications.signals import notify

from communities import events, parsing
from communities.models import (
    Delivery,
    Follow,
    Group,
    JoinRequest,
    Membership,
    NotificationPreferences,
    Person,
    Post,
    Reply,
    readers_of,
)

logger = logging.getLogger(__name__)

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

#: Which preference (a field of NotificationPreferences) governs each kind.
PREFERENCE = {
    MENTION: "mention",
    REPLY: "reply",
    THREAD_REPLY: "reply",
    REACTION: "reaction",
    FOLLOWER: "follower",
    JOIN_REQUEST: "group",
    JOIN_APPROVED: "group",
    JOIN_DECLINED: "group",
    ADDED: "group",
    NEW_POST: "new_post",
}

PAGE_SIZE = 20
MENU_SIZE = 8

_emails_off: ContextVar[bool] = ContextVar("emails_off", default=False)


@contextmanager
def without_emails() -> Iterator[None]:
    """Notify as usual, but send no email for it: for history loaded in bulk (the
    demo), which nobody should get 138 emails about. Notices made inside count as
    emailed, so the sweep leaves them alone too."""
    token = _emails_off.set(True)
    try:
        yield
    finally:
        _emails_off.reset(token)


# Preferences ------------------------------------------------------------------


def preferences_of(person_ids: Iterable[int]) -> dict[int, NotificationPreferences]:
    """Each person's preferences; the defaults for someone who never changed them."""
    ids = set(person_ids)
    found = {p.person_id: p for p in NotificationPreferences.objects.filter(person_id__in=ids)}
    return {pk: found.get(pk) or NotificationPreferences(person_id=pk) for pk in ids}


def preferences(person: Person) -> NotificationPreferences:
    return preferences_of([person.pk])[person.pk]


def delivery_of(kind: str, prefs: NotificationPreferences) -> str:
    return prefs.delivery(PREFERENCE[kind])


# What a person sees ----------------------------------------------------------------


@dataclass
class Notice:
    """One notification as pages and emails show it, in the active language."""

    id: int
    kind: str
    actor: Person
    unread: bool
    at: datetime
    emailed: bool
    recipient_id: int
    post: Post | None = None
    reply: Reply | None = None
    group: Group | None = None
    others: int = 0  # reactions: how many more people besides ``actor``

    @property
    def text(self) -> str:
        """What happened, in a sentence: the bell, the page and emails all say this."""
        who = self.actor.display_name
        group = self.group.name if self.group else ""
        if self.kind == MENTION:
            return _("%(who)s mentioned you in %(group)s") % {"who": who, "group": group}
        if self.kind == REPLY:
            return _("%(who)s replied to your post") % {"who": who}
        if self.kind == THREAD_REPLY:
            return _("%(who)s replied to a conversation you are in") % {"who": who}
        if self.kind == REACTION:
            if not self.others:
                return _("%(who)s reacted to your post") % {"who": who}
            return ngettext(
                "%(who)s and %(count)s other reacted to your post",
                "%(who)s and %(count)s others reacted to your post",
                self.others,
            ) % {"who": who, "count": self.others}
        if self.kind == FOLLOWER:
            return _("%(who)s follows you now") % {"who": who}
        if self.kind == JOIN_REQUEST:
            return _("%(who)s asks to join %(group)s") % {"who": who, "group": group}
        if self.kind == JOIN_APPROVED:
            return _("You are now a member of %(group)s") % {"group": group}
        if self.kind == JOIN_DECLINED:
            return _("Your request to join %(group)s was declined") % {"group": group}
        if self.kind == ADDED:
            return _("%(who)s added you to %(group)s") % {"who": who, "group": group}
        if self.kind == NEW_POST:
            return _("%(who)s posted in %(group)s") % {"who": who, "group": group}
        return who

    @property
    def excerpt(self) -> str:
        """A short quote of what it is about: the reply, or the post."""
        if self.reply is not None:
            return Truncator(self.reply.body).chars(140)
        if self.post is not None:
            return Truncator(self.post.title or self.post.body).chars(140)
        return ""

    @property
    def url(self) -> str:
        """Where the notice leads: always something the recipient may see."""
        if self.post is not None:
            anchor = f"#reply-{self.reply.pk}" if self.reply is not None else ""
            return reverse("post", args=[self.post.pk]) + anchor
        if self.kind == JOIN_REQUEST and self.group is not None:
            return reverse("group_members", args=[self.group.slug])
        if self.group is not None:
            return self.group.get_absolute_url()
        return self.actor.get_absolute_url()

    @property
    def open_url(self) -> str:
        return reverse("notice_open", args=[self.id])

    @property
    def preference(self) -> str:
        return PREFERENCE[self.kind]


class _Types:
    """Content types of what notifications point at (cached by Django after the first use)."""

    @property
    def post(self) -> ContentType:
        return ContentType.objects.get_for_model(Post)

    @property
    def reply(self) -> ContentType:
        return ContentType.objects.get_for_model(Reply)

    @property
    def group(self) -> ContentType:
        return ContentType.objects.get_for_model(Group)


TYPES = _Types()


def _as_id(field: str) -> Cast:
    return Cast(OuterRef(field), BigIntegerField())


def _visible(person: Person) -> QuerySet[Notification]:
    """This person's notifications of things they may still see: the one visibility
    rule applied to the post (or the group) each one is about, and a reply still there."""
    visible_post = Post.objects.visible_to(person).filter(pk=_as_id("target_object_id"))
    known_group = Group.objects.visible_to(person).filter(pk=_as_id("target_object_id"))
    live_reply = Reply.objects.filter(pk=_as_id("action_object_object_id"), deleted_at=None)
    return (
        Notification.objects.filter(recipient=person)
        .alias(_post=Exists(visible_post), _group=Exists(known_group), _reply=Exists(live_reply))
        .filter(
            Q(target_content_type=None)
            | Q(target_content_type=TYPES.post, _post=True)
            | Q(target_content_type=TYPES.group, _group=True)
        )
        .exclude(Q(action_object_content_type=TYPES.reply) & Q(_reply=False))
    )


def _notices(rows: list[Notification]) -> list[Notice]:
    """Notices for rows, with who and what they are about: four queries whatever the number."""
    post_ct, reply_ct, group_ct = TYPES.post.pk, TYPES.reply.pk, TYPES.group.pk

    def targets(content_type: int) -> set[int]:
        return {int(r.target_object_id) for r in rows if r.target_content_type_id == content_type}

    posts = Post.objects.select_related("author", "group").in_bulk(targets(post_ct))
    replies = Reply.objects.in_bulk(
        {
            int(r.action_object_object_id)
            for r in rows
            if r.action_object_content_type_id == reply_ct
        }
    )
    groups = Group.objects.in_bulk(targets(group_ct))
    actors = Person.objects.in_bulk({int(r.actor_object_id) for r in rows})
    notices = []
    for row in rows:
        post = (
            posts.get(int(row.target_object_id)) if row.target_content_type_id == post_ct else None
        )
        reply = (
            replies.get(int(row.action_object_object_id))
            if row.action_object_content_type_id == reply_ct
            else None
        )
        group = post.group if post else None
        if row.target_content_type_id == group_ct:
            group = groups.get(int(row.target_object_id))
        notices.append(
            Notice(
                id=row.pk,
                kind=row.verb,
                actor=actors[int(row.actor_object_id)],
                unread=row.unread,
                at=row.timestamp,
                emailed=row.emailed,
                recipient_id=row.recipient_id,
                post=post,
                reply=reply,
                group=group,
                others=max(len((row.data or {}).get("people", [])) - 1, 0),
            )
        )
    return notices


def unread_count(person: Person) -> int:
    """The bell's number: unread notifications of things the person may see."""
    if not person.is_authenticated:
        return 0
    return _visible(person).filter(unread=True).count()


def latest(person: Person, limit: int = MENU_SIZE) -> list[Notice]:
    return _notices(list(_visible(person).order_by("-id")[:limit]))


def page(person: Person, *, before: int | None = None) -> tuple[list[Notice], bool]:
    """A page of the person's notifications, newest first, older than the cursor ``before``."""
    rows = _visible(person).order_by("-id")
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows[: PAGE_SIZE + 1])
    return _notices(found[:PAGE_SIZE]), len(found) > PAGE_SIZE


def visible_notice(person: Person, notice_id: int) -> Notice | None:
    found = list(_visible(person).filter(pk=notice_id))
    return _notices(found)[0] if found else None


def unread_since(
    person: Person, since: datetime, kinds: Iterable[str], limit: int
) -> tuple[list[Notice], int]:
    """The latest ``limit`` unread notices of these kinds since ``since``, and how many
    there are in all (for the digest). Most people have none: a plain look at their
    own rows says so before the visibility rule is asked about each."""
    wanted = {"unread": True, "timestamp__gte": since, "verb__in": list(kinds)}
    if not Notification.objects.filter(recipient=person, **wanted).exists():
        return [], 0
    mentions_first = Case(When(verb=MENTION, then=0), default=1)
    found = list(
        _visible(person)
        .filter(**wanted)
        .annotate(total=Window(Count("pk")))  # over every row, before the limit
        .order_by(mentions_first, "-id")[:limit]
    )
    return _notices(found), found[0].total if found else 0


def notice_for_email(notification_id: int) -> Notice | None:
    """The notice, if its recipient may still see what it is about (checked when sending)."""
    row = Notification.objects.filter(pk=notification_id).select_related("recipient").first()
    if row is None:
        return None
    return visible_notice(row.recipient, notification_id)


def mark_emailed(notification_id: int) -> None:
    """Its email is settled (sent, not needed, or failed for good): the sweep leaves it."""
    Notification.objects.filter(pk=notification_id).update(emailed=True)


def waiting_for_email(since: datetime) -> list[tuple[int, datetime]]:
    """Notifications since ``since`` that want an email at once and have none yet:
    held back by quiet hours, or whose task never reached the broker."""
    rows = list(
        Notification.objects.filter(emailed=False, unread=True, timestamp__gte=since).values_list(
            "pk", "recipient_id", "verb", "timestamp"
        )
    )
    prefs = preferences_of({recipient for _pk, recipient, _kind, _at in rows})
    return [
        (pk, at)
        for pk, recipient, kind, at in rows
        if kind in PREFERENCE
        and delivery_of(kind, prefs[recipient]) == Delivery.EMAIL
        and not prefs[recipient].is_quiet()
    ]


def digest_recipients(frequency: str, inactive_days: int) -> list[int]:
    """Who gets a digest of this frequency: active people with an address who logged
    in within ``inactive_days``, and chose it (or kept the default)."""
    cutoff = timezone.now() - timedelta(days=inactive_days)
    people = Person.objects.filter(is_active=True, last_login__gte=cutoff).exclude(email="")
    chose = Q(
        pk__in=NotificationPreferences.objects.filter(digest_frequency=frequency).values(
            "person_id"
        )
    )
    default = NotificationPreferences._meta.get_field("digest_frequency").default
    if frequency == default:
        chose |= ~Q(pk__in=NotificationPreferences.objects.values("person_id"))
    return list(people.filter(chose).values_list("pk", flat=True))


# Reading ------------------------------------------------------------------------


def open_notice(person: Person, notice_id: int) -> str | None:
    """Mark a notice read and say where it leads; None if it is not (or no longer) there."""
    notice = visible_notice(person, notice_id)
    if notice is None:
        return None
    mark_read(person, notice_id)
    return notice.url


def mark_read(person: Person, notice_id: int) -> None:
    changed = Notification.objects.filter(recipient=person, pk=notice_id, unread=True).update(
        unread=False
    )
    if changed:
        _ring([person.pk])


def mark_all_read(person: Person) -> None:
    if Notification.objects.filter(recipient=person, unread=True).update(unread=False):
        _ring([person.pk])


# Making notifications --------------------------------------------------------------


def _ring(person_ids: list[int]) -> None:
    """After commit, the bells of these people show their new count."""
    if person_ids:
        transaction.on_commit(
            lambda: events.notices_changed.send(sender=Notification, person_ids=person_ids),
            robust=True,
        )


def _notify(
    kind: str,
    actor: Person,
    recipients: Iterable[Person],
    *,
    target=None,
    action_object=None,
    data: dict | None = None,
    emailed: bool = False,
) -> list[int]:
    """Notify each recipient (never the actor, never someone who turned this kind off),
    ring their bells and send the emails wanted at once. Returns who was notified."""
    emailed = emailed or _emails_off.get()
    recipients = {r.pk: r for r in recipients if r.pk != actor.pk and r.is_active}
    prefs = preferences_of(recipients)
    wanted = [r for pk, r in recipients.items() if delivery_of(kind, prefs[pk]) != Delivery.OFF]
    if not wanted:
        return []
    with transaction.atomic():
        created = notify.send(
            actor,
            recipient=wanted,
            verb=kind,
            target=target,
            action_object=action_object,
            data=data or {},
            emailed=emailed,
        )[0][1]
        at_once = [
            n.pk
            for n in created
            if not emailed and delivery_of(kind, prefs[n.recipient_id]) == Delivery.EMAIL
        ]
        _ring([r.pk for r in wanted])
        if at_once:
            transaction.on_commit(lambda: _email_soon(at_once), robust=True)
    return [r.pk for r in wanted]


def _email_soon(notification_ids: list[int]) -> None:
    """Queue the emails; if the broker is away, the five-minute sweep sends them later."""
    from communities import tasks  # tasks build emails from notices: imported when used

    for notification_id in notification_ids:
        try:
            tasks.email_notice.delay(notification_id)
        except Exception:
            logger.exception("could not queue the email of notification %s", notification_id)


def _readers(post: Post, people: QuerySet[Person]) -> list[Person]:
    """Those of ``people`` who may read the post: nobody hears of what they may not see."""
    return list(people.filter(readers_of(post.group)))


def _mentioned(author: Person, post: Post, usernames: Iterable[str], reply=None) -> set[int]:
    """Tell people mentioned in a post or reply, once each; returns who was told."""
    told = Notification.objects.filter(
        verb=MENTION, target_content_type=TYPES.post, target_object_id=str(post.pk)
    )
    if reply is not None:
        told = told.filter(
            action_object_content_type=TYPES.reply, action_object_object_id=str(reply.pk)
        )
    else:
        told = told.filter(action_object_content_type=None)
    people = Person.objects.filter(username__in=list(usernames)).exclude(
        pk__in=told.values("recipient_id")
    )
    return set(_notify(MENTION, author, _readers(post, people), target=post, action_object=reply))


@receiver(events.post_published)
def post_published(sender, post: Post, **kwargs) -> None:
    mentioned = _mentioned(post.author, post, post.mentions.values_list("username", flat=True))
    tag_ids = post.tags.values("id")
    alerted = Person.objects.filter(
        pk__in=Follow.objects.filter(notify_posts=True)
        .filter(Q(group=post.group_id) | Q(tag__in=tag_ids))
        .values("follower_id")
    ).exclude(pk__in=mentioned)
    _notify(NEW_POST, post.author, _readers(post, alerted), target=post)


@receiver(events.post_changed)
def post_changed(sender, post: Post, change: str, reply=None, **details) -> None:
    if change == events.REPLY_ADDED and reply is not None:
        _replied(post, reply)
    elif change == events.REACTIONS_CHANGED and details.get("added"):
        _reacted(post, details["person"])
    elif change == events.POST_EDITED:
        # Someone newly mentioned in an edit hears of it; those told before do not again.
        _mentioned(post.author, post, post.mentions.values_list("username", flat=True))


def _replied(post: Post, reply: Reply) -> None:
    usernames = parsing.find_tags_and_mentions(reply.body).usernames
    mentioned = _mentioned(reply.author, post, usernames, reply=reply)
    author = Person.objects.filter(pk=post.author_id).exclude(pk__in=mentioned)
    told = set(
        _notify(REPLY, reply.author, _readers(post, author), target=post, action_object=reply)
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
    _notify(THREAD_REPLY, reply.author, _readers(post, in_thread), target=post, action_object=reply)


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
        earlier = (
            Notification.objects.filter(
                recipient=author,
                verb=REACTION,
                unread=True,
                target_content_type=TYPES.post,
                target_object_id=str(post.pk),
            )
            .order_by("-id")
            .first()
        )
        people = list((earlier.data or {}).get("people", [])) if earlier else []
        if person.pk in people:
            return
        people.append(person.pk)
        if earlier is not None:
            earlier.delete()
        _notify(
            REACTION,
            person,
            [author],
            target=post,
            data={"people": people},
            emailed=bool(earlier and earlier.emailed),
        )


@receiver(events.person_followed)
def person_followed(sender, follower: Person, person: Person, **kwargs) -> None:
    _notify(FOLLOWER, follower, [person])


@receiver(events.join_requested)
def join_requested(sender, request: JoinRequest, **kwargs) -> None:
    managers = Person.objects.filter(
        memberships__group=request.group_id,
        memberships__role__in=[Membership.Role.OWNER, Membership.Role.MANAGER],
    )
    _notify(JOIN_REQUEST, request.person, managers, target=request.group)


@receiver(events.join_decided)
def join_decided(sender, request: JoinRequest, **kwargs) -> None:
    if request.decided_by is None:
        return
    kind = JOIN_APPROVED if request.status == JoinRequest.Status.APPROVED else JOIN_DECLINED
    _notify(kind, request.decided_by, [request.person], target=request.group)


@receiver(events.member_added)
def member_added(sender, manager: Person, person: Person, group: Group, **kwargs) -> None:
    _notify(ADDED, manager, [person], target=group)
