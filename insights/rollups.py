"""Days counted: what the raw tables say about one or more local days, in a handful
of grouped queries whatever their number, and the roll-ups beat keeps of them.

``count_days`` is the one place that reads the raw tables (active days, posts,
replies, reactions) for the coach's figures: beat stores what it returns for
finished days (``DayRollup``, ``GroupDay``), and the figures ask it again for
today, and for any day beat has not rolled up yet. So a figure is the same
whether its days came from the roll-ups or from the raw tables.

People are kept as bitmaps, bit n for the person with id n: a year of "who
opened Kring" is 365 ORs of a few kilobytes, and the share of a department is
one AND with the department's own bitmap.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.models import Post, PostRead, Reaction, Reply
from insights.models import ActiveDay, DayRollup, GroupDay, PostReaders, TermRollup

#: The periods the figures offer, in days (each up to and including today).
PERIODS = (7, 28, 90, 365)
#: A post had no answer when none came within this time.
ANSWER_WITHIN = timedelta(hours=48)
#: How far back a first roll-up looks, at most.
HISTORY_DAYS = 800
#: Days counted per batch of queries when rolling up a long history.
BATCH_DAYS = 31


def bitmap(ids: Iterable[int]) -> bytes:
    """The people ``ids`` as bytes, bit n (little-endian) for id n."""
    ids = list(ids)
    if not ids:
        return b""
    buffer = bytearray(max(ids) // 8 + 1)
    for n in ids:
        buffer[n >> 3] |= 1 << (n & 7)
    return bytes(buffer)


def bits(ids: Iterable[int]) -> int:
    """The people ``ids`` as one integer, bit n for id n."""
    return int.from_bytes(bitmap(ids), "little")


def ids_of(value: int) -> list[int]:
    """The ids whose bits are set in ``value`` (for tests and segments)."""
    found, n = [], 0
    while value:
        if value & 1:
            found.append(n)
        value >>= 1
        n += 1
    return found


@dataclass
class Day:
    """One local day's participation: who opened Kring, reacted, contributed (bits),
    and posts, replies and reactions per department."""

    opened: int = 0
    reacted: int = 0
    contributed: int = 0
    totals: dict[str, list[int]] = field(default_factory=dict)
    # Everyone's three totals, summed once (a decoded roll-up is kept and asked often).
    _everyone: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    def total(self, what: int, departments: set[str] | None = None) -> int:
        """The day's posts (0), replies (1) or reactions (2), of everyone or of
        the people of ``departments``."""
        if departments is None:
            if self._everyone is None:
                self._everyone = tuple(
                    sum(counts[n] for counts in self.totals.values()) for n in range(3)
                )
            return self._everyone[what]
        return sum(counts[what] for name, counts in self.totals.items() if name in departments)


@dataclass
class GroupFigures:
    """One group's day: posts and replies made in it, the delays of first replies
    given that day, and how many of the day's posts waited 48 hours in vain
    (None while that cannot be known yet)."""

    posts: int = 0
    replies: int = 0
    reactions: int = 0
    first_reply_seconds: list[float] = field(default_factory=list)
    unanswered: int | None = None


def local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def within(first: date, last: date) -> Q:
    return Q(created_at__gte=local_start(first), created_at__lt=local_start(last + timedelta(1)))


def local_day():
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


# One view's figures share what they count -------------------------------------

T = TypeVar("T")

_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "insights_shared", default=None
)


@contextlib.contextmanager
def one_view() -> Iterator[None]:
    """Within this block, figures that count the same raw days (today, mostly: the
    funnel, the weeks and the groups all need it) count them once. A page (or a
    CSV file) is one such block; nothing is kept after it."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` within ``one_view`` (every time outside it)."""
    found = _SHARED.get()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return found[key]


# Finished days, as beat rolled them up ------------------------------------------

# A rolled-up day does not change until beat rolls it up again, which gives it a
# new ``rolled_at``: so each process keeps the days it decoded, by that version,
# and a dashboard reads of its days only which version each has (a small row
# each), fetching and decoding only days it has not seen in that version.
_DAYS: dict[date, tuple[datetime, Day]] = {}
# Sums over many finished days (a year of 300 groups' figures) by the versions of
# those days: the same days in the same versions give the same sums.
_SUMS: OrderedDict[Hashable, Any] = OrderedDict()
SUMS_KEPT = 64
_LOCK = threading.Lock()


def forget_kept() -> None:
    """Drop every decoded day and kept sum (as a process that just started has none)."""
    with _LOCK:
        _DAYS.clear()
        _SUMS.clear()


def rolled_versions(first: date, last: date) -> dict[date, datetime]:
    """The days from ``first`` to ``last`` that have a roll-up, with its version (within
    ``one_view``, every day's version is read once)."""
    if _SHARED.get() is None:
        return dict(
            DayRollup.objects.filter(day__range=(first, last))
            .order_by()
            .values_list("day", "rolled_at")
        )
    every = shared(
        ("versions",), lambda: dict(DayRollup.objects.order_by().values_list("day", "rolled_at"))
    )
    return {day: at for day, at in every.items() if first <= day <= last}


def rolled_days(versions: dict[date, datetime]) -> dict[date, Day]:
    """The roll-ups of these days in these versions, decoded once per process."""
    stale = [day for day, at in versions.items() if _DAYS.get(day, (None,))[0] != at]
    if stale:
        for row in DayRollup.objects.filter(day__in=stale):
            _DAYS[row.day] = (row.rolled_at, stored_day(row))
    return {day: _DAYS[day][1] for day in versions if day in _DAYS}


def summed(key: Hashable, versions: dict[date, datetime], compute: Callable[[], T]) -> T:
    """``compute()`` (a sum over the rolled-up days ``versions`` names), kept by the
    days' versions: computed again once beat has rolled any of them up anew. The
    caller must not change what it gets."""
    full = (key, tuple(sorted(versions.items())))
    with _LOCK:
        if full in _SUMS:
            _SUMS.move_to_end(full)
            return _SUMS[full]
    value = compute()
    with _LOCK:
        _SUMS[full] = value
        while len(_SUMS) > SUMS_KEPT:
            _SUMS.popitem(last=False)
    return value


def count_days(first: date, last: date) -> dict[date, Day]:
    """Every day from ``first`` to ``last`` (local dates) counted from the raw tables,
    in four queries (once per view, within ``one_view``)."""
    return shared(("days", first, last), lambda: _count_days(first, last))


def _count_days(first: date, last: date) -> dict[date, Day]:
    days: dict[date, Day] = defaultdict(Day)
    opened: dict[date, list[int]] = defaultdict(list)
    for day, person in ActiveDay.objects.filter(day__range=(first, last)).values_list(
        "day", "person_id"
    ):
        opened[day].append(person)
    reacted: dict[date, list[int]] = defaultdict(list)
    contributed: dict[date, set[int]] = defaultdict(set)
    totals: dict[date, dict[str, list[int]]] = defaultdict(dict)

    def add(day: date, department: str, what: int, n: int) -> None:
        counts = totals[day].setdefault(department, [0, 0, 0])
        counts[what] += n

    reactions = (
        Reaction.objects.filter(within(first, last))
        .annotate(day=local_day())
        .values_list("day", "person_id", "person__department")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, person, department, n in reactions:
        reacted[day].append(person)
        add(day, department, 2, n)
    for what, model in ((0, Post), (1, Reply)):
        written = (
            model.objects.filter(within(first, last))
            .annotate(day=local_day())
            .values_list("day", "author_id", "author__department")
            .annotate(n=Count("id"))
            .order_by()
        )
        for day, person, department, n in written:
            contributed[day].add(person)
            add(day, department, what, n)
    for day in set(opened) | set(reacted) | set(contributed):
        days[day] = Day(
            opened=bits(opened[day]),
            reacted=bits(reacted[day]),
            contributed=bits(contributed[day]),
            totals=totals[day],
        )
    return dict(days)


def count_group_days(
    first: date, last: date, *, now: datetime | None = None, groups: Iterable[int] | None = None
) -> dict[tuple[int, date], GroupFigures]:
    """Each group's days from ``first`` to ``last`` counted from the raw tables, in
    five queries: by (group id, day). ``groups`` limits it to some groups. Within
    ``one_view``, counted once for all groups and handed out per group (the caller
    must not change what it gets)."""
    now = now or timezone.now()
    if _SHARED.get() is not None and groups is not None:
        every = shared(("group_days", first, last), lambda: _count_group_days(first, last, now))
        wanted = set(groups)
        return {key: value for key, value in every.items() if key[0] in wanted}
    return _count_group_days(first, last, now, groups)


def _count_group_days(
    first: date, last: date, now: datetime, groups: Iterable[int] | None = None
) -> dict[tuple[int, date], GroupFigures]:
    figures: dict[tuple[int, date], GroupFigures] = defaultdict(GroupFigures)
    only = Q() if groups is None else Q(group__in=list(groups))
    in_groups = Q() if groups is None else Q(post__group__in=list(groups))
    replies = Reply.objects.filter(within(first, last), in_groups)
    per_day = (
        ("posts", Post.objects.filter(within(first, last), only), "group_id"),
        ("replies", replies, "post__group_id"),
        ("reactions", Reaction.objects.filter(within(first, last), in_groups), "post__group_id"),
    )
    for name, rows, group_field in per_day:
        for group, day, n in (
            rows.annotate(day=local_day())
            .values_list(group_field, "day")
            .annotate(n=Count("id"))
            .order_by()
        ):
            setattr(figures[(group, day)], name, n)
    # First replies given in these days: of the posts replied to in them, the
    # earliest reply of each, kept where it falls in the days.
    start, end = local_start(first), local_start(last + timedelta(1))
    firsts = (
        Reply.objects.filter(post__in=replies.values("post_id"), post__deleted_at=None)
        .values("post_id", "post__group_id", "post__created_at")
        .annotate(first=Min("created_at"))
        .filter(first__gte=start, first__lt=end)
        .order_by()
    )
    for row in firsts:
        day = timezone.localdate(row["first"])
        delay = (row["first"] - row["post__created_at"]).total_seconds()
        figures[(row["post__group_id"], day)].first_reply_seconds.append(max(delay, 0.0))
    # Posts that waited in vain: known for the days whose every post is 48 h old.
    known_until = timezone.localdate(now - ANSWER_WITHIN) - timedelta(1)
    if first <= known_until:
        answered = Reply.objects.filter(
            post=OuterRef("pk"), created_at__lt=OuterRef("created_at") + ANSWER_WITHIN
        )
        waited = (
            Post.objects.filter(within(first, min(last, known_until)), only, deleted_at=None)
            .annotate(day=local_day())
            .values_list("group_id", "day")
            .annotate(n=Count("id", filter=~Exists(answered)))
            .order_by()
        )
        for group, day, n in waited:
            figures[(group, day)].unanswered = n
        for (_group, day), counted in figures.items():
            if day <= known_until and counted.unanswered is None:
                counted.unanswered = 0
    return dict(figures)


def roll_up_days(*, now: datetime | None = None) -> int:
    """Store the roll-ups of every finished day that has none yet, and of the last
    three again (late replies change "unanswered" and first replies). Returns how
    many days were stored."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    yesterday = today - timedelta(1)
    earliest = _earliest_day(today)
    if earliest is None or earliest > yesterday:
        return 0
    done = set(
        DayRollup.objects.filter(day__range=(earliest, yesterday)).values_list("day", flat=True)
    )
    redo = {yesterday - timedelta(n) for n in range(3)}
    wanted = [
        earliest + timedelta(n)
        for n in range((yesterday - earliest).days + 1)
        if earliest + timedelta(n) not in done or earliest + timedelta(n) in redo
    ]
    stored = 0
    for batch in _batches(wanted):
        stored += _store(batch[0], batch[-1], now=now)
    count_readers(today)
    roll_up_terms(today)
    return stored


@dataclass
class TermCount:
    """A term's searches over some days: those that found nothing, those that found
    something (and how many of these were opened), with their distinct searchers."""

    nothing: int = 0
    nothing_searchers: int = 0
    last_nothing: datetime | None = None
    found: int = 0
    found_searchers: int = 0
    last_found: datetime | None = None
    opened: int = 0


def searched_between(start: datetime, end: datetime):
    from search.models import Search

    return Search.objects.filter(searched_at__gte=start, searched_at__lt=end).annotate(
        # The log keeps terms as normalised (search.text.normalise: lower case,
        # single spaces), so a term is compared as stored, on its index.
        said=F("term")
    )


def count_terms(start: datetime, end: datetime) -> dict[str, TermCount]:
    """Every term searched from ``start`` to ``end``, counted in one grouped query."""
    nothing, found = Q(results=0), Q(results__gt=0)
    grouped = (
        searched_between(start, end)
        .values("said")
        .annotate(
            nothing=Count("id", filter=nothing),
            nothing_searchers=Count("person_key", filter=nothing, distinct=True),
            last_nothing=Max("searched_at", filter=nothing),
            found=Count("id", filter=found),
            found_searchers=Count("person_key", filter=found, distinct=True),
            last_found=Max("searched_at", filter=found),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
        )
        .order_by()
    )
    return {row.pop("said"): TermCount(**row) for row in grouped}


def roll_up_terms(today: date) -> int:
    """The terms of each period's finished days, for ``today``'s figures (once a day)."""
    if TermRollup.objects.filter(for_day=today).exists():
        return 0
    rows = []
    for period in PERIODS:
        start = local_start(today - timedelta(period - 1))
        for term, counted in count_terms(start, local_start(today)).items():
            rows.append(
                TermRollup(for_day=today, period=period, term=term[:200], **counted.__dict__)
            )
    with transaction.atomic():
        TermRollup.objects.filter(for_day__lt=today).delete()
        TermRollup.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def count_readers(today: date) -> int:
    """Bring ``PostReaders`` up to the start of ``today``: for each post read since
    the last count, its readers before today. Returns how many posts were counted."""
    until = PostReaders.objects.aggregate(until=Max("until"))["until"]
    if until is not None and until >= today:
        return 0
    before = local_start(today)
    reads = PostRead.objects.filter(read_at__lt=before)
    if until is not None:
        touched = reads.filter(read_at__gte=local_start(until)).values("post_id")
        reads = reads.filter(post__in=touched)
    counts = reads.values_list("post_id").annotate(n=Count("pk")).order_by()
    rows = [PostReaders(post_id=post, readers=n, until=today) for post, n in counts]
    with transaction.atomic():
        PostReaders.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["post"],
            update_fields=["readers", "until"],
            batch_size=2000,
        )
        # What was not read since keeps its count, as of today too.
        PostReaders.objects.exclude(until=today).update(until=today)
    return len(rows)


def _earliest_day(today: date) -> date | None:
    firsts = [
        ActiveDay.objects.aggregate(first=Min("day"))["first"],
        *(
            timezone.localdate(moment)
            for moment in (
                Post.objects.aggregate(first=Min("created_at"))["first"],
                Reaction.objects.aggregate(first=Min("created_at"))["first"],
            )
            if moment is not None
        ),
    ]
    known = [day for day in firsts if day is not None]
    if not known:
        return None
    return max(min(known), today - timedelta(HISTORY_DAYS))


def _batches(days: list[date]) -> list[list[date]]:
    """Runs of consecutive days, at most BATCH_DAYS long."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][-1] == day - timedelta(1) and len(runs[-1]) < BATCH_DAYS:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _store(first: date, last: date, *, now: datetime) -> int:
    days = count_days(first, last)
    groups = count_group_days(first, last, now=now)
    all_days = [first + timedelta(n) for n in range((last - first).days + 1)]
    with transaction.atomic():
        DayRollup.objects.filter(day__range=(first, last)).delete()
        DayRollup.objects.bulk_create(
            [
                DayRollup(
                    day=day,
                    opened=_bytes(days.get(day, Day()).opened),
                    reacted=_bytes(days.get(day, Day()).reacted),
                    contributed=_bytes(days.get(day, Day()).contributed),
                    totals=days.get(day, Day()).totals,
                )
                for day in all_days
            ]
        )
        GroupDay.objects.filter(day__range=(first, last)).delete()
        GroupDay.objects.bulk_create(
            [
                GroupDay(
                    group_id=group,
                    day=day,
                    posts=counted.posts,
                    replies=counted.replies,
                    reactions=counted.reactions,
                    first_reply_seconds=counted.first_reply_seconds,
                    unanswered=counted.unanswered,
                )
                for (group, day), counted in groups.items()
            ],
            batch_size=2000,
        )
    return len(all_days)


def _bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "little")


def stored_day(row: DayRollup) -> Day:
    """A roll-up's day, as ``count_days`` gives it."""
    return Day(
        opened=int.from_bytes(bytes(row.opened), "little"),
        reacted=int.from_bytes(bytes(row.reacted), "little"),
        contributed=int.from_bytes(bytes(row.contributed), "little"),
        totals=row.totals,
    )
