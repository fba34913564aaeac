"""What the demo's coach (Lotte) sees: twelve weeks of people opening Kring, the
pages and menu items they opened (the agenda, new, by nobody yet; one
knowledge page by nobody), the searches of the last weeks (some finding
nothing: one often enough to be a page to write), and a nudge sent some 20
days ago to the people without a profile photo, with its holdout and who
added a photo since. Then the roll-up beat makes of finished days.

Searches are logged as the search page logs them (``search.actions``, with the
clock turned back and the real number of results); the rest is written
through the models, as the middleware and the nudge's sending leave it."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from communities import actions as core_actions
from communities.models import Group, Person, Post, Reaction, Reply
from insights import actions as insights_actions
from insights import rollups
from insights.models import ActiveDay, Nudge, NudgeRecipient, PageUse
from knowledge.models import Page
from search import actions as search_actions
from search import queries as search_queries
from search.models import Search

Clock = Callable[[datetime], AbstractContextManager[object]]

WEEKS = 12
COACH = "lotte"
#: Menu items (route names) and how often each active person opens them a day;
#: the agenda is new and nobody has opened it yet.
MENU_USE = {
    "home": 2.0,
    "group_list": 0.3,
    "directory": 0.2,
    "page_list": 0.15,
    "document_list": 0.1,
    "search": 0.3,
}
#: The knowledge page nobody opened (who reads how to set up two-step verification?).
UNOPENED_PAGE = "Tweestapsverificatie instellen"
#: (term, searches, different people, days back it spreads over, open a hit?)
#: Terms that find nothing: the first passes the coach's threshold (20 searches by
#: 5 people in 30 days) and becomes a page to write; the others do not yet.
SEARCHES = [
    ("loonstrook", 26, 9, 28, False),
    ("bedrijfsarts", 9, 5, 25, False),
    ("ziekmelden", 7, 4, 20, False),
    ("fietsplan", 4, 3, 30, False),
    ("reiskosten", 3, 2, 14, False),
    # Terms that find things, most opened; "rooster" finds posts nobody opens.
    ("wondzorg", 14, 6, 40, True),
    ("thuiswerken", 11, 7, 40, True),
    ("protocol", 9, 6, 40, True),
    ("rooster", 8, 5, 30, False),
    ("insuline", 5, 3, 20, True),
    ("recept", 5, 4, 30, True),
]
NOT_FOUND = [term for term, *_rest in SEARCHES[:5]]
# The nudge: to the people with no profile photo, some 20 days ago.
NUDGE_DAYS_AGO = 20
#: People who had no photo then and added one within the 14 days after.
ADDED_A_PHOTO = ["fleur", "milan", "finn"]
#: Kept back from the nudge (its holdout), none of them acted.
HOLDOUT = ["noah"]
NUDGE_SUBJECT = "Laat je collega's zien wie je bent"
NUDGE_MESSAGE = (
    "Hoi {name}, je profiel heeft nog geen foto. Met een foto herkennen collega's je "
    "sneller in de groepen en in het overzicht van mensen. Voeg er een toe via je profiel!"
)


def load(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    """The coach's history, each part unless the demo has it already, then the roll-up."""
    people = {p.username: p for p in Person.objects.filter(pk__in=[p.pk for p in people.values()])}
    rng = random.Random(2026)  # noqa: S311 - not for secrets
    today = timezone.localdate(now)
    first = today - timedelta(weeks=WEEKS)
    if not ActiveDay.objects.filter(day__lt=today).exists():
        _active_days(rng, people, first, today)
    if not PageUse.objects.exists():
        _page_use(rng, first, today)
    if not Search.objects.exists():
        _searches(rng, people, now, clock)
    if not Nudge.objects.exists():
        _nudge(people, now, clock)
        _reads(rng, people)
    rollups.roll_up_days(now=now)
    insights_actions.update_search_gaps(now=now)


def _reads(rng: random.Random, people: dict[str, Person]) -> None:
    """Articles and announcements opened by some of those who may read them, so the
    news figure has a reach: most people open organisation news, fewer a blog."""
    news = Post.objects.filter(
        kind__in=[Post.Kind.ARTICLE, Post.Kind.ANNOUNCEMENT], deleted_at=None
    ).select_related("group")
    for post in news:
        share = 0.7 if post.group.is_news else 0.35
        for person in people.values():
            if (
                person.pk != post.author_id
                and rng.random() < share
                and Post.objects.visible_to(person).filter(pk=post.pk).exists()
            ):
                core_actions.record_reads(person, [post])


def _active_days(rng: random.Random, people: dict[str, Person], first: date, today: date) -> None:
    """Each person opens Kring on a share of working days of their own, a little more
    as the weeks go by; and on every day they posted, replied or reacted."""
    rows = set()
    span = (today - first).days
    for person in people.values():
        habit = rng.uniform(0.15, 0.95)
        for n in range(span + 1):
            day = first + timedelta(n)
            chance = habit * (0.55 + 0.45 * n / span) * (1 if day.weekday() < 5 else 0.25)
            if rng.random() < chance:
                rows.add((person.pk, day))
    since = rollups.local_start(first)
    for model, who in ((Post, "author_id"), (Reply, "author_id"), (Reaction, "person_id")):
        for person, moment in model.objects.filter(created_at__gte=since).values_list(
            who, "created_at"
        ):
            rows.add((person, timezone.localdate(moment)))
    ActiveDay.objects.bulk_create(
        [ActiveDay(person_id=person, day=day) for person, day in sorted(rows)],
        ignore_conflicts=True,
    )


def _page_use(rng: random.Random, first: date, today: date) -> None:
    """Per day the menu's pages, the groups' feeds, a few profiles and the knowledge
    pages (but one), as many times as the day's active people open them."""
    active = dict(
        ActiveDay.objects.filter(day__range=(first, today))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    groups = list(Group.objects.values_list("slug", flat=True))
    pages = list(Page.objects.exclude(title=UNOPENED_PAGE).values_list("pk", flat=True))
    profiles = list(Person.objects.filter(is_active=True).values_list("username", flat=True))
    rows = []
    for day, people in sorted(active.items()):
        counted = {
            place: round(people * rate * rng.uniform(0.7, 1.3)) for place, rate in MENU_USE.items()
        }
        for slug in groups:
            counted[f"group:{slug}"] = round(people * rng.uniform(0.1, 0.6))
        for pk in pages:
            counted[f"page_detail:{pk}"] = rng.choice((0, 0, 1, 1, 2, 3))
        for username in rng.sample(profiles, min(len(profiles), 4)):
            counted[f"person:{username}"] = rng.randint(1, 3)
        rows += [PageUse(day=day, place=place, views=n) for place, n in counted.items() if n]
    PageUse.objects.bulk_create(rows)


def _searches(rng: random.Random, people: dict[str, Person], now: datetime, clock: Clock) -> None:
    """Each term searched as often as SEARCHES says, by that many people, on working
    hours of the days it spreads over; the hits it found, one of them opened."""
    everyone = [p for p in people.values() if p.is_active]
    found: dict[tuple[str, int], search_queries.Results] = {}
    planned = []
    for term, searches, searchers, days, open_one in SEARCHES:
        who = rng.sample(everyone, searchers)
        for n in range(searches):
            person = who[n % searchers]  # every searcher at least once
            moment = now - timedelta(days=rng.uniform(0.2, days))
            moment = moment.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
            planned.append((min(moment, now - timedelta(minutes=5)), term, person, open_one))
    for moment, term, person, open_one in sorted(planned, key=lambda row: row[0]):
        key = (term, person.pk)
        if key not in found:
            found[key] = search_queries.search(person, term, search_queries.Filters())
        results = found[key]
        with clock(moment):
            logged = search_actions.record_search(person, term, results.total)
        hits = [hit for section in results.sections for hit in section.hits]
        if logged is not None and open_one and hits and rng.random() < 0.8:
            hit = hits[0]
            with clock(moment + timedelta(seconds=rng.randint(4, 40))):
                search_actions.record_open(logged.pk, person, hit.kind, hit.object.pk, hit.position)


def _nudge(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    """Lotte's nudge to the people without a profile photo, 20 days ago: sent to all
    but the holdout; three added a photo within the 14 days that count."""
    coach = people[COACH]
    sent = now - timedelta(days=NUDGE_DAYS_AGO, hours=3)
    without_photo = [p for p in people.values() if p.is_active and not p.photo]
    segment = sorted(
        {*without_photo, *(people[name] for name in ADDED_A_PHOTO)}, key=lambda p: p.username
    )
    holdout = {people[name].pk for name in HOLDOUT}
    with clock(sent):
        nudge = Nudge.objects.create(
            coach=coach,
            segment=Nudge.Segment.NO_PHOTO,
            subject=NUDGE_SUBJECT,
            message=NUDGE_MESSAGE,
            holdout_percent=10,
            total=len([p for p in segment if p.pk not in holdout]),
        )
    acted = {people[name].pk: days for name, days in zip(ADDED_A_PHOTO, (1, 3, 9), strict=True)}
    recipients = []
    for n, person in enumerate(segment):
        at = sent + timedelta(seconds=5 * (n + 1))
        kept_back = person.pk in holdout
        recipients.append(
            NudgeRecipient(
                nudge=nudge,
                person=person,
                holdout=kept_back,
                sent_at=None if kept_back else at,
                emailed_at=None if kept_back else at + timedelta(seconds=20),
                acted_at=sent + timedelta(days=acted[person.pk], hours=2)
                if person.pk in acted
                else None,
            )
        )
    NudgeRecipient.objects.bulk_create(recipients)
    Nudge.objects.filter(pk=nudge.pk).update(
        status=Nudge.Status.SENT, done=nudge.total, finished_at=sent + timedelta(minutes=2)
    )
