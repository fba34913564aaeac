"""Read access to the domain. Views and realtime read through these functions,
which all go through the visibility rule in ``communities.models``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import Promise

from communities import parsing
from communities.models import (
    Attachment,
    Follow,
    Group,
    JoinRequest,
    Membership,
    Person,
    Post,
    PostQuerySet,
    Reaction,
    Reply,
    Tag,
)

# Feeds -----------------------------------------------------------------------


def page(
    posts: PostQuerySet, *, before: int | None = None, limit: int | None = None
) -> tuple[list[Post], bool]:
    """A page of ``posts``, newest first, older than the cursor ``before``; and if more
    follow. Without their activity: a page shows their cards, which read it only for
    the posts whose card is not rendered yet (``communities.post_cards``)."""
    limit = limit or settings.FEED_PAGE_SIZE
    posts = posts.for_feed()
    if before is not None:
        posts = posts.filter(id__lt=before)
    rows = list(posts[: limit + 1])
    return rows[:limit], len(rows) > limit


def newer(posts: PostQuerySet, after: int, limit: int | None = None) -> tuple[list[Post], bool]:
    """Posts newer than ``after``, newest first: what a reconnecting page missed; at
    most ``settings.CATCH_UP_POSTS`` of them, and whether there were more (one row
    more is read to know, so no count is needed). Without their activity, as ``page``."""
    limit = limit or settings.CATCH_UP_POSTS
    rows = list(posts.filter(id__gt=after).for_feed()[: limit + 1])
    return rows[:limit], len(rows) > limit


@dataclass(frozen=True)
class Changes:
    """What changed in a feed's posts while a page was away (``changed``)."""

    posts: list[Post]  # still visible, with their activity, most recently changed first
    removed_post_ids: list[int]
    removed_reply_ids: list[int]
    # More posts changed or were removed than these: the page cannot be brought
    # up to date by a catch-up, only by a reload.
    more: bool = False
    # The pinned place of each group one of whose announcements changed (pinned or not).
    pinned_places: list[PinnedPlace] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.posts or self.removed_post_ids or self.removed_reply_ids)


def changed(person: Person, posts: QuerySet[Post], *, upto: int, since: datetime) -> Changes:
    """The posts of a feed up to id ``upto`` that replies, reactions or edits changed
    after ``since``, and the posts and replies removed since: what a page whose
    socket was away missed about the posts it shows. At most
    ``settings.CATCH_UP_CHANGES`` of each, and whether there were more (one row more
    is read to know); six queries whatever their number, and one more when
    announcements changed (found through the index on
    ``changed_at``, a range of minutes). Removed posts are named only in groups the
    person may read, and only by id."""
    limit = settings.CATCH_UP_CHANGES
    rows = list(
        posts.filter(id__lte=upto, changed_at__gt=since)
        .select_related("author", "group")
        .order_by("-changed_at")[: limit + 1]
    )
    removed = list(
        Post.objects.filter(
            group__in=Group.objects.readable_by(person),
            id__lte=upto,
            changed_at__gt=since,
            deleted_at__isnull=False,
        )
        .order_by("-changed_at")
        .values_list("pk", flat=True)[: limit + 1]
    )
    more = len(rows) > limit or len(removed) > limit
    rows, removed = with_activity(rows[:limit]), removed[:limit]
    replies = (
        list(
            Reply.objects.filter(
                post_id__in=[post.pk for post in rows], deleted_at__gt=since
            ).values_list("pk", flat=True)
        )
        if rows
        else []
    )
    pin_groups = sorted({post.group_id for post in rows if post.kind == Post.Kind.ANNOUNCEMENT})
    return Changes(rows, removed, replies, more, pinned_places(pin_groups))


LATEST_REPLIES = 2


@dataclass(frozen=True)
class ReactionKind:
    kind: str
    emoji: str
    label: str | Promise  # lazily translated: rendered in the reader's language
    people: list[Person]

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def person_ids(self) -> str:
        return " ".join(str(p.pk) for p in self.people)


def with_activity(posts: list[Post]) -> list[Post]:
    """Give each post its latest replies, reactions and attachments, for any number of posts.

    Sets ``post.latest_replies``, ``post.reaction_kinds`` (every kind, with who),
    ``post.reaction_total`` and ``post.attachment_list``: three queries in all.
    """
    ids = [post.pk for post in posts]
    replies: dict[int, list[Reply]] = {pk: [] for pk in ids}
    if ids:
        newest_first = Window(RowNumber(), partition_by=F("post_id"), order_by=F("id").desc())
        latest = (
            Reply.objects.filter(post_id__in=ids, deleted_at=None)
            .annotate(newness=newest_first)
            .filter(newness__lte=LATEST_REPLIES)
            .select_related("author")
            .order_by("id")
        )
        for reply in latest:
            replies[reply.post_id].append(reply)
    reactors: dict[int, dict[str, list[Person]]] = {pk: {} for pk in ids}
    if ids:
        for reaction in Reaction.objects.filter(post_id__in=ids).select_related("person"):
            reactors[reaction.post_id].setdefault(reaction.kind, []).append(reaction.person)
    attachments: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    if ids:
        for attachment in Attachment.objects.filter(post_id__in=ids):
            attachments[attachment.post_id].append(attachment)
    for post in posts:
        post.attachment_list = attachments[post.pk]
        post.latest_replies = replies[post.pk]
        post.reaction_kinds = [
            ReactionKind(kind, Reaction.EMOJI[kind], label, reactors[post.pk].get(kind, []))
            for kind, label in Reaction.Kind.choices
        ]
        post.reaction_total = sum(kind.count for kind in post.reaction_kinds)
    return posts


def as_just_written(post: Post, attachments: list[Attachment]) -> Post:
    """``with_activity`` of a post its author just wrote, without asking the database:
    nobody has replied or reacted yet, and its attachments are the ones just stored."""
    post.attachment_list = attachments
    post.latest_replies = []
    post.reaction_kinds = [
        ReactionKind(kind, Reaction.EMOJI[kind], label, []) for kind, label in Reaction.Kind.choices
    ]
    post.reaction_total = 0
    return post


def post_replies(person: Person, post_id: int) -> tuple[Post, list[Reply]]:
    """A post the person may see and all its replies, oldest first (for "show all")."""
    post = Post.objects.visible_to(person).select_related("group").get(pk=post_id)
    return post, list(post.replies.filter(deleted_at=None).select_related("author").order_by("id"))


def visible_post(person: Person, post_id: int) -> Post:
    return Post.objects.visible_to(person).select_related("author", "group").get(pk=post_id)


def group_posts(person: Person, group: Group) -> PostQuerySet:
    return Post.objects.visible_to(person).filter(group=group)


def home_posts(person: Person) -> PostQuerySet:
    """The home timeline: the person's groups and followed groups, followed people
    and #tags, and organisation news; only what they may see, each post once.

    PostgreSQL reads it as one walk through posts, newest first, that stops
    when a page is full. Whether a post has a followed #tag is a subquery per
    post (a lookup in the post's own tags): written as EXISTS, PostgreSQL
    would first collect every post carrying any followed tag, tens of
    thousands at organisation scale, for every page (bench/pages.py).
    """
    follows = Follow.objects.filter(follower=person)
    a_followed_tag = Post.tags.through.objects.filter(
        post_id=OuterRef("pk"), tag_id__in=follows.exclude(tag=None).values("tag_id")
    ).values("tag_id")[:1]
    return (
        Post.objects.visible_to(person)
        .alias(followed_tag=Subquery(a_followed_tag))
        .filter(
            Q(group__in=Membership.objects.filter(person=person).values("group_id"))
            | Q(group__in=follows.exclude(group=None).values("group_id"))
            | Q(group__is_news=True)
            | Q(author__in=follows.exclude(person=None).values("person_id"))
            | Q(followed_tag__isnull=False)
        )
    )


def tag_posts(person: Person, name: str) -> PostQuerySet:
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        return Post.objects.none()
    return Post.objects.visible_to(person).with_tag(tag)


def person_posts(viewer: Person, author: Person) -> PostQuerySet:
    return Post.objects.visible_to(viewer).filter(author=author)


# Live delivery ------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """Where a new post must be pushed; computed with the visibility rule."""

    open_to_all: bool
    tag_names: list[str]


def delivery_of(post: Post) -> Delivery:
    """Which scope a new post travels in, and under which #tags."""
    return Delivery(
        open_to_all=post.group.privacy == Group.Privacy.OPEN,
        tag_names=list(post.tags.values_list("name", flat=True)),
    )


@dataclass(frozen=True)
class HomeSources:
    """The feeds a home timeline is made of, as a live page listens to them.

    The home timeline (``home_posts``) holds posts of the person's groups,
    the groups they follow and organisation news, posts by people they follow
    and posts under #tags they follow, each only if they may see it. Live, it
    listens to the feed of each such *group*, and to the *open* scope of each
    followed person and tag: a followed person's post in a closed or secret
    group can only be visible if the reader belongs to that group, and then it
    arrives through that group's feed. So a post travels once per feed, not
    once per reader, and a page never hears of a post it may not show.
    """

    group_ids: set[int]
    author_ids: set[int]
    tag_names: set[str]


def home_sources(person: Person) -> HomeSources:
    follows = list(Follow.objects.filter(follower=person).values_list("person_id", "tag__name"))
    readable = Group.objects.readable_by(person).filter(
        Q(memberships__person=person)
        | Q(pk__in=Follow.objects.filter(follower=person).values("group_id"))
        | Q(is_news=True)
    )
    return HomeSources(
        group_ids=set(readable.values_list("id", flat=True)),
        author_ids={person_id for person_id, _tag in follows if person_id is not None},
        tag_names={tag for _person, tag in follows if tag is not None},
    )


def readable_group_id(person: Person, slug: str) -> int | None:
    """The id of the group at ``slug`` if this person may read its feed, else None."""
    return Group.objects.readable_by(person).filter(slug=slug).values_list("id", flat=True).first()


def private_group_ids(person: Person) -> list[int]:
    """Closed and secret groups this person belongs to: the private scopes they may hear."""
    return list(
        Membership.objects.filter(person=person)
        .exclude(group__privacy=Group.Privacy.OPEN)
        .values_list("group_id", flat=True)
    )


def person_id(username: str) -> int | None:
    return (
        Person.objects.filter(username=username, is_active=True)
        .values_list("id", flat=True)
        .first()
    )


def tag_name(raw: str) -> str | None:
    """The stored form of a tag as typed in a URL, or None if it cannot be a tag."""
    return parsing.clean_tag(raw)


# Groups and people ----------------------------------------------------------------


def can_read(person: Person, group: Group) -> bool:
    return Group.objects.readable_by(person).filter(pk=group.pk).exists()


def membership(person: Person, group: Group) -> Membership | None:
    if not person.is_authenticated:
        return None
    return Membership.objects.filter(person=person, group=group).first()


def members(group: Group) -> QuerySet[Membership]:
    """Owners first, then managers, then members, each by name."""
    Role = Membership.Role
    rank = Case(When(role=Role.OWNER, then=0), When(role=Role.MANAGER, then=1), default=2)
    return group.memberships.select_related("person").order_by(rank, "person__display_name")


def pending_requests(group: Group) -> QuerySet[JoinRequest]:
    return group.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("person")


def requests_to_tell(person: Person, days: int = 14) -> list[JoinRequest]:
    """The person's requests to join: waiting ones, and those decided lately, to tell them."""
    since = timezone.now() - timedelta(days=days)
    return list(
        JoinRequest.objects.filter(person=person)
        .filter(Q(status=JoinRequest.Status.PENDING) | Q(decided_at__gte=since))
        .select_related("group")
        .order_by("-created_at")
    )


def latest_request(person: Person, group: Group) -> JoinRequest | None:
    return group.join_requests.filter(person=person).order_by("-created_at").first()


def groups_of(person: Person) -> QuerySet[Group]:
    return Group.objects.filter(memberships__person=person).order_by("name")


def postable_groups(person: Person) -> QuerySet[Group]:
    """Groups this person may post in: their own, organisation news only for its editors."""
    return (
        Group.objects.filter(memberships__person=person)
        .filter(Q(is_news=False) | Q(pk__in=Group.objects.managed_by(person).values("pk")))
        .order_by("name")
    )


def other_visible_groups(person: Person) -> QuerySet[Group]:
    return Group.objects.visible_to(person).exclude(memberships__person=person).order_by("name")


def follows_of(person: Person) -> FollowSet:
    """What this person follows, for follow buttons: ids of people, tag names, group ids."""
    rows = Follow.objects.filter(follower=person).values_list("person_id", "tag__name", "group_id")
    return FollowSet(
        people={p for p, _, _ in rows if p},
        tags={t for _, t, _ in rows if t},
        groups={g for _, _, g in rows if g},
    )


@dataclass(frozen=True)
class FollowSet:
    people: set[int]
    tags: set[str]
    groups: set[int]


def tells_of_new_posts(person: Person, *, group: Group | None = None, tag: str = "") -> bool:
    """Whether the person asked to hear of every new post in this group or with this #tag."""
    follows = Follow.objects.filter(follower=person, notify_posts=True)
    if group is not None:
        return follows.filter(group=group).exists()
    return follows.filter(tag__name=tag).exists()


def active_person(person_id: int) -> Person | None:
    return Person.objects.filter(pk=person_id, is_active=True).first()


def followers(person: Person) -> QuerySet[Person]:
    return Person.objects.filter(
        pk__in=Follow.objects.filter(person=person).values("follower_id")
    ).order_by("display_name")


def following(person: Person) -> QuerySet[Person]:
    return Person.objects.filter(
        pk__in=Follow.objects.filter(follower=person).exclude(person=None).values("person_id")
    ).order_by("display_name")


def followed_tags(person: Person) -> QuerySet[Tag]:
    return Tag.objects.filter(followers__follower=person).order_by("name")


def suggest_people(text: str, limit: int = 8) -> list[Person]:
    """People whose username or any word of their name starts with ``text`` (for @mentions)."""
    text = text.strip()
    if not text:
        return []
    return list(
        Person.objects.filter(is_active=True, is_integration=False)
        .filter(
            Q(username__istartswith=text)
            | Q(display_name__istartswith=text)
            | Q(display_name__icontains=f" {text}")
        )
        .order_by("display_name")[:limit]
    )


def people_to_add(group: Group, text: str, limit: int = 8) -> list[Person]:
    """Suggestions for a manager adding someone to ``group``: as for @mentions, but
    not those already in it."""
    text = text.strip()
    if not text:
        return []
    members = Membership.objects.filter(group=group).values("person_id")
    return list(
        Person.objects.filter(is_active=True)
        .exclude(pk__in=members)
        .filter(
            Q(username__istartswith=text)
            | Q(display_name__istartswith=text)
            | Q(display_name__icontains=f" {text}")
        )
        .order_by("display_name")[:limit]
    )


def person_named(group: Group, text: str) -> list[Person]:
    """Whom a manager means by what they typed (the form without JavaScript): the one
    with that username, else everyone with that name, else the suggestions for it.
    Several results mean "be more precise"."""
    text = text.strip()
    if not text:
        return []
    active = Person.objects.filter(is_active=True)
    by_username = list(active.filter(username__iexact=text)[:1])
    if by_username:
        return by_username
    by_name = list(active.filter(display_name__iexact=text).order_by("display_name")[:8])
    return by_name or people_to_add(group, text)


def manages(person: Person, group: Group) -> bool:
    return Group.objects.managed_by(person).filter(pk=group.pk).exists()


def managed_group_ids(person: Person) -> list[int]:
    """Groups this person manages: the page shows them moderation controls there."""
    return list(Group.objects.managed_by(person).values_list("pk", flat=True))


def visible_attachment(person: Person, attachment_id: int) -> Attachment:
    """An attachment whose post this person may see; DoesNotExist otherwise."""
    return Attachment.objects.get(
        pk=attachment_id, post__in=Post.objects.visible_to(person).values("pk")
    )


@dataclass(frozen=True)
class PinnedPlace:
    """The top of a group's feed (and of the home timeline, for organisation news):
    the announcement pinned there, if any. Pages give each group's place an id, so
    a pin or unpin replaces it live and on catching up."""

    group_id: int
    posts: list[Post]  # the pinned announcement, or none


def _pinned(posts: PostQuerySet) -> PostQuerySet:
    now = timezone.now()
    return (
        posts.filter(kind=Post.Kind.ANNOUNCEMENT, deleted_at=None)
        .exclude(pinned_at=None)
        .filter(Q(pin_expires_at=None) | Q(pin_expires_at__gt=now))
    )


def pinned_places(group_ids: Sequence[int]) -> list[PinnedPlace]:
    """The pinned places of these groups; the caller shows them only to their readers
    (a page of a group it may read, a push to a group's readers). One query: their
    cards read the activity they need (``communities.post_cards``)."""
    if not group_ids:
        return []
    posts = list(_pinned(Post.objects.filter(group__in=group_ids)).for_feed())
    return [
        PinnedPlace(group_id, [post for post in posts if post.group_id == group_id])
        for group_id in group_ids
    ]


def pinned_place(group_id: int) -> PinnedPlace:
    return pinned_places([group_id])[0]


def pinned_ids(group_ids: Sequence[int]) -> list[int]:
    """The announcements pinned in these groups now. A page that shows a group's
    pinned place lists them there only, not a second time in its feed. One query."""
    return list(_pinned(Post.objects.filter(group__in=group_ids)).values_list("pk", flat=True))


def pinned_news_ids(person: Person) -> list[int]:
    """The announcements pinned now in the organisation news the person may read: the
    home timeline's pinned places. One query."""
    news = Group.objects.readable_by(person).news()
    return list(_pinned(Post.objects.filter(group__in=news)).values_list("pk", flat=True))


def unpinned_among(posts: Sequence[Post], places: Sequence[PinnedPlace]) -> list[Post]:
    """The announcements of ``posts`` in these places' groups that are pinned no more:
    pages that showed them in the pinned place put them back in their feed."""
    pinned = {post.pk for place in places for post in place.posts}
    groups = {place.group_id for place in places}
    return [
        post
        for post in posts
        if post.kind == Post.Kind.ANNOUNCEMENT and post.group_id in groups and post.pk not in pinned
    ]


def pinned_for(person: Person, groups: QuerySet[Group]) -> list[PinnedPlace]:
    """The pinned places of those of ``groups`` the person may read."""
    return pinned_places(
        list(Group.objects.readable_by(person).filter(pk__in=groups).values_list("pk", flat=True))
    )


def read_count(post: Post) -> int:
    return post.reads.count()


def sees_reach(person: Person, post: Post) -> bool:
    """The author and community coaches see how many read an article or announcement."""
    return post.kind != Post.Kind.UPDATE and (person.pk == post.author_id or person.is_coach)


# Erasure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Handover:
    """A group whose last owner is being erased, and who owns it after: its longest-
    standing manager, else its longest-standing member; None when nobody else is in it."""

    group: Group
    to: Person | None


def handovers_of(person: Person) -> list[Handover]:
    """The groups ``person`` is the last owner of, each with its next owner. The
    administrator's confirmation page shows them; the erasure hands them over."""
    Role = Membership.Role
    owned = Membership.objects.filter(person=person, role=Role.OWNER).select_related("group")
    handovers = []
    for membership in owned.order_by("group__name"):
        others = Membership.objects.filter(group=membership.group_id).exclude(person=person)
        if others.filter(role=Role.OWNER).exists():
            continue
        rank = Case(When(role=Role.MANAGER, then=0), default=1)
        successor = (
            others.filter(person__is_active=True)
            .select_related("person")
            .order_by(rank, "joined_at", "pk")
            .first()
        )
        handovers.append(Handover(membership.group, successor.person if successor else None))
    return handovers


@dataclass(frozen=True)
class Contributions:
    posts: int
    replies: int


def contributions_of(person: Person) -> Contributions:
    """How many posts and replies of someone others can read (not deleted)."""
    return Contributions(
        posts=Post.objects.filter(author=person, deleted_at=None).count(),
        replies=Reply.objects.filter(author=person, deleted_at=None).count(),
    )
