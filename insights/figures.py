"""Every figure the coach sees, from one module: the dashboard, its CSV files, the
group managers' figures and the benchmark all ask here.

A *scope* says whose figures: the organisation, a department or a group (the
people in it: active accounts, for a group its members). A *period* is the last
7, 28, 90 or 365 days up to and including today, compared with as many days
before it. Days come from the roll-ups (``rollups``) where beat has made them
and from the raw tables otherwise (always for today), so a figure is right for
the partial day too.

Privacy: a department or group of fewer than ``INSIGHTS_MIN_PEOPLE`` people
shows no figures (``TooSmall``); nothing here ranks people or names them; what
names a thing (a group, an article, a page) names only what the coach may see,
by the one visibility rule.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Membership, Person, Post, PostRead
from insights import rollups
from insights.models import (
    GroupDay,
    PageUse,
    PostReaders,
    SearchGap,
    TermRollup,
    Threshold,
)
from insights.rollups import (
    Day,
    GroupFigures,
    TermCount,
    bits,
    count_days,
    count_group_days,
    count_terms,
    local_start,
    searched_between,
    within,
)
from knowledge.models import Page
from people.models import Profile

PERIODS = rollups.PERIODS  # 7, 28, 90 and 365 days
#: A page's (or a CSV file's) figures, computed together: what they all count is
#: counted once (also usable as a decorator).
one_view = rollups.one_view
DEFAULT_PERIOD = 28
WEEKS = 12
#: A group with no post for this long is quiet.
QUIET_AFTER = timedelta(days=30)


def min_people() -> int:
    return settings.INSIGHTS_MIN_PEOPLE


# Periods and scopes --------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Days from ``first`` to ``last``, both included (local dates)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[date]:
        return [self.first + timedelta(n) for n in range(self.days)]


def windows(period: int, today: date) -> tuple[Window, Window]:
    """The period up to today, and the one before it, as long."""
    current = Window(today - timedelta(period - 1), today)
    previous = Window(current.first - timedelta(period), current.first - timedelta(1))
    return current, previous


@dataclass(frozen=True)
class Scope:
    """Whose figures: ``kind`` "organisation", "department" (``key`` its name) or
    "group" (``key`` its id)."""

    kind: str
    key: str = ""
    label: str = ""

    ORGANISATION = "organisation"
    DEPARTMENT = "department"
    GROUP = "group"

    @property
    def group_id(self) -> int | None:
        return int(self.key) if self.kind == self.GROUP else None

    def people(self) -> QuerySet[Person]:
        """The people the figures are about: active accounts in the scope."""
        people = Person.objects.filter(
            is_active=True, erased_at=None, is_integration=False
        ).order_by()  # counted and matched, never listed: no sort by name
        if self.kind == self.DEPARTMENT:
            return people.filter(department=self.key)
        if self.kind == self.GROUP:
            return people.filter(memberships__group=self.group_id)
        return people

    @property
    def name(self) -> str:
        """The scope as the page says it, in the reader's language."""
        return str(_("The organisation")) if self.kind == self.ORGANISATION else self.label

    @property
    def query(self) -> str:
        """The scope as the dashboard's address says it."""
        return self.kind if self.kind == self.ORGANISATION else f"{self.kind}:{self.key}"


ORGANISATION = Scope(Scope.ORGANISATION, label=str(_("The organisation")))


def departments() -> list[str]:
    """The departments people have, for the scope picker."""
    return list(
        Person.objects.filter(is_active=True, erased_at=None)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def scope_groups(coach: Person) -> QuerySet[Group]:
    """The groups a coach may pick: those they may know exist."""
    return Group.objects.visible_to(coach).order_by("name")


def scope_of(coach: Person, query: str) -> Scope | None:
    """The scope an address names ("organisation", "department:Wondzorg",
    "group:12"), or None for one the coach may not see or that does not exist."""
    kind, _sep, key = (query or Scope.ORGANISATION).partition(":")
    if kind == Scope.ORGANISATION:
        return ORGANISATION
    if kind == Scope.DEPARTMENT and key:
        if Person.objects.filter(is_active=True, erased_at=None, department=key).exists():
            return Scope(Scope.DEPARTMENT, key, key)
        return None
    if kind == Scope.GROUP and key.isdigit():
        group = scope_groups(coach).filter(pk=int(key)).first()
        if group is not None:
            return Scope(Scope.GROUP, str(group.pk), group.name)
    return None


@dataclass(frozen=True)
class TooSmall:
    """Figures not shown: the scope holds fewer people than the minimum."""

    people: int
    minimum: int


def too_small(scope: Scope) -> TooSmall | None:
    if scope.kind == Scope.ORGANISATION:
        return None
    people = scope.people().count()
    return TooSmall(people, min_people()) if people < min_people() else None


# Days ------------------------------------------------------------------------


def days_between(first: date, last: date, *, today: date) -> dict[date, Day]:
    """The days from ``first`` to ``last``: rolled up where beat did, counted from
    the raw tables where it did not (today always)."""
    days: dict[date, Day] = {}
    yesterday = today - timedelta(1)
    if first <= yesterday:
        days.update(rollups.rolled_days(rollups.rolled_versions(first, min(last, yesterday))))
    missing = [d for d in Window(first, min(last, yesterday)).dates() if d not in days]
    if first <= yesterday and missing:
        counted = count_days(min(missing), max(missing))
        for day in missing:
            days[day] = counted.get(day, Day())
    if first <= today <= last:
        days[today] = count_days(today, today).get(today, Day())
    return days


# Participation -----------------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    """One period's participation of a scope's people."""

    accounts: int
    active: int
    reacting: int
    contributing: int
    posts: int
    replies: int
    reactions: int
    # Known for now only (a photo's past is not kept): None for an earlier period.
    with_photo: int | None = None
    complete_profile: int | None = None

    def share(self, count: int | None) -> float | None:
        if count is None or not self.accounts:
            return None
        return count / self.accounts

    @property
    def active_share(self) -> float | None:
        return self.share(self.active)

    @property
    def reacting_share(self) -> float | None:
        return self.share(self.reacting)

    @property
    def contributing_share(self) -> float | None:
        return self.share(self.contributing)

    @property
    def photo_share(self) -> float | None:
        return self.share(self.with_photo)

    @property
    def complete_share(self) -> float | None:
        return self.share(self.complete_profile)

    @property
    def reactions_per_person(self) -> float | None:
        return self.reactions / self.accounts if self.accounts else None

    @property
    def replies_per_person(self) -> float | None:
        return self.replies / self.accounts if self.accounts else None


@dataclass(frozen=True)
class Participation:
    scope: Scope
    period: int
    current: Funnel
    previous: Funnel
    window: Window
    previous_window: Window


def participation(scope: Scope, period: int, *, today: date | None = None) -> Participation:
    """The funnel (accounts → active → reacting → contributing), photos and complete
    profiles, reactions and replies per person: this period and the one before."""
    today = today or timezone.localdate()
    current, previous = windows(period, today)
    days = days_between(previous.first, current.last, today=today)
    people = scope.people()
    now_members = scope_members(scope, _end_of(current.last))
    # Those who had joined by the end of the period before: all but the few since.
    since = set(people.filter(date_joined__gte=_end_of(previous.last)).values_list("pk", flat=True))
    figures = [
        _funnel(scope, current, now_members, days),
        _funnel(scope, previous, [pk for pk in now_members if pk not in since], days),
    ]
    photo, complete = _profiles(people)
    now_funnel = figures[0]
    return Participation(
        scope=scope,
        period=period,
        current=Funnel(
            **{**now_funnel.__dict__, "with_photo": photo, "complete_profile": complete}
        ),
        previous=figures[1],
        window=current,
        previous_window=previous,
    )


def _end_of(day: date) -> datetime:
    return local_start(day + timedelta(1))


def scope_members(scope: Scope, joined_before: datetime | None = None) -> list[int]:
    """The ids of the scope's people (who had joined before a moment), once per view."""

    def ids() -> list[int]:
        people = scope.people()
        if joined_before is not None:
            people = people.filter(date_joined__lt=joined_before)
        return list(people.values_list("pk", flat=True))

    return rollups.shared(("members", scope, joined_before), ids)


def _funnel(scope: Scope, window: Window, members: list[int], days: dict[date, Day]) -> Funnel:
    mask = bits(members)
    opened = reacted = contributed = 0
    for day in window.dates():
        counted = days.get(day)
        if counted is not None:
            opened |= counted.opened
            reacted |= counted.reacted
            contributed |= counted.contributed
    posts, replies, reactions = _totals(scope, window, members, days)
    return Funnel(
        accounts=len(members),
        active=(opened & mask).bit_count(),
        reacting=(reacted & mask).bit_count(),
        contributing=(contributed & mask).bit_count(),
        posts=posts,
        replies=replies,
        reactions=reactions,
    )


def _totals(
    scope: Scope, window: Window, members: list[int], days: dict[date, Day]
) -> tuple[int, int, int]:
    """Posts, replies and reactions in the window: by the scope's people, or for a
    group, made in its feed."""
    if scope.kind == Scope.GROUP:
        # In a group's feed: its own roll-ups, not its members' doings everywhere.
        found = group_days(int(scope.key), window).values()
        return (
            sum(day.posts for day in found),
            sum(day.replies for day in found),
            sum(day.reactions for day in found),
        )
    departments = {scope.key} if scope.kind == Scope.DEPARTMENT else None
    counted = [days[d] for d in window.dates() if d in days]
    return tuple(  # type: ignore[return-value]
        sum(day.total(what, departments) for day in counted) for what in range(3)
    )


def _profiles(people: QuerySet[Person]) -> tuple[int, int]:
    """People with a photo, and people whose profile has everything the profile page
    asks for, in one query."""
    asked = Profile.expertise.through.objects.filter(profile__person=OuterRef("pk"))
    filled = Profile.objects.filter(person=OuterRef("pk")).exclude(phone="").exclude(bio="")
    photo = ~Q(photo="")
    found = people.aggregate(
        with_photo=Count("pk", filter=photo),
        complete_profile=Count(
            "pk",
            filter=photo
            & ~Q(job_title="")
            & ~Q(department="")
            & ~Q(location="")
            & Q(Exists(filled))
            & Q(Exists(asked)),
        ),
    )
    return found["with_photo"], found["complete_profile"]


# Weeks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    active: int
    posts: int


def weekly(scope: Scope, *, today: date | None = None, weeks: int = WEEKS) -> list[Week]:
    """Weekly active people and posts by the scope's people (for a group: in its
    feed), the last ``weeks`` weeks (Monday to Sunday; the last one is this week,
    so far)."""
    today = today or timezone.localdate()
    monday = today - timedelta(today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    days = days_between(first, today, today=today)
    mask = bits(scope_members(scope, _end_of(today)))
    posts_by_day: dict[date, int] = {}
    if scope.kind == Scope.GROUP:
        posts_by_day = {
            day: counted.posts
            for day, counted in group_days(int(scope.key), Window(first, today)).items()
        }
    departments = {scope.key} if scope.kind == Scope.DEPARTMENT else None
    found = []
    for n in range(weeks):
        start = first + timedelta(weeks=n)
        opened, posts = 0, 0
        for day in Window(start, min(start + timedelta(6), today)).dates():
            counted = days.get(day, Day())
            opened |= counted.opened
            if scope.kind == Scope.GROUP:
                posts += posts_by_day.get(day, 0)
            else:
                posts += counted.total(0, departments)
        found.append(Week(start=start, active=(opened & mask).bit_count(), posts=posts))
    return found


# Groups -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: Group
    members: int
    # None when the group is too small to show figures.
    posts: int | None
    last_post_at: datetime | None
    quiet: bool
    median_first_reply: timedelta | None
    unanswered: int | None
    too_small: bool = False


def groups(
    coach: Person, scope: Scope, period: int, *, now: datetime | None = None
) -> list[GroupRow]:
    """Each group the coach may know (or the scope's group): members, posts in the
    period, last post, quiet or not, median time to first reply, posts that had no
    reply within 48 hours. Groups of fewer than the minimum show no figures."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    window, _previous = windows(period, today)
    chosen = scope_groups(coach)
    if scope.kind == Scope.GROUP:
        chosen = chosen.filter(pk=int(scope.key))
    last_post = Post.objects.filter(group=OuterRef("pk"), deleted_at=None).order_by("-id")
    listed = list(
        chosen.only("pk", "name", "slug").annotate(
            last_post_at=Subquery(last_post.values("created_at")[:1])
        )
    )
    members = member_counts([g.pk for g in listed])
    figures = group_figures([g.pk for g in listed], window, now=now)
    rows = []
    for group in listed:
        small = members.get(group.pk, 0) < min_people()
        counted = figures.get(group.pk, GroupPeriod())
        quiet = group.last_post_at is None or group.last_post_at < now - QUIET_AFTER
        rows.append(
            GroupRow(
                group=group,
                members=members.get(group.pk, 0),
                posts=None if small else counted.posts,
                last_post_at=group.last_post_at,
                quiet=quiet,
                median_first_reply=None if small else counted.median_first_reply,
                unanswered=None if small else counted.unanswered,
                too_small=small,
            )
        )
    return rows


MANY_GROUPS = 50


def member_counts(group_ids: list[int]) -> dict[int, int]:
    """Each group's members with an active account, in one grouped query."""
    # Counted over the memberships alone, less those of the few accounts that are
    # off: a join of every membership to its person costs several times as much.
    # For many groups, every group's count: checking each membership against a list
    # of hundreds of ids costs more than counting them all.
    off = Person.objects.filter(Q(is_active=False) | Q(erased_at__isnull=False)).values("pk")
    memberships = Membership.objects.all()
    if len(group_ids) <= MANY_GROUPS:
        memberships = memberships.filter(group__in=group_ids)
    wanted = set(group_ids)
    return {
        group: n
        for group, n in memberships.values_list("group_id")
        .annotate(n=Count("pk") - Count("pk", filter=Q(person__in=off)))
        .order_by()
        if group in wanted
    }


@dataclass
class GroupPeriod:
    posts: int = 0
    replies: int = 0
    reactions: int = 0
    unanswered: int = 0
    delays: list[float] = field(default_factory=list)

    def copy(self) -> GroupPeriod:
        return GroupPeriod(
            self.posts, self.replies, self.reactions, self.unanswered, list(self.delays)
        )

    @property
    def median_first_reply(self) -> timedelta | None:
        return timedelta(seconds=statistics.median(self.delays)) if self.delays else None


def group_figures(
    group_ids: Iterable[int], window: Window, *, now: datetime
) -> dict[int, GroupPeriod]:
    """Posts, replies, unanswered posts and first-reply delays per group over a
    window: the roll-ups summed in the database, the days not rolled up counted."""
    group_ids = list(group_ids)
    today = timezone.localdate(now)
    versions = rollups.rolled_versions(window.first, min(window.last, today - timedelta(1)))
    stored = rollups.summed(
        ("groups", tuple(sorted(group_ids))),
        versions,
        lambda: _stored_group_figures(group_ids, versions),
    )
    found: dict[int, GroupPeriod] = defaultdict(GroupPeriod)
    for group, period in stored.items():
        found[group] = period.copy()
    missing = [d for d in window.dates() if d not in versions]
    if missing:
        counted = count_group_days(min(missing), max(missing), now=now, groups=group_ids)
        for (group, day), day_figures in counted.items():
            if day in versions:
                continue
            _add(found[group], day_figures)
    return dict(found)


def _stored_group_figures(
    group_ids: list[int], versions: dict[date, datetime]
) -> dict[int, GroupPeriod]:
    """The groups' rolled-up days summed: posts, replies, reactions, unanswered posts
    and the delays of first replies (sorted)."""
    found: dict[int, GroupPeriod] = defaultdict(GroupPeriod)
    if not versions:
        return {}
    stored = GroupDay.objects.filter(
        group__in=group_ids, day__range=(min(versions), max(versions)), day__in=list(versions)
    )
    for group, posts, replies, reactions, unanswered in (
        stored.values_list("group_id")
        .annotate(Sum("posts"), Sum("replies"), Sum("reactions"), Sum("unanswered"))
        .order_by()
    ):
        found[group].posts += posts or 0
        found[group].replies += replies or 0
        found[group].reactions += reactions or 0
        found[group].unanswered += unanswered or 0
    for group, delays in stored.exclude(first_reply_seconds=[]).values_list(
        "group_id", "first_reply_seconds"
    ):
        found[group].delays.extend(delays)
    return dict(found)


def group_days(group_id: int, window: Window) -> dict[date, GroupFigures]:
    """One group's days over a window: its roll-ups, and the days not rolled up
    (today always) counted from the raw tables."""
    today = timezone.localdate()
    versions = rollups.rolled_versions(window.first, min(window.last, today - timedelta(1)))
    stored = rollups.summed(
        ("group_days", group_id),
        versions,
        lambda: {
            row.day: GroupFigures(
                posts=row.posts,
                replies=row.replies,
                reactions=row.reactions,
                first_reply_seconds=row.first_reply_seconds,
                unanswered=row.unanswered,
            )
            for row in GroupDay.objects.filter(group=group_id, day__in=list(versions))
        },
    )
    days: dict[date, GroupFigures] = dict(stored)
    missing = [d for d in window.dates() if d not in versions]
    if missing:
        counted = count_group_days(min(missing), max(missing), groups=[group_id])
        for (_group, day), figures in counted.items():
            if day not in versions:
                days[day] = figures
    return days


def _add(period: GroupPeriod, day: GroupFigures) -> None:
    period.posts += day.posts
    period.replies += day.replies
    period.reactions += day.reactions
    period.unanswered += day.unanswered or 0
    period.delays.extend(day.first_reply_seconds)


# News ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsRow:
    post: Post
    readers: int
    audience: int

    @property
    def reach(self) -> float | None:
        return min(self.readers / self.audience, 1.0) if self.audience else None


def news(
    coach: Person, scope: Scope, period: int, *, today: date | None = None, limit: int = 10
) -> list[NewsRow]:
    """The most read articles and announcements posted in the period that the coach
    may see, each with its reach: the share of its group's members who opened it
    (of everyone, for organisation news)."""
    today = today or timezone.localdate()
    window, _previous = windows(period, today)
    posts = Post.objects.visible_to(coach).filter(
        within(window.first, window.last), kind__in=[Post.Kind.ARTICLE, Post.Kind.ANNOUNCEMENT]
    )
    if scope.kind == Scope.GROUP:
        posts = posts.filter(group=scope.group_id)
    # Readers as the roll-up counted them (PostReaders, before its day), plus the
    # reads since: never a year of reads counted again. The top ``limit`` by the
    # roll-up and every post read since are the only candidates; no other post
    # can be among the most read.
    until = PostReaders.objects.aggregate(until=Max("until"))["until"]
    top = list(
        PostReaders.objects.filter(post__in=posts.values("pk"))
        .order_by("-readers", "-post_id")
        .values_list("post_id", "readers")[:limit]
    )
    if len(top) < limit:  # fewer read ones than asked: the newest unread ones after them
        unread = posts.exclude(pk__in=PostReaders.objects.values("post_id")).order_by("-id")
        top += [(pk, 0) for pk in unread.values_list("pk", flat=True)[: limit - len(top)]]
    since = PostRead.objects.filter(post__in=posts.values("pk"))
    if until is not None:
        since = since.filter(read_at__gte=local_start(until))
    recent = dict(since.values_list("post_id").annotate(n=Count("pk")).order_by())
    counted = dict(top)
    missing = [pk for pk in recent if pk not in counted]
    if missing and until is not None:
        counted.update(
            PostReaders.objects.filter(post__in=missing).values_list("post_id", "readers")
        )
    readers = {pk: counted.get(pk, 0) + recent.get(pk, 0) for pk in {*counted, *recent}}
    chosen = sorted(readers, key=lambda pk: (-readers[pk], -pk))[:limit]
    listed = sorted(
        posts.filter(pk__in=chosen).select_related("group", "author"),
        key=lambda post: (-readers[post.pk], -post.pk),
    )
    audiences = member_counts(sorted({post.group_id for post in listed if not post.group.is_news}))
    everyone = None
    rows = []
    for post in listed:
        if post.group.is_news:
            if everyone is None:
                everyone = ORGANISATION.people().count()
            audience = everyone
        else:
            audience = audiences.get(post.group_id, 0)
        rows.append(NewsRow(post=post, readers=readers[post.pk], audience=audience))
    return rows


# Page use -----------------------------------------------------------------------


#: The menu's items, by route name, in the menu's order.
MENU = [
    ("home", _("Home")),
    ("group_list", _("Groups")),
    ("directory", _("People")),
    ("page_list", _("Knowledge")),
    ("document_list", _("Documents")),
    ("event_list", _("Agenda")),
]
#: Pages that show one thing, counted together under their kind.
KINDS = {
    "group": _("Group feeds"),
    "person": _("Profiles"),
    "post": _("Single posts"),
    "tag": _("#tag pages"),
    "document_detail": _("Documents"),
    "event_detail": _("Events"),
    "page_history": _("Knowledge page histories"),
    "page_edit": _("Knowledge page editing"),
    "page_create": _("New knowledge pages"),
    "search": _("Search results"),
    "settings": _("Settings"),
    "notices": _("Notifications"),
    "insights": _("Insights"),
    "insights_group": _("Group figures"),
    "nudge_list": _("Nudges"),
    "nudge_new": _("Nudges"),
    "nudge_detail": _("Nudges"),
}


@dataclass(frozen=True)
class PlaceRow:
    label: str
    views: int
    url: str = ""


@dataclass(frozen=True)
class PageUseFigures:
    menu: list[PlaceRow]  # every menu item, with its openings (0 for none)
    pages: list[PlaceRow]  # the most opened knowledge pages the coach may see
    places: list[PlaceRow]  # every kind of page, most opened first
    unopened_pages: list[Page]  # knowledge pages nobody opened in the period
    unopened_pages_count: int


def page_use(
    coach: Person, period: int, *, today: date | None = None, limit: int = 20
) -> PageUseFigures:
    """Which pages and menu items are opened, and which nobody opens (counted per
    page and day, never per person)."""
    today = today or timezone.localdate()
    window, _previous = windows(period, today)
    # The rolled-up days' openings are summed once per version of those days (a
    # finished day's page use no longer changes); the others (today) are added.
    versions = rollups.rolled_versions(window.first, min(window.last, today - timedelta(1)))
    views: dict[str, int] = defaultdict(int)
    views.update(rollups.summed(("page_use",), versions, lambda: _place_views(list(versions))))
    for place, n in _place_views([d for d in window.dates() if d not in versions]).items():
        views[place] += n
    kinds: dict[str, int] = defaultdict(int)
    page_views: dict[int, int] = {}
    for place, n in views.items():
        route, _sep, key = place.partition(":")
        kinds[route] += n
        if route == "page_detail" and key.isdigit():
            page_views[int(key)] = page_views.get(int(key), 0) + n
    menu = [PlaceRow(str(label), kinds.get(route, 0), reverse(route)) for route, label in MENU]
    seen = Page.objects.visible_to(coach)
    opened_pages = {p.pk: p for p in seen.filter(pk__in=list(page_views))}
    pages = sorted(
        (
            PlaceRow(page.title, page_views[pk], page.get_absolute_url())
            for pk, page in opened_pages.items()
        ),
        key=lambda row: (-row.views, row.label),
    )[:limit]
    labels = {route: str(label) for route, label in MENU} | {
        route: str(label) for route, label in KINDS.items()
    }
    labels["page_detail"] = str(_("Knowledge pages"))
    by_label: dict[str, int] = defaultdict(int)
    for route, n in kinds.items():
        by_label[labels.get(route, route)] += n
    places = sorted(
        (PlaceRow(label, n) for label, n in by_label.items()),
        key=lambda row: (-row.views, row.label),
    )
    unopened = seen.exclude(pk__in=list(page_views)).order_by("title")
    return PageUseFigures(
        menu=menu,
        pages=pages,
        places=places,
        unopened_pages=list(unopened[:limit]),
        unopened_pages_count=unopened.count(),
    )


def _place_views(days: list[date]) -> dict[str, int]:
    if not days:
        return {}
    return dict(
        PageUse.objects.filter(day__range=(min(days), max(days)), day__in=days)
        .values_list("place")
        .annotate(n=Sum("views"))
        .order_by()
    )


# Search gaps --------------------------------------------------------------------


@dataclass(frozen=True)
class TermRow:
    term: str
    searches: int
    searchers: int
    last: datetime | None


@dataclass(frozen=True)
class SearchFigures:
    found_nothing: list[TermRow]  # a page to write
    nobody_opened: list[TermRow]  # found things, nobody opened one: titles or words to fix
    gaps: list[SearchGap]  # the to-dos: open ones first, then those closed in the period
    threshold: Threshold


def threshold() -> Threshold:
    return Threshold.objects.get_or_create(pk=1)[0]


def search_gaps(period: int, *, today: date | None = None, limit: int = 50) -> SearchFigures:
    """Terms searched in the period that found nothing, apart from terms whose results
    nobody opened; counts and numbers of distinct searchers; and the pages to write.

    The finished days come from the roll-up made for today (``TermRollup``) and
    today's searches are added, their searchers counted once over the period: a
    term shown is exact, and no term outside the roll-up's top ones and today's
    can be among the most searched."""
    today = today or timezone.localdate()
    window, _previous = windows(period, today)
    start, end = local_start(window.first), local_start(window.last + timedelta(1))
    stored = TermRollup.objects.filter(for_day=today, period=period)
    if not stored.exists():
        counted = count_terms(start, end)  # no roll-up yet today: all from the log
    else:
        counted = _terms_with_today(stored, start, today, limit)
    nothing = sorted(
        (
            TermRow(t, c.nothing, c.nothing_searchers, c.last_nothing)
            for t, c in counted.items()
            if c.nothing
        ),
        key=lambda row: (-row.searches, -row.searchers, row.term),
    )[:limit]
    unopened = sorted(
        (
            TermRow(t, c.found, c.found_searchers, c.last_found)
            for t, c in counted.items()
            if c.found and not c.opened
        ),
        key=lambda row: (-row.searches, -row.searchers, row.term),
    )[:limit]
    gaps = list(SearchGap.objects.filter(Q(closed_at=None) | Q(closed_at__gte=start)))
    # Open ones first, the most searched first.
    gaps.sort(key=lambda gap: (gap.closed_at is not None, -gap.searches))
    return SearchFigures(nothing, unopened, gaps, threshold())


def _terms_with_today(
    stored: QuerySet[TermRollup], start: datetime, today: date, limit: int
) -> dict[str, TermCount]:
    """The roll-up's most searched terms and today's terms, with today added."""
    fields = [f.name for f in TermRollup._meta.fields if f.name in TermCount.__dataclass_fields__]
    todays = count_terms(local_start(today), local_start(today + timedelta(1)))
    chosen = {
        *stored.filter(nothing__gt=0).order_by("-nothing").values_list("term", flat=True)[:limit],
        *stored.filter(found__gt=0, opened=0)
        .order_by("-found")
        .values_list("term", flat=True)[: 2 * limit],
        *todays,
    }
    counted = {
        row["term"]: TermCount(**{f: row[f] for f in fields})
        for row in stored.filter(term__in=chosen).values("term", *fields)
    }
    if todays:
        # Who searched a term today and had searched it before in the period already.
        today_keys = list(
            searched_between(local_start(today), local_start(today + timedelta(1)))
            .filter(said__in=list(todays))
            .values_list("said", "person_key", "results")
            .order_by()
            .distinct()
        )
        before = (
            searched_between(start, local_start(today))
            .filter(said__in=list(todays), person_key__in={key for _t, key, _r in today_keys})
            .values_list("said", "person_key", "results")
            .order_by()
            .distinct()
        )
        earlier: dict[tuple[str, bool], set[str]] = defaultdict(set)
        for term, key, results in before:
            earlier[(term, results == 0)].add(key)
        new_keys: dict[tuple[str, bool], set[str]] = defaultdict(set)
        for term, key, results in today_keys:
            if key not in earlier[(term, results == 0)]:
                new_keys[(term, results == 0)].add(key)
        for term, added in todays.items():
            total = counted.setdefault(term, TermCount())
            total.nothing += added.nothing
            total.nothing_searchers += len(new_keys[(term, True)])
            total.found += added.found
            total.found_searchers += len(new_keys[(term, False)])
            total.opened += added.opened
            total.last_nothing = max(
                (m for m in (total.last_nothing, added.last_nothing) if m), default=None
            )
            total.last_found = max(
                (m for m in (total.last_found, added.last_found) if m), default=None
            )
    return counted
