"""How the benchmark organisation used Kring over its two years, for the coach's
figures: an add-on to ``bench.dataset`` that fills the tables use leaves behind
and then rolls the days up, as beat would have.

- Active days (``insights_activeday``): each person opens Kring on a share of
  working days of their own (a few nearly every day, many now and then, some
  hardly ever), less at weekends, more as Kring settled in over the two years;
  people who left stop on the day they left. Whoever posted, replied or
  reacted on a day was active that day too.
- Page use (``insights_pageuse``): per day the menu's routes (the start page
  most; the knowledge, documents and agenda pages only since they arrived,
  in the last months), the search page, the notices, and every group's feed
  ("group:<slug>") as its members open it. The dataset has no knowledge
  pages, so no "page_detail:<pk>".
- Searches (``search_log``), the last ``SEARCH_LOG_DAYS`` (180) days, as many
  as a third of the day's active people search: terms from a vocabulary
  (topics, #tags, names, words for what people look for) with a Zipf-like
  spread, so a few are searched a lot and most rarely; some find nothing
  (words the organisation has no page for, and typos), some find things
  nobody opens; the searcher is a pseudonymous key per person.
- Reads (``communities_postread``) of every article and announcement, by a
  share of its group's members (of everyone, for organisation news).

Then ``insights.rollups.roll_up_days`` (two years at once: its time is in the
marker) and ``insights.actions.update_search_gaps``, as the beat task runs
them. The tables are filled when the marker does not say they are: a dataset
built before this add-on is extended, not rebuilt.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

#: Bump when what is generated here changes: the tables are filled again.
VERSION = 1
SEED = 2027
HISTORY_DAYS = 730
SEARCH_DAYS = 180
#: Each route of the menu (and other whole pages), as views per active person and
#: day, and since how many days ago it exists (None: all along).
PLACES = {
    "home": (2.2, None),
    "group_list": (0.12, None),
    "directory": (0.1, None),
    "search": (0.25, None),
    "notices": (0.15, None),
    "profile_edit": (0.01, None),
    "page_list": (0.05, 120),
    "document_list": (0.04, 120),
    "event_list": (0.03, 60),
}
#: What people look for that the organisation has no page or post on.
NOT_FOUND = [
    "thuiswerken", "declaratie", "loonstrook", "verlof aanvragen", "parkeervergunning",
    "bedrijfsarts", "ziekmelden", "reiskosten", "cao", "pensioen", "ov-kaart",
    "functioneringsgesprek", "vertrouwenspersoon", "klokkenluidersregeling", "jaargesprek",
    "bhv-certificaat", "ouderschapsverlof", "bijscholing budget", "werkkostenregeling",
    "fietsplan", "laptop aanvragen", "wachtwoord vergeten", "printer", "vpn", "outlook",
    "salarisschaal", "onregelmatigheidstoeslag", "zorgverzekering", "meerkeuzebudget",
    "nachtdienst vergoeding",
]  # fmt: skip
TYPOS = ["wondzrog", "rooser", "medicatei", "decubitis", "palliatif", "dementei", "scholling"]


def person_key(person_id: int) -> str:
    """A pseudonymous searcher: the same for one person, as search.queries makes it."""
    return hashlib.sha256(f"kring-bench-searcher-{person_id}".encode()).hexdigest()[:32]


def ensure(marker: dict, log) -> dict:
    """The marker with its ``usage``, after filling the tables if it has none (or an
    older one). Django is set up for the scale database."""
    found = marker.get("usage")
    if isinstance(found, dict) and found.get("version") == VERSION:
        return marker
    from bench import dataset

    started = time.perf_counter()
    usage = Usage(random.Random(SEED))  # noqa: S311 - not for secrets
    counts = usage.load(log)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    marker = {**marker, "usage": {"version": VERSION, **counts}}
    dataset.write_marker(marker)
    log(f"usage ready in {counts['seconds']} s: {counts}")
    return marker


class Usage:
    def __init__(self, rng: random.Random) -> None:
        from django.utils import timezone

        self.rng = rng
        self.now = timezone.now().replace(microsecond=0)
        self.zone = timezone.get_current_timezone()
        self.today = timezone.localdate(self.now)
        self.days = [self.today - timedelta(n) for n in range(HISTORY_DAYS - 1, -1, -1)]
        self.counts: dict = {}

    def load(self, log) -> dict:
        import psycopg

        from bench.dataset import SCALE_DATABASE_URL

        with psycopg.connect(SCALE_DATABASE_URL) as conn:
            conn.execute("SET synchronous_commit = off")
            # A half-finished earlier run leaves rows: start again from none.
            conn.execute(
                "TRUNCATE insights_activeday, insights_pageuse, insights_dayrollup, "
                "insights_groupday, insights_searchgap, search_log, communities_postread"
            )
            self.read_organisation(conn)
            for title, step in [
                ("active days", self.active_days),
                ("page use", self.page_use),
                ("searches", self.searches),
                ("reads", self.reads),
            ]:
                started = time.perf_counter()
                step(conn)
                log(f"{title}: {time.perf_counter() - started:.1f} s")
            conn.commit()
        with psycopg.connect(SCALE_DATABASE_URL, autocommit=True) as conn:
            for table in ("insights_activeday", "insights_pageuse", "search_log"):
                conn.execute(f"VACUUM (ANALYZE) {table}")
            conn.execute("VACUUM (ANALYZE) communities_postread")
        self.roll_up(log)
        return self.counts

    def read_organisation(self, conn) -> None:
        self.people = conn.execute(
            "SELECT id, is_active FROM communities_person ORDER BY id"
        ).fetchall()
        self.members: dict[int, list[int]] = defaultdict(list)
        for group, person in conn.execute(
            "SELECT group_id, person_id FROM communities_membership ORDER BY id"
        ):
            self.members[group].append(person)
        self.groups = conn.execute(
            "SELECT id, slug, is_news FROM communities_group ORDER BY id"
        ).fetchall()
        self.tags = [name for (name,) in conn.execute("SELECT name FROM communities_tag")]

    # Active days ------------------------------------------------------------------

    def active_days(self, conn) -> None:
        """Each person's own habit, growing over the two years; and every day on
        which they posted, replied or reacted."""
        from bench.dataset import copy_rows

        rng = self.rng
        n = len(self.days)
        ramp = [0.35 + 0.65 * (i / (n - 1)) ** 0.7 for i in range(n)]
        weekday = [1.0 if day.weekday() < 5 else 0.3 for day in self.days]
        # Today is under way: about half of today's visitors have come by.
        weekday[-1] *= 0.5
        chance = [r * w for r, w in zip(ramp, weekday, strict=True)]
        labels = [day.isoformat() for day in self.days]
        self.habit: dict[int, float] = {}
        self.active_per_day = [0] * n

        def rows() -> Iterator[tuple]:
            random_ = rng.random
            for pk, is_active in self.people:
                habit = rng.betavariate(1.3, 1.6)
                self.habit[pk] = habit if is_active else 0.0
                last = n if is_active else rng.randrange(n)
                for i in range(last):
                    if random_() < habit * chance[i]:
                        self.active_per_day[i] += 1
                        yield pk, labels[i]

        copy_rows(conn, "insights_activeday", "person_id day", rows())
        zone = str(self.zone)
        for table, person in (
            ("communities_post", "author_id"),
            ("communities_reply", "author_id"),
            ("communities_reaction", "person_id"),
        ):
            conn.execute(
                f"INSERT INTO insights_activeday (person_id, day) "  # noqa: S608 - our names
                f"SELECT DISTINCT {person}, (created_at AT TIME ZONE %s)::date FROM {table} "
                "ON CONFLICT DO NOTHING",
                [zone],
            )
        self.counts["active_days"] = conn.execute(
            "SELECT count(*) FROM insights_activeday"
        ).fetchone()[0]

    # Page use -----------------------------------------------------------------------

    def page_use(self, conn) -> None:
        """The menu's pages as the day's active people open them; each group's feed
        as its members do."""
        from bench.dataset import copy_rows

        rng = self.rng
        active_people = sum(1 for _pk, is_active in self.people if is_active)
        rows = []
        for i, day in enumerate(self.days):
            active = self.active_per_day[i]
            since_launch = HISTORY_DAYS - 1 - i
            label = day.isoformat()
            for place, (rate, since) in PLACES.items():
                if since is not None and since_launch >= since:
                    continue
                views = round(active * rate * rng.uniform(0.8, 1.2))
                if views:
                    rows.append((label, place, views))
            share = active / max(active_people, 1)
            for group, slug, is_news in self.groups:
                size = active_people if is_news else len(self.members[group])
                rate = 0.3 if is_news else 0.15
                views = round(size * share * rate * rng.uniform(0.3, 1.7))
                if views:
                    rows.append((label, f"group:{slug}", views))
        copy_rows(conn, "insights_pageuse", "day place views", rows)
        self.counts["page_use"] = len(rows)

    # Searches ------------------------------------------------------------------------

    def searches(self, conn) -> None:
        """A third of the day's active people search, for terms spread like Zipf's law;
        the terms that find nothing are among the popular ones too."""
        from bench.dataset import FIRST_NAMES, TOPICS, copy_rows

        rng = self.rng
        found = list(dict.fromkeys([*TOPICS, *self.tags[:1500], *(n.lower() for n in FIRST_NAMES)]))
        rng.shuffle(found)
        missing = [*NOT_FOUND, *TYPOS]
        rng.shuffle(missing)
        # Every tenth term of the vocabulary finds nothing, from the top down.
        vocabulary: list[str] = []
        for index, term in enumerate(found):
            if index % 10 == 3 and missing:
                vocabulary.append(missing.pop())
            vocabulary.append(term)
        vocabulary += missing
        nothing = set(NOT_FOUND) | set(TYPOS)
        weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocabulary))))
        results = {
            term: 0 if term in nothing else int(10 ** rng.uniform(0, 3.7)) for term in vocabulary
        }
        # Some terms find things nobody opens (titles or words to fix).
        opens = {term: 0.0 if rng.random() < 0.15 else rng.uniform(0.2, 0.8) for term in vocabulary}
        searchers = [pk for pk, habit in self.habit.items() if habit > 0]
        searcher_weights = list(itertools.accumulate(self.habit[pk] for pk in searchers))
        keys = {pk: person_key(pk) for pk in searchers}
        kinds = ["post", "post", "post", "person", "group"]
        zone = self.zone
        end = self.now.timestamp()

        def rows() -> Iterator[tuple]:
            for i in range(len(self.days) - SEARCH_DAYS, len(self.days)):
                day = self.days[i]
                opening = datetime(day.year, day.month, day.day, 7, tzinfo=zone).timestamp()
                wanted = round(self.active_per_day[i] * rng.uniform(0.25, 0.4))
                terms = rng.choices(vocabulary, cum_weights=weights, k=wanted)
                people = rng.choices(searchers, cum_weights=searcher_weights, k=wanted)
                for term, person in zip(terms, people, strict=True):
                    at = opening + rng.uniform(0, 15 * 3600)
                    if at > end:
                        continue
                    opened = results[term] and rng.random() < opens[term]
                    yield (
                        term,
                        keys[person],
                        results[term],
                        stamp(at),
                        rng.choice(kinds) if opened else "",
                        rng.randint(1, 1_000_000) if opened else None,
                        min(int(rng.expovariate(0.5)) + 1, 20) if opened else None,
                        stamp(min(at + rng.uniform(2, 60), end)) if opened else None,
                    )

        copy_rows(
            conn,
            "search_log",
            "term person_key results searched_at opened_kind opened_id opened_position opened_at",
            rows(),
        )
        self.counts["searches"] = conn.execute("SELECT count(*) FROM search_log").fetchone()[0]

    # Reads ---------------------------------------------------------------------------

    def reads(self, conn) -> None:
        """Each article and announcement read by a share of its audience, most in the
        first days after it was posted."""
        from bench.dataset import copy_rows

        rng = self.rng
        everyone = [pk for pk, habit in self.habit.items() if habit > 0]
        news = {group for group, _slug, is_news in self.groups if is_news}
        posts = conn.execute(
            "SELECT id, group_id, author_id, extract(epoch FROM created_at) FROM communities_post "
            "WHERE kind IN ('article', 'announcement') AND deleted_at IS NULL ORDER BY id"
        ).fetchall()
        end = self.now.timestamp()

        def rows() -> Iterator[tuple]:
            for pk, group, author, posted in posts:
                audience = everyone if group in news else self.members[group]
                reach = rng.betavariate(3, 4) if group in news else rng.betavariate(1.5, 6)
                for reader in rng.sample(audience, round(len(audience) * reach)):
                    if reader != author:
                        at = min(float(posted) + rng.expovariate(1 / 86_400), end)
                        yield pk, reader, stamp(at)

        copy_rows(conn, "communities_postread", "post_id person_id read_at", rows())
        self.counts["reads"] = conn.execute("SELECT count(*) FROM communities_postread").fetchone()[
            0
        ]
        self.counts["read_posts"] = len(posts)

    # The roll-up ----------------------------------------------------------------------

    def roll_up(self, log) -> None:
        """The roll-ups beat would have made: two years at once (the first run after
        an upgrade), then one day alone, then the search gaps."""
        from django.db import connection
        from django.utils import timezone

        from insights import actions, rollups

        started = time.perf_counter()
        self.counts["rolled_days"] = rollups.roll_up_days()
        self.counts["roll_up_two_years_s"] = round(time.perf_counter() - started, 1)
        log(f"roll-up of {self.counts['rolled_days']} days: {self.counts['roll_up_two_years_s']} s")
        yesterday = timezone.localdate() - timedelta(1)
        started = time.perf_counter()
        rollups._store(yesterday, yesterday, now=timezone.now())
        self.counts["roll_up_one_day_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        rollups.roll_up_days()  # as beat's next hourly run: the last three days again
        self.counts["roll_up_beat_run_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        opened, _closed = actions.update_search_gaps()
        self.counts["search_gaps"] = opened
        self.counts["search_gaps_s"] = round(time.perf_counter() - started, 2)
        log(
            f"one day's roll-up {self.counts['roll_up_one_day_s']} s, beat's next run "
            f"{self.counts['roll_up_beat_run_s']} s, search gaps {opened} "
            f"in {self.counts['search_gaps_s']} s"
        )
        connection.close()


def stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()
