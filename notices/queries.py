"""Reading notifications: what a person may see of theirs, and their preferences.

Who is told of something is decided with the visibility rule when the
notification is made (``notices.actions.notify``). Because access changes,
every list, count, link and email here applies the rule again when it is
read (``visible_rows``): a notice of a post in a group someone has since left is
not shown, not counted and not opened. The rule of each kind of thing a notice
points at comes from its registration (``notices.registry.Target``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from communities import queries as community_queries
from communities.models import Person, Post, Reaction
from notices import registry
from notices.models import Delivery, EmailDelivery, NotificationPreferences

PAGE_SIZE = 20
MENU_SIZE = 8


# Preferences ------------------------------------------------------------------


def preferences_of(person_ids: Iterable[int]) -> dict[int, NotificationPreferences]:
    """Each person's preferences; the defaults for someone who never changed them."""
    ids = set(person_ids)
    found = {p.person_id: p for p in NotificationPreferences.objects.filter(person_id__in=ids)}
    return {pk: found.get(pk) or NotificationPreferences(person_id=pk) for pk in ids}


def preferences(person: Person) -> NotificationPreferences:
    return preferences_of([person.pk])[person.pk]


def delivery_of(kind: str, prefs: NotificationPreferences) -> str:
    """How the person of ``prefs`` hears of notifications of ``kind``."""
    spec = registry.kind(kind)
    return prefs.delivery(spec.preference) if spec is not None else Delivery.OFF


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
    target: Any = None  # what it is about (a post, a group), loaded with its related objects
    action_object: Any = None  # the reply of "replied to your post"
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> registry.Kind:
        found = registry.kind(self.kind)
        assert found is not None  # rows of unregistered kinds are never read (visible_rows)
        return found

    @property
    def text(self) -> str:
        return self.spec.text(self)

    @property
    def excerpt(self) -> str:
        return self.spec.excerpt(self)

    @property
    def url(self) -> str:
        return self.spec.url(self)

    @property
    def open_url(self) -> str:
        return reverse("notice_open", args=[self.id])

    @property
    def preference(self) -> str:
        return self.spec.preference


def _as_id(field_name: str) -> Cast:
    return Cast(OuterRef(field_name), BigIntegerField())


def visible_rows(person: Person) -> QuerySet[Notification]:
    """This person's notifications of registered kinds whose target (and action object)
    they may still see, by each target's own visibility rule."""
    kinds = registry.kinds()
    targets = {k.target for k in kinds if k.target is not None}
    action_objects = {k.action_object for k in kinds if k.action_object is not None}
    still_there = Q(target_content_type=None)
    gone = []
    aliases = {}
    for number, target in enumerate(registry.targets()):
        content_type = ContentType.objects.get_for_model(target.model)
        if target in targets:
            name = f"_target_{number}"
            visible = target.visible_to(person).filter(pk=_as_id("target_object_id"))
            aliases[name] = Exists(visible)
            still_there |= Q(target_content_type=content_type, **{name: True})
        if target in action_objects:
            name = f"_object_{number}"
            visible = target.visible_to(person).filter(pk=_as_id("action_object_object_id"))
            aliases[name] = Exists(visible)
            gone.append(Q(action_object_content_type=content_type, **{name: False}))
    rows: QuerySet[Notification] = (
        Notification.objects.filter(recipient=person, verb__in=[k.name for k in kinds])
        .alias(**aliases)
        .filter(still_there)
    )
    for condition in gone:
        rows = rows.exclude(condition)
    return rows


def notices_of(rows: Sequence[Notification]) -> list[Notice]:
    """Notices for rows, with who and what they are about: a query per kind of thing
    they point at, and one for the actors, whatever their number."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        if row.target_content_type_id and row.target_object_id is not None:
            wanted[row.target_content_type_id].add(int(row.target_object_id))
        if row.action_object_content_type_id and row.action_object_object_id is not None:
            wanted[row.action_object_content_type_id].add(int(row.action_object_object_id))
    loaded: dict[int, dict[int, Any]] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        assert model is not None  # rows point only at registered targets (visible_rows)
        target = registry.target_for(model)
        related = target.related if target is not None else ()
        loaded[content_type_id] = model._default_manager.select_related(*related).in_bulk(ids)
    actors = Person.objects.in_bulk({int(r.actor_object_id) for r in rows})

    def thing(content_type_id: int | None, object_id: str | None) -> Any:
        if not content_type_id or object_id is None:
            return None
        return loaded[content_type_id].get(int(object_id))

    return [
        Notice(
            id=row.pk,
            kind=row.verb,
            actor=actors[int(row.actor_object_id)],
            unread=row.unread,
            at=row.timestamp,
            emailed=row.emailed,
            recipient_id=row.recipient_id,
            target=thing(row.target_content_type_id, row.target_object_id),
            action_object=thing(row.action_object_content_type_id, row.action_object_object_id),
            data=row.data or {},
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Hidden:
    """A notification of something its recipient may no longer see: only its kind and
    time (what it was about is not theirs to read any more)."""

    kind: str
    at: datetime
    unread: bool


def everything_of(person: Person) -> tuple[list[Notice], list[Hidden]]:
    """Every notification this person received, oldest first (their data download):
    those they may still see in full, the others by kind and time alone."""
    visible = visible_rows(person).order_by("id")
    hidden = (
        Notification.objects.filter(recipient=person)
        .exclude(pk__in=visible.values("pk"))
        .order_by("id")
        .values_list("verb", "timestamp", "unread")
    )
    return notices_of(list(visible)), [Hidden(*row) for row in hidden]


def unread_count(person: Person) -> int:
    """The bell's number: unread notifications of things the person may see."""
    if not person.is_authenticated:
        return 0
    # Most pages are opened by someone with nothing unread: a look at their own rows
    # (an index) answers them. The visibility rule's query takes PostgreSQL longer to
    # plan (a subquery per kind of target) than to run.
    if not Notification.objects.filter(recipient=person, unread=True).exists():
        return 0
    return visible_rows(person).filter(unread=True).count()


def latest(person: Person, limit: int = MENU_SIZE) -> list[Notice]:
    return notices_of(list(visible_rows(person).order_by("-id")[:limit]))


def page(person: Person, *, before: int | None = None) -> tuple[list[Notice], bool]:
    """A page of the person's notifications, newest first, older than the cursor ``before``."""
    rows = visible_rows(person).order_by("-id")
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows[: PAGE_SIZE + 1])
    return notices_of(found[:PAGE_SIZE]), len(found) > PAGE_SIZE


def visible_notice(person: Person, notice_id: int) -> Notice | None:
    found = list(visible_rows(person).filter(pk=notice_id))
    return notices_of(found)[0] if found else None


def digest_kinds(prefs: NotificationPreferences) -> list[str]:
    """Kinds of notification the digest repeats: those wanted in it, and those always in it."""
    return [
        kind.name
        for kind in registry.kinds()
        if kind.always_in_digest or prefs.delivery(kind.preference) == Delivery.DIGEST
    ]


def unread_since(
    person: Person, since: datetime, kinds: Iterable[str], limit: int, *, looked: bool = False
) -> tuple[list[Notice], int]:
    """The latest ``limit`` unread notices of these kinds since ``since``, and how many
    there are in all (for the digest); kinds always in the digest first. Most people
    have none: a plain look at their own rows says so before the visibility rule is
    asked about each (``looked``: the caller looked already, ``unread_kinds``)."""
    wanted = {"unread": True, "timestamp__gte": since, "verb__in": list(kinds)}
    if not looked and not Notification.objects.filter(recipient=person, **wanted).exists():
        return [], 0
    first = [kind.name for kind in registry.kinds() if kind.always_in_digest]
    first_kinds = Case(When(verb__in=first, then=0), default=1)
    found = list(
        visible_rows(person)
        .filter(**wanted)
        .annotate(total=Window(Count("pk")))  # over every row, before the limit
        .order_by(first_kinds, "-id")[:limit]
    )
    return notices_of(found), found[0].total if found else 0


def unread_kinds(person_ids: Iterable[int], since: datetime) -> dict[int, dict[str, datetime]]:
    """For a batch of digests, a plain look at the rows alone: of each person who has
    unread notifications since ``since``, the kinds and the newest of each. Who has
    none needs no visibility rule asked (``unread_since``). One query."""
    found: dict[int, dict[str, datetime]] = defaultdict(dict)
    rows = (
        Notification.objects.filter(recipient_id__in=list(person_ids), unread=True)
        .filter(timestamp__gte=since)
        .order_by()
        .values_list("recipient_id", "verb")
        .annotate(newest=Max("timestamp"))
    )
    for recipient_id, kind, newest in rows:
        found[recipient_id][kind] = newest
    return dict(found)


def notice_for_email(notification_id: int) -> Notice | None:
    """The notice, if its recipient may still see what it is about (checked when sending)."""
    row = Notification.objects.filter(pk=notification_id).select_related("recipient").first()
    if row is None:
        return None
    return visible_notice(row.recipient, notification_id)


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
        if delivery_of(kind, prefs[recipient]) == Delivery.EMAIL and not prefs[recipient].is_quiet()
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


# The digest's posts -----------------------------------------------------------------


@dataclass(frozen=True)
class Talked:
    """A post people talked about, by id and counts alone: not yet anyone's to see."""

    id: int
    created_at: datetime
    replies: int
    reactions: int


def talked_about(since: datetime) -> list[Talked]:
    """Every post since ``since`` with replies or reactions, the most talked about first:
    the ranking a batch of digests shares (one query for the batch). Ids and counts
    only, whoever may see them: a digest shows a post only when the visibility rule,
    asked for its reader, lets it (``on_home_timeline``).

    Posts in range are found through the index on ``created_at``, and their
    reactions counted by a subquery per post (joined and grouped instead,
    PostgreSQL hashes every reaction there is); filtered and sorted here, so the
    subquery runs once a post, not again for the filter and the order."""
    reactions = (
        Reaction.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Post.objects.filter(created_at__gte=since, deleted_at__isnull=True)
        .annotate(reaction_count=Coalesce(Subquery(reactions), 0))
        .order_by()
        .values_list("pk", "created_at", "reply_count", "reaction_count")
    )
    talked = [Talked(*row) for row in rows if row[2] or row[3]]
    talked.sort(key=lambda post: (post.replies + post.reactions, post.id), reverse=True)
    return talked


def on_home_timeline(person: Person, post_ids: Sequence[int]) -> set[int]:
    """Which of these posts are on the person's home timeline (what they follow, and
    only what they may see: the visibility rule, through ``home_posts``), not their
    own. One query; none for no posts."""
    if not post_ids:
        return set()
    return set(_on_home_timeline(person, post_ids).values_list("pk", flat=True))


def _on_home_timeline(person: Person, post_ids: Sequence[int]) -> QuerySet[Post]:
    return (
        community_queries.home_posts(person)
        .filter(pk__in=post_ids)
        .exclude(author=person)
        .order_by()
    )


class HomeTimelineQuestion:
    """``on_home_timeline`` about the same posts for many readers (a batch of digests):
    the rule's own query, built and compiled once, for a stand-in whose id marks
    where a reader's id goes among its parameters, then run for each reader with
    their id there. Building and compiling that query costs several times more
    than running it.

    The rule sees a reader only by their id (``home_posts``, ``readable_by``);
    tests/notices/test_emails.py proves the answers the same as the rule's asked
    for each reader, for members, managers, outsiders and former members of
    secret and closed groups."""

    STAND_IN = -1  # no one's id, nor any post's

    def __init__(self, post_ids: Sequence[int]) -> None:
        self.post_ids = list(post_ids)
        stand_in = Person(pk=self.STAND_IN)
        question = _on_home_timeline(stand_in, self.post_ids).values_list("pk")
        sql, params = question.query.sql_with_params()
        self.sql, self.params = sql, list(params)
        self.slots = [
            index
            for index, value in enumerate(self.params)
            if type(value) is int and value == self.STAND_IN
        ]
        if not self.slots or self.STAND_IN in self.post_ids:
            raise ValueError("the question names no reader")

    def ask(self, person: Person) -> set[int]:
        """The answer of ``on_home_timeline(person, post_ids)``: one query; none for no posts."""
        if not self.post_ids:
            return set()
        params = list(self.params)
        for index in self.slots:
            params[index] = person.pk
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return {row[0] for row in cursor.fetchall()}


def posts_for_digest(post_ids: Iterable[int]) -> dict[int, Post]:
    """The posts a digest shows, with their authors and groups: only ids that
    ``on_home_timeline`` let through for the reader. One query; none for no ids."""
    ids = list(post_ids)
    return Post.objects.select_related("author", "group").in_bulk(ids) if ids else {}


def last_digests(person_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these people last got a digest (any frequency); absent: never.
    The keys name the person (``digest:<id>:…``): a short range of the key's index
    each, however long ago. One query for a batch."""
    ids = list(person_ids)
    if not ids:
        return {}
    prefixes = Q()
    for person_id in ids:
        prefixes |= Q(key__startswith=f"digest:{person_id}:")
    rows = (
        EmailDelivery.objects.filter(prefixes, status=EmailDelivery.Status.SENT)
        .order_by()
        .values_list("person_id")
        .annotate(last=Max("sent_at"))
    )
    return dict(rows)


# For those who make notifications ------------------------------------------------------


def _about(rows: QuerySet[Notification], field_name: str, thing: Any) -> QuerySet[Notification]:
    if thing is None:
        return rows.filter(**{f"{field_name}_content_type": None})
    return rows.filter(
        **{
            f"{field_name}_content_type": ContentType.objects.get_for_model(thing),
            f"{field_name}_object_id": str(thing.pk),
        }
    )


def told_of(kind: str, target: Any, action_object: Any = None) -> QuerySet[Notification, Any]:
    """The ids of everyone notified of ``kind`` about ``target`` (and ``action_object``):
    so a post edited twice mentions each person once."""
    rows = _about(
        _about(Notification.objects.filter(verb=kind), "target", target),
        "action_object",
        action_object,
    )
    return rows.values("recipient_id")


@dataclass(frozen=True)
class Unread:
    id: int
    data: dict[str, Any]
    emailed: bool


def latest_unread(recipient: Person, kind: str, target: Any) -> Unread | None:
    """The recipient's latest unread notice of ``kind`` about ``target``, if any."""
    row = (
        _about(
            Notification.objects.filter(recipient=recipient, verb=kind, unread=True),
            "target",
            target,
        )
        .order_by("-id")
        .first()
    )
    return Unread(row.pk, row.data or {}, row.emailed) if row else None
