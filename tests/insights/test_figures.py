"""The coach's figures, computed by insights.figures on a small organisation built
by hand, against the same figures computed here from the list of what happened
(plain Python over the events, no code of the app's): once with every day
counted from the raw tables, and again after beat rolled the finished days up.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from communities.models import Group, Post, PostRead, Reaction, Reply
from insights import actions, figures, rollups
from insights.models import ActiveDay, DayRollup, PageUse, SearchGap
from knowledge import actions as knowledge
from search.models import Search
from search.text import normalise
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # a Wednesday
NOON = time(12, 0)


def at(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    moment = datetime.combine(TODAY - timedelta(days_ago), time(hour, minute))
    return timezone.make_aware(moment)


NOW = at(0, 12)

# Who works here: (username, department, joined days ago, active account).
PEOPLE = [
    ("w1", "Wondzorg", 400, True),
    ("w2", "Wondzorg", 400, True),
    ("w3", "Wondzorg", 400, True),
    ("w4", "Wondzorg", 400, True),
    ("w5", "Wondzorg", 400, True),
    ("w6", "Wondzorg", 400, True),
    ("w7", "Wondzorg", 400, True),
    ("w8", "Wondzorg", 3, True),  # joined this week
    ("i1", "ICT", 400, True),
    ("i2", "ICT", 400, True),  # the coach
    ("i3", "ICT", 400, False),  # account closed
]
GROUPS = {
    "team": ["w1", "w2", "w3", "w4", "w5", "w6"],
    "small": ["w1", "w2", "i1"],
    "old": ["w1", "w2", "w3", "w4", "w5"],
    "secret": ["w7", "w8", "i1", "w1", "w2"],
}
OPENED = [("w1", 0), ("w2", 1), ("w3", 5), ("i1", 0), ("w4", 10), ("i2", 20), ("w1", 30)]


@dataclass(frozen=True)
class Wrote:
    key: str
    who: str
    group: str
    days_ago: int
    hour: int = 10
    kind: str = Post.Kind.UPDATE


POSTS = [
    Wrote("article", "w1", "team", 0, 9, Post.Kind.ARTICLE),
    Wrote("answered", "w2", "team", 3),
    Wrote("waited", "w6", "team", 4),
    Wrote("small", "i1", "small", 9),
    Wrote("old", "w3", "old", 40),
    Wrote("secret", "w7", "secret", 2, 10, Post.Kind.ANNOUNCEMENT),
]
# (who, on which post, days ago, hour, minute)
REPLIES = [("w3", "answered", 3, 11, 0), ("w4", "answered", 3, 15, 30), ("w5", "old", 39, 10, 0)]
REACTIONS = [
    ("w5", "article", 0, Reaction.Kind.LIKE),
    ("w5", "article", 0, Reaction.Kind.THANKS),
    ("w6", "small", 8, Reaction.Kind.LIKE),
]
READS = [("w2", "article"), ("w3", "article"), ("i1", "secret")]
PHOTOS = ["w1", "w2", "w3"]
COMPLETE = ["w1"]  # w1's profile has everything


@pytest.fixture
def org(db):
    people = {}
    for username, department, joined, active in PEOPLE:
        people[username] = PersonFactory(
            username=username,
            department=department,
            location="Utrecht",
            job_title="Verpleegkundige",
            is_active=active,
            is_coach=username == "i2",
            date_joined=at(joined),
        )
    for username in PHOTOS:
        people[username].photo = f"people/{username}.jpg"
        people[username].save()
    from people.models import Expertise, Profile

    topic = Expertise.objects.create(name="Wondzorg", slug="wondzorg")
    for username in COMPLETE:
        profile = Profile.objects.create(person=people[username], phone="0612345678", bio="Hoi")
        profile.expertise.add(topic)
    groups = {
        slug: GroupFactory(
            name=slug.title(),
            slug=slug,
            privacy=Group.Privacy.SECRET if slug == "secret" else Group.Privacy.OPEN,
            members=[people[m] for m in members],
        )
        for slug, members in GROUPS.items()
    }
    for username, days_ago in OPENED:
        ActiveDay.objects.create(person=people[username], day=TODAY - timedelta(days_ago))
    posts = {}
    # Oldest first: newer posts have higher ids, as in life.
    for wrote in sorted(POSTS, key=lambda wrote: (-wrote.days_ago, wrote.hour)):
        posts[wrote.key] = Post.objects.create(
            group=groups[wrote.group],
            author=people[wrote.who],
            kind=wrote.kind,
            title="Nieuws" if wrote.kind != Post.Kind.UPDATE else "",
            body=f"{wrote.key} body",
            created_at=at(wrote.days_ago, wrote.hour),
        )
    for who, key, days_ago, hour, minute in REPLIES:
        reply = Reply.objects.create(post=posts[key], author=people[who], body="Ja")
        Reply.objects.filter(pk=reply.pk).update(created_at=at(days_ago, hour, minute))
    for who, key, days_ago, kind in REACTIONS:
        reaction = Reaction.objects.create(post=posts[key], person=people[who], kind=kind)
        Reaction.objects.filter(pk=reaction.pk).update(created_at=at(days_ago, 11))
    for who, key in READS:
        read = PostRead.objects.create(post=posts[key], person=people[who])
        PostRead.objects.filter(pk=read.pk).update(read_at=at(0, 10, 30))
    return people, groups, posts


# The figures, worked out here from the lists above ------------------------------


def in_window(days_ago: int, period: int, previous: bool = False) -> bool:
    low, high = (period, 2 * period - 1) if previous else (0, period - 1)
    return low <= days_ago <= high


def expected(period: int, members: set[str], previous: bool = False, group: str = "") -> dict:
    """The funnel of ``members``; their posts, replies and reactions, or with ``group``
    those made in that group's feed."""
    accounts = {
        u
        for u, _d, joined, active in PEOPLE
        if active and u in members and (not previous or joined >= period)
    }
    opened = {u for u, d in OPENED if in_window(d, period, previous)}
    wrote = {p.who for p in POSTS if in_window(p.days_ago, period, previous)}
    wrote |= {who for who, _k, d, _h, _m in REPLIES if in_window(d, period, previous)}
    reacted = {who for who, _k, d, _kind in REACTIONS if in_window(d, period, previous)}
    if group:
        in_group = {p.key for p in POSTS if p.group == group}
        return {
            "accounts": len(accounts),
            "active": len(opened & accounts),
            "reacting": len(reacted & accounts),
            "contributing": len(wrote & accounts),
            "posts": sum(
                1 for p in POSTS if p.group == group and in_window(p.days_ago, period, previous)
            ),
            "replies": sum(
                1
                for _w, k, d, _h, _m in REPLIES
                if k in in_group and in_window(d, period, previous)
            ),
            "reactions": sum(
                1
                for _w, k, d, _kind in REACTIONS
                if k in in_group and in_window(d, period, previous)
            ),
        }
    return {
        "accounts": len(accounts),
        "active": len(opened & accounts),
        "reacting": len(reacted & accounts),
        "contributing": len(wrote & accounts),
        "posts": sum(
            1 for p in POSTS if p.who in members and in_window(p.days_ago, period, previous)
        ),
        "replies": sum(
            1 for who, _k, d, _h, _m in REPLIES if who in members and in_window(d, period, previous)
        ),
        "reactions": sum(
            1
            for who, _k, d, _kind in REACTIONS
            if who in members and in_window(d, period, previous)
        ),
    }


def everyone() -> set[str]:
    return {u for u, *_rest in PEOPLE}


def department(name: str) -> set[str]:
    return {u for u, d, *_rest in PEOPLE if d == name}


def funnel_of(found: figures.Funnel) -> dict:
    return {key: getattr(found, key) for key in expected(7, set())}


def roll_up() -> None:
    rollups.roll_up_days(now=NOW)
    assert DayRollup.objects.filter(day=TODAY - timedelta(1)).exists()
    assert not DayRollup.objects.filter(day=TODAY).exists()


@pytest.fixture(params=["raw tables", "rolled up"])
def days_from(request, org):
    if request.param == "rolled up":
        roll_up()
    return request.param


# Participation ------------------------------------------------------------------


@pytest.mark.parametrize("period", figures.PERIODS)
def test_the_organisations_funnel_matches_what_happened(org, days_from, period):
    found = figures.participation(figures.ORGANISATION, period, today=TODAY)

    assert funnel_of(found.current) == expected(period, everyone())
    assert funnel_of(found.previous) == expected(period, everyone(), previous=True)


def test_the_seven_day_funnel_in_plain_numbers(org, days_from):
    """The same figures as the test above, said once as a person would count them."""
    found = figures.participation(figures.ORGANISATION, 7, today=TODAY).current

    # Ten open accounts (i3 is closed); w1, w2, w3 and i1 opened Kring this week;
    # w5 reacted; w1, w2, w6 posted, w3 and w4 replied, w7 posted in the secret group.
    assert (found.accounts, found.active, found.reacting, found.contributing) == (10, 4, 1, 6)
    assert found.active_share == pytest.approx(0.4)
    assert found.reactions_per_person == pytest.approx(0.2)
    assert found.replies_per_person == pytest.approx(0.2)


def test_photos_and_complete_profiles_are_shares_of_the_accounts(org):
    found = figures.participation(figures.ORGANISATION, 28, today=TODAY).current

    assert found.with_photo == len(PHOTOS)
    assert found.photo_share == pytest.approx(len(PHOTOS) / 10)
    assert found.complete_profile == len(COMPLETE)
    assert figures.participation(figures.ORGANISATION, 28, today=TODAY).previous.with_photo is None


@pytest.mark.parametrize("period", [7, 28])
def test_a_departments_funnel_counts_its_own_people(org, days_from, period):
    scope = figures.Scope(figures.Scope.DEPARTMENT, "Wondzorg", "Wondzorg")

    found = figures.participation(scope, period, today=TODAY)

    assert funnel_of(found.current) == expected(period, department("Wondzorg"))
    assert funnel_of(found.previous) == expected(period, department("Wondzorg"), previous=True)


@pytest.mark.parametrize("slug", ["team", "old"])
def test_a_groups_funnel_counts_its_members_and_what_was_said_in_its_feed(org, days_from, slug):
    _people, groups, _posts = org
    scope = figures.Scope(figures.Scope.GROUP, str(groups[slug].pk), slug)

    for period in (7, 90):
        found = figures.participation(scope, period, today=TODAY)

        assert funnel_of(found.current) == expected(period, set(GROUPS[slug]), group=slug)
        assert funnel_of(found.previous) == expected(
            period, set(GROUPS[slug]), previous=True, group=slug
        )


def test_a_groups_weeks_count_the_posts_in_its_feed(org, days_from):
    _people, groups, _posts = org
    scope = figures.Scope(figures.Scope.GROUP, str(groups["team"].pk), "Team")

    weeks = figures.weekly(scope, today=TODAY)

    for week in weeks:
        days = {(TODAY - week.start).days - n for n in range(7)}
        assert week.posts == sum(1 for p in POSTS if p.group == "team" and p.days_ago in days)


def test_a_department_or_group_under_the_minimum_shows_no_figures(org):
    _people, groups, _posts = org
    coach = org[0]["i2"]

    ict = figures.scope_of(coach, "department:ICT")  # i1, i2 (i3 is closed)
    small = figures.scope_of(coach, f"group:{groups['small'].pk}")

    assert figures.too_small(ict) == figures.TooSmall(people=2, minimum=5)
    assert figures.too_small(small) == figures.TooSmall(people=3, minimum=5)
    assert figures.too_small(figures.scope_of(coach, "department:Wondzorg")) is None


def test_a_coach_cannot_pick_a_secret_group_they_are_not_in(org):
    people, groups, _posts = org

    assert figures.scope_of(people["i2"], f"group:{groups['secret'].pk}") is None
    assert figures.scope_of(people["w7"], f"group:{groups['secret'].pk}") is not None
    assert figures.scope_of(people["i2"], "department:Nowhere") is None


# Weeks ---------------------------------------------------------------------------


def test_weekly_active_people_and_posts_over_twelve_weeks(org, days_from):
    weeks = figures.weekly(figures.ORGANISATION, today=TODAY)

    monday = TODAY - timedelta(TODAY.weekday())
    assert [w.start for w in weeks] == [monday - timedelta(weeks=11 - n) for n in range(12)]
    active_people = {u for u, _d, _j, active in PEOPLE if active}
    for week in weeks:
        days = {(TODAY - week.start).days - n for n in range(7)}
        opened = {u for u, d in OPENED if d in days and u in active_people}
        assert week.active == len(opened), week.start
        assert week.posts == sum(1 for p in POSTS if p.days_ago in days), week.start


# Groups -------------------------------------------------------------------------


def test_groups_show_posts_quiet_first_replies_and_waiting_posts(org, days_from):
    people, groups, posts = org

    rows = {
        row.group.slug: row
        for row in figures.groups(people["i2"], figures.ORGANISATION, 7, now=NOW)
    }

    assert set(rows) == {"team", "small", "old"}  # not the secret group
    team = rows["team"]
    assert (team.members, team.posts, team.quiet) == (6, 3, False)
    # The answered post's first reply came after an hour; "waited" never got one.
    assert team.median_first_reply == timedelta(hours=1)
    assert team.unanswered == 1
    assert team.last_post_at == posts["article"].created_at
    assert rows["old"].quiet is True
    assert rows["old"].posts == 0
    small = rows["small"]
    assert small.too_small and small.posts is None and small.unanswered is None


@pytest.mark.parametrize("rolled_up", [False, True])
def test_the_median_first_reply_over_several_posts(org, rolled_up):
    people, groups, posts = org
    delays = []
    for n, hours in enumerate([2, 5, 30]):
        post = Post.objects.create(
            group=groups["team"], author=people["w1"], body=f"vraag {n}", created_at=at(6, 8)
        )
        reply = Reply.objects.create(post=post, author=people["w2"], body="antwoord")
        Reply.objects.filter(pk=reply.pk).update(created_at=at(6, 8) + timedelta(hours=hours))
        delays.append(hours * 3600)
    if rolled_up:
        roll_up()

    team = figures.groups(people["i2"], figures.ORGANISATION, 7, now=NOW)
    found = next(row for row in team if row.group.slug == "team")

    assert found.median_first_reply == timedelta(seconds=statistics.median([3600, *delays]))


# News ---------------------------------------------------------------------------


def test_news_shows_reach_among_the_groups_members_and_only_what_the_coach_may_see(org):
    people, groups, posts = org

    found = figures.news(people["i2"], figures.ORGANISATION, 7, today=TODAY)

    assert [(row.post, row.readers, row.audience) for row in found] == [(posts["article"], 2, 6)]
    assert found[0].reach == pytest.approx(2 / 6)
    as_member = figures.news(people["w7"], figures.ORGANISATION, 7, today=TODAY)
    assert posts["secret"] in [row.post for row in as_member]


def test_news_readers_are_the_roll_ups_count_and_the_reads_since(org):
    people, groups, posts = org
    roll_up()  # "until" today: the reads of today are not in it
    coach = people["i2"]
    assert [r.readers for r in figures.news(coach, figures.ORGANISATION, 7, today=TODAY)] == [2]

    rollups.count_readers(TODAY + timedelta(1))  # as the next night's roll-up would
    PostRead.objects.create(post=posts["article"], person=people["w4"])
    PostRead.objects.filter(person=people["w4"]).update(read_at=at(-1, 9))
    found = figures.news(coach, figures.ORGANISATION, 7, today=TODAY + timedelta(1))

    assert [(r.post, r.readers) for r in found] == [(posts["article"], 3)]


# Page use -----------------------------------------------------------------------


def test_page_use_counts_openings_per_page_and_what_nobody_opened(org):
    people, groups, _posts = org
    read = knowledge.create_page(people["w1"], title="Wondprotocol", body="Spoelen")
    unread = knowledge.create_page(people["w1"], title="Verlofregeling", body="Dagen")
    hidden = knowledge.create_page(
        people["w7"], title="Vertrouwelijk", body="Geheim", group=groups["secret"]
    )
    for place, days_ago, views in [
        ("home", 0, 5),
        ("home", 10, 3),
        (f"page_detail:{read.pk}", 1, 2),
        (f"page_detail:{hidden.pk}", 1, 9),
        ("group:team", 0, 4),
        ("group:old", 2, 1),
        ("person:w1", 0, 7),
    ]:
        PageUse.objects.create(place=place, day=TODAY - timedelta(days_ago), views=views)

    found = figures.page_use(people["i2"], 7, today=TODAY)

    menu = {row.label: row.views for row in found.menu}
    assert menu["Home"] == 5
    assert menu["Documents"] == 0
    assert [(row.label, row.views) for row in found.pages] == [("Wondprotocol", 2)]
    assert [page.title for page in found.unopened_pages] == ["Verlofregeling"]
    assert found.unopened_pages_count == 1
    places = {row.label: row.views for row in found.places}
    assert places["Group feeds"] == 5
    # Profiles are counted together: no one's page is ranked.
    assert places["Profiles"] == 7
    assert "Vertrouwelijk" not in str(found)
    assert unread in found.unopened_pages


# Search gaps --------------------------------------------------------------------


def search(term: str, who: str, results: int, days_ago: int, opened: str = "") -> Search:
    return Search.objects.create(
        term=normalise(term),  # as search.actions logs it
        person_key=who,
        results=results,
        searched_at=at(days_ago, 14),
        opened_kind=opened,
        opened_id=1 if opened else None,
        opened_position=1 if opened else None,
        opened_at=at(days_ago, 14, 1) if opened else None,
    )


def test_terms_that_found_nothing_apart_from_terms_nobody_opened(org):
    for who, days_ago in [("a", 1), ("a", 2), ("b", 3), ("c", 20)]:
        search("Verlof", who, 0, days_ago)
    search("rooster", "a", 4, 1)
    search("Rooster", "b", 4, 2)
    search("wondzorg", "a", 5, 1, opened="page")
    search("wondzorg", "b", 5, 2)

    found = figures.search_gaps(7, today=TODAY)

    assert [(t.term, t.searches, t.searchers) for t in found.found_nothing] == [("verlof", 3, 2)]
    assert [(t.term, t.searches, t.searchers) for t in found.nobody_opened] == [("rooster", 2, 2)]


@pytest.mark.parametrize("period", [7, 28])
def test_terms_are_the_same_from_the_roll_up_with_todays_searches_added(org, period):
    for term, who, results, days_ago, opened in [
        ("verlof", "a", 0, 3, ""),
        ("verlof", "b", 0, 10, ""),
        ("verlof", "a", 0, 0, ""),  # again today: no new searcher
        ("verlof", "c", 0, 0, ""),  # new today
        ("rooster", "a", 3, 2, ""),
        ("rooster", "d", 3, 0, ""),
        ("wondzorg", "a", 5, 1, ""),
        ("wondzorg", "b", 5, 0, "page"),  # opened today: no longer "nobody opened"
        ("parkeren", "e", 0, 0, ""),  # only today
        ("Parkeren", "e", 2, 0, ""),
    ]:
        search(term, who, results, days_ago, opened)
    from_log = figures.search_gaps(period, today=TODAY)

    assert rollups.roll_up_terms(TODAY) > 0
    rolled = figures.search_gaps(period, today=TODAY)

    assert rolled.found_nothing == from_log.found_nothing
    assert rolled.nobody_opened == from_log.nobody_opened
    verlof = next(t for t in rolled.found_nothing if t.term == "verlof")
    assert (verlof.searches, verlof.searchers) == ((4, 3) if period == 28 else (3, 2))
    assert [t.term for t in rolled.nobody_opened] == ["rooster", "parkeren"]


def test_a_term_becomes_a_page_to_write_at_the_threshold_and_is_done_when_a_page_is_opened(org):
    people, _groups, _posts = org
    actions.set_threshold(people["i2"], searches=3, searchers=2, days=30)
    search("parkeren", "a", 0, 1)
    search("parkeren", "a", 0, 2)
    actions.update_search_gaps(now=NOW)
    assert not SearchGap.objects.exists()  # two searches by one person: not yet

    search("Parkeren", "b", 0, 0)
    assert actions.update_search_gaps(now=NOW) == (1, 0)
    assert actions.update_search_gaps(now=NOW) == (0, 0)  # once
    gap = SearchGap.objects.get()
    assert (gap.term, gap.searches, gap.searchers, gap.closed_at) == ("parkeren", 3, 2, None)

    later = NOW + timedelta(hours=3)
    Search.objects.create(term="parkeren", person_key="c", results=2, searched_at=later)
    assert actions.update_search_gaps(now=later) == (0, 0)  # found, but nothing opened
    search_opened = search("parkeren", "d", 1, 0, opened="page")
    Search.objects.filter(pk=search_opened.pk).update(searched_at=later)
    assert actions.update_search_gaps(now=later) == (0, 1)
    assert SearchGap.objects.get().closed_at == later
    assert [g.term for g in figures.search_gaps(7, today=TODAY).gaps] == ["parkeren"]


def test_only_a_coach_sets_the_threshold(org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.set_threshold(org[0]["w1"], searches=1, searchers=1, days=1)


# The roll-ups -------------------------------------------------------------------


def test_rolling_up_twice_stores_the_same_days(org):
    roll_up()
    first = {row.day: (bytes(row.opened), row.totals) for row in DayRollup.objects.all()}
    rollups.roll_up_days(now=NOW)
    again = {row.day: (bytes(row.opened), row.totals) for row in DayRollup.objects.all()}

    assert first == again
    assert first[TODAY - timedelta(1)][0] == rollups.bitmap([org[0]["w2"].pk])


def test_todays_activity_counts_before_any_roll_up_of_today(org):
    people, _groups, _posts = org
    roll_up()
    before = figures.participation(figures.ORGANISATION, 7, today=TODAY).current.active
    ActiveDay.objects.create(person=people["w6"], day=TODAY)

    after = figures.participation(figures.ORGANISATION, 7, today=TODAY).current.active

    assert after == before + 1


def test_a_day_rolled_up_anew_is_counted_anew(org):
    """The figures keep what they decoded and summed of rolled-up days by the days'
    versions: once beat rolls a day up again, its new figures are the ones shown."""
    people, groups, _posts = org
    team = groups["team"].pk

    def shown() -> tuple[figures.Funnel, int, int]:
        with figures.one_view():
            funnel = figures.participation(figures.ORGANISATION, 7, today=TODAY).current
            posts = figures.group_figures([team], figures.windows(7, TODAY)[0], now=NOW)
            menu = {
                row.label: row.views for row in figures.page_use(people["i2"], 7, today=TODAY).menu
            }
        return funnel, posts[team].posts, menu["People"]

    roll_up()
    yesterday = TODAY - timedelta(1)
    PageUse.objects.create(place="directory", day=yesterday, views=4)
    before, team_before, directory_before = shown()
    # What happened yesterday and was not yet in its roll-up.
    ActiveDay.objects.create(person=people["w6"], day=yesterday)
    Post.objects.create(
        group=groups["team"], author=people["w6"], body="laat", created_at=at(1, 23)
    )
    rollups.roll_up_days(now=NOW)  # beat's next run does yesterday again

    after, team_after, directory_after = shown()

    assert after.active == before.active + 1
    assert after.posts == before.posts + 1
    assert team_after == team_before + 1
    # The page use of a rolled-up day counted once rolled up anew: 4 openings.
    assert directory_before == directory_after == 4


def test_one_view_counts_todays_raw_tables_once(org):
    """The funnel, the weeks and the groups all need today from the raw tables: within
    one view they count it once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people, _groups, _posts = org
    roll_up()

    def asked_today(shared: bool) -> int:
        with CaptureQueriesContext(connection) as captured:
            if shared:
                with figures.one_view():
                    figures.participation(figures.ORGANISATION, 28, today=TODAY)
                    figures.weekly(figures.ORGANISATION, today=TODAY)
            else:
                figures.participation(figures.ORGANISATION, 28, today=TODAY)
                figures.weekly(figures.ORGANISATION, today=TODAY)
        return sum('FROM "insights_activeday"' in q["sql"] for q in captured.captured_queries)

    # Today's day is counted by both outside a view, by the first within one.
    assert asked_today(shared=True) == asked_today(shared=False) - 1
