"""Search at scale: server time of a search and of the suggestions, on PostgreSQL
at a million posts and on SQLite at 100,000.

    python -m bench.search             # both, each in a process of its own
    python -m bench.search postgres    # one of them
    python -m bench.search sqlite

Calls ``search.queries.search`` and ``search.queries.suggest`` in the process,
as the views do (the time around the call: the server's work, without the
network, the template or the search log), for a few people with the median
number of memberships (``BENCH_SEARCH_VIEWERS``, 5), each case
``BENCH_SEARCH_REPEAT`` times (20, spread over the people) after two rounds of
warming up. The cases run in rounds, one after another, so a burst of load from
another process spreads over all of them rather than spoiling one. One more
round per person records the queries: how much of the time was SQL (the rest is
Python: loading the candidates, highlighting the hits).

The terms come from the dataset's vocabulary (``bench.dataset``): ``rare``, the
least used #tag made of words found nowhere but in tags, typed as written
(``ergo-training`` is the words ``ergo`` and ``training``, both needed: about 60
entries at a million); ``uncommon``, a word of one article title (about 1,700
posts at a million: just over the candidates, and far apart in time);
``common``, "nieuwe", in nine of the forty sentences (over a quarter of all
posts); ``zero``, a word found nowhere; ``words`` and ``phrase``, two words
that come together, unquoted and "quoted"; and ``prefix``, two letters as typed
into the box ("wo": woensdag, wonden, Woerden, Wouter …). Each by relevance and
newest first, on the page of all kinds and on the posts section's page. Every
figure comes with the matches the first person was shown (``1000+``: more than
the candidates) and the matches in the whole index, which tell rare from
common. The suggestions are timed for the same terms.

PostgreSQL: the organisation of ``bench.dataset`` (built first if missing).
Its search index is filled here if it is empty, in SQL: one ``INSERT … SELECT``
per kind, writing what the indexer would (a post's text is its HTML without
tags, as ``parsing.plain_text`` reads it; deleted posts and inactive people
left out), with the GIN index dropped first and built again after, as ``CREATE
INDEX`` builds it far faster than a million inserts into it. That is this
benchmark's shortcut for the indexer: ``manage.py rebuild_search_index`` is the
real path, Python, and too slow for a million posts in a benchmark. The traps
the design avoids are timed too, on the bare index (``traps``; a statement
timeout of 10 s, each query three times): the newest matches of a zero-hit or
rare term by ``ORDER BY created_at DESC LIMIT 20``, which lets the planner walk
the date index through the whole table, against the unordered question the
design asks first; ranking every match of the common term against ranking the
newest ``SEARCH_CANDIDATES``; and the newest candidates of the common and the
uncommon term walking the date index (bitmap scans off, as the backend once asked)
against the planner's own choice.

SQLite: a file of its own (``BENCH_SEARCH_SQLITE``) with the migrations applied
and a smaller organisation (1,000 people, 30 groups, 100,000 posts from the
same vocabulary, seeded), written in bulk and indexed by the real indexer
(``search.indexing.rebuild``); no ANALYZE, as Kring never runs one. Reused
while its version and number of posts match.

Prints one JSON line. Everything is bounded and talks only to 127.0.0.1 and
local files; nothing here uses Redis.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import dataset

ROOT = Path(__file__).resolve().parent.parent
VIEWERS = int(os.environ.get("BENCH_SEARCH_VIEWERS", "5"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "20"))
WARMUP = 2
CHILD_TIMEOUT_S = 600
TRAP_RUNS = 3
TRAP_TIMEOUT = "10s"

# Only in one article title: about 1,700 posts at a million, just over the candidates.
UNCOMMON = "terugblik"
COMMON = "nieuwe"  # in 9 of the 40 sentences: about 28 % of posts
ZERO = "xylofoonzwam"
WORDS = "nieuwe versie"  # together in two sentences; "nieuwe" alone in seven more
PREFIX = "wo"

SQLITE_PATH = os.environ.get("BENCH_SEARCH_SQLITE", "/tmp/kring_bench_search.sqlite3")  # noqa: S108
# Bump when what is generated for SQLite changes, so an old file is rebuilt.
SQLITE_VERSION = 1
SQLITE_PEOPLE = 1_000
SQLITE_GROUPS = 30
SQLITE_POSTS = 100_000


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "postgres":
        print(json.dumps(run_postgres()))
    elif part == "sqlite":
        print(json.dumps(run_sqlite()))
    elif not part:
        print(json.dumps(run_both()))
    else:
        raise SystemExit(f"usage: python -m bench.search [postgres|sqlite], not {part!r}")


def run_both() -> dict:
    """Each database in a process of its own: Django reads its settings once."""
    started = time.monotonic()
    figures = {
        "postgres": child("postgres", {}),
        "sqlite": child(
            "sqlite",
            {"SQLITE_PATH": SQLITE_PATH, "DATABASE_URL": None, "REDIS_URL": None},
        ),
    }
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


def child(part: str, env: dict[str, str | None]) -> dict:
    environment = {**os.environ, "LOG_LEVEL": "WARNING"}
    environment.pop("REDIS_URL", None)  # nothing here uses Redis
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    result = subprocess.run(
        [sys.executable, "-m", "bench.search", part],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# Measuring, the same on both databases ---------------------------------------------


def terms(rare: str) -> dict[str, str]:
    return {
        "rare": rare,
        "uncommon": UNCOMMON,
        "common": COMMON,
        "zero": ZERO,
        "words": WORDS,
        "phrase": f'"{WORDS}"',
        "prefix": PREFIX,
    }


def rare_term() -> str:
    """The least used #tag whose every word is found only in tags (not in the
    sentences, articles, titles or replies), as written: a few posts at most."""
    from django.db.models import Count

    from communities.models import Tag

    elsewhere = {
        word
        for text in dataset.SENTENCES + dataset.ARTICLE_PARAGRAPHS + dataset.TITLES
        for word in re.findall(r"[^\W_]+", text.lower())
    }
    elsewhere |= {w for text in dataset.REPLIES for w in re.findall(r"[^\W_]+", text.lower())}
    tags = (
        Tag.objects.annotate(uses=Count("posts"))
        .filter(uses__gt=0)
        .order_by("uses", "name")
        .values_list("name", flat=True)
    )
    for name in tags.iterator():
        parts = name.split("-")
        if len(parts) > 1 and not any(w.startswith(p) for p in parts for w in elsewhere):
            return name
    raise RuntimeError("no tag of words found only in tags")


def sample_viewers() -> list:
    """``VIEWERS`` active people (seeded) with the median number of memberships."""
    from django.db.models import Count

    from communities.models import Person

    counted = list(
        Person.objects.filter(is_active=True)
        .annotate(memberships_count=Count("memberships"))
        .values_list("id", "memberships_count")
    )
    median = sorted(groups for _pk, groups in counted)[len(counted) // 2]
    typical = sorted(pk for pk, groups in counted if groups == median)
    chosen = random.Random(dataset.SEED).sample(typical, min(VIEWERS, len(typical)))  # noqa: S311
    return list(Person.objects.filter(pk__in=chosen).order_by("pk"))


def measure(index_matches: Callable[[str], int], rare: str) -> dict:
    """Every case in rounds: ``WARMUP`` rounds, then ``REPEAT`` timed ones, each round
    by the next viewer; per case p50/p95, what the first viewer was shown, and (from
    one more round per viewer, recording the queries) how much of it was SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.queries import Filters, Order, search, suggest

    viewers = sample_viewers()
    cases: dict[tuple[str, str, str], Callable] = {}
    for name, term in terms(rare).items():
        for page in ("all", "posts"):
            for order in (Order.RELEVANCE, Order.NEWEST):
                filters = Filters(section="" if page == "all" else "posts", order=order)
                cases[("search", name, f"{page} {order}")] = (
                    lambda viewer, term=term, filters=filters: search(viewer, term, filters)
                )
        cases[("suggest", name, "")] = lambda viewer, term=term: suggest(viewer, term)

    timings: dict = {key: [] for key in cases}
    shown: dict = {}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for round_number in range(WARMUP + REPEAT):
        viewer = viewers[round_number % len(viewers)]
        for key, call in cases.items():
            began = time.perf_counter()
            result = call(viewer)
            elapsed = (time.perf_counter() - began) * 1000
            if round_number >= WARMUP:
                timings[key].append(elapsed)
            if round_number == 0:
                shown[key] = result
    seconds = time.perf_counter() - started

    sql_ms: dict = {key: [] for key in cases}
    queries: dict = dict.fromkeys(cases, 0)
    for viewer in viewers:
        for key, call in cases.items():
            with CaptureQueriesContext(connection) as captured:
                call(viewer)
            sql_ms[key].append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            queries[key] = max(queries[key], len(captured))

    figures: dict = {"search": {}, "suggest": {}}
    for (what, name, variant), values in timings.items():
        result = shown[(what, name, variant)]
        case = {
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
            "sql_ms_p50": round(statistics.median(sql_ms[(what, name, variant)]), 1),
            "queries": queries[(what, name, variant)],
        }
        if what == "search":
            page, order = variant.split()
            case |= {"matches": result.total, "matches_floor": result.total_is_floor}
            figures["search"].setdefault(name, {}).setdefault(page, {})[order] = case
        else:
            figures["suggest"][name] = case | {"hits": len(result.hits)}
    return {
        "viewers": len(viewers),
        "repeat": REPEAT,
        "warmup": WARMUP,
        "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "measure_seconds": round(seconds, 1),
        "terms": {
            name: {"term": term, "index_matches": index_matches(term)}
            for name, term in terms(rare).items()
        },
        **figures,
    }


def percentile(values: list[float], p: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


# PostgreSQL -------------------------------------------------------------------


def run_postgres() -> dict:
    started = time.monotonic()
    marker = dataset.ensure(log=log)  # configures Django for the scale database
    filled = fill_index()
    from search import text
    from search.backends import tsquery

    rare = rare_term()

    def index_matches(term: str) -> int:
        sql, params = tsquery(text.parse(term))
        with dataset_connection() as conn:
            return conn.execute(
                f"SELECT count(*) FROM search_entry WHERE vector @@ {sql}",  # noqa: S608 - placeholders only
                params,
            ).fetchone()[0]

    figures = measure(index_matches, rare)
    figures["traps"] = traps(rare)
    counts = {
        k: v for k, v in marker.items() if isinstance(v, int) and k not in ("version", "seed")
    }
    return {
        "database": "postgresql",
        "dataset": counts,
        "index": filled,
        **figures,
        "seconds": round(time.monotonic() - started, 1),
    }


def dataset_connection():
    import psycopg

    return psycopg.connect(dataset.SCALE_DATABASE_URL, autocommit=True)


# What the indexer writes for each kind (search/core_kinds.py, people/search_kinds.py),
# in SQL: kind, object_id, title, body, the stems (SQLite's alone: ''), audience,
# group_id, person_id, created_at. A post's or reply's text is its HTML without tags,
# blocks as spaces, as parsing.plain_text reads it; deleted ones are not found.
ENTRY_COLUMNS = (
    "kind, object_id, title, body, title_stems, body_stems, audience, group_id, person_id,"
    " created_at, suggested, indexed_at"
)


def plain(html: str) -> str:
    tagless = f"regexp_replace({html}, '<[^>]*>', ' ', 'g')"
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#x27;", "''")):
        tagless = f"replace({tagless}, '{entity}', '{char}')"
    return f"btrim(regexp_replace(replace({tagless}, '&amp;', '&'), '\\s+', ' ', 'g'))"


def select(columns: str, rest: str) -> str:
    return f"SELECT {columns}, now() {rest}"  # noqa: S608 - constant SQL, nothing typed


FILL = {
    "post": select(
        f"'post', p.id, p.title, {plain('p.body_html')}, '', '', 'readers', p.group_id,"
        " p.author_id, p.created_at, false",
        "FROM communities_post p WHERE p.deleted_at IS NULL ORDER BY p.id",
    ),
    "reply": select(
        f"'reply', r.id, '', {plain('r.body_html')}, '', '', 'readers', p.group_id,"
        " r.author_id, r.created_at, false",
        "FROM communities_reply r JOIN communities_post p ON p.id = r.post_id"
        " WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY r.id",
    ),
    "group": select(
        "'group', g.id, g.name, g.description, '', '', 'knowers', g.id, NULL, g.created_at, true",
        "FROM communities_group g ORDER BY g.id",
    ),
    "person": select(
        "'person', u.id, u.display_name, concat_ws(' · ', nullif(u.job_title, ''),"
        " nullif(u.department, ''), nullif(u.location, '')), '', '', 'everyone', NULL, u.id,"
        " u.date_joined, true",
        "FROM communities_person u WHERE u.is_active AND u.erased_at IS NULL ORDER BY u.id",
    ),
}


def fill_index() -> dict:
    """The scale dataset's search index, filled in SQL if it is empty (see the module's
    docstring: the bench's shortcut for ``rebuild_search_index``); its size either way."""
    started = time.perf_counter()
    with dataset_connection() as conn:
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM search_entry)").fetchone()[0]
        if empty:
            log("filling search_entry in SQL ...")
            (gin,) = conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'"
            ).fetchone()
            with conn.transaction():
                conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
                # As the dataset loads: no foreign-key triggers (the rows come from
                # the tables they point at), which would queue a check per row and
                # keep CREATE INDEX from running in the same transaction.
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("DROP INDEX search_entry_vector")
                for kind, select in FILL.items():
                    began = time.perf_counter()
                    conn.execute(f"INSERT INTO search_entry ({ENTRY_COLUMNS}) {select}")  # noqa: S608 - constant SQL
                    log(f"  {kind}: {time.perf_counter() - began:.1f} s")
                began = time.perf_counter()
                conn.execute(gin)  # the migration's own definition, read back above
                log(f"  GIN index: {time.perf_counter() - began:.1f} s")
            # As the dataset does: VACUUM sets the visibility map, ANALYZE the
            # statistics the planner chooses by, as autovacuum would.
            conn.execute("VACUUM (ANALYZE) search_entry")
            log(f"search_entry filled in {time.perf_counter() - started:.1f} s")
        entries = dict(
            conn.execute("SELECT kind, count(*) FROM search_entry GROUP BY kind ORDER BY kind")
        )
        size = conn.execute(
            "SELECT pg_total_relation_size('search_entry'), pg_relation_size('search_entry_vector')"
        ).fetchone()
    return {
        "entries": entries,
        "filled_now": empty,
        "fill_seconds": round(time.perf_counter() - started, 1) if empty else None,
        "table_mib": round(size[0] / 2**20),
        "gin_mib": round(size[1] / 2**20),
    }


def traps(rare: str) -> dict:
    """The queries the design avoids, timed on the bare index against what it asks instead."""
    from django.conf import settings

    from search import text
    from search.backends import tsquery

    candidates = settings.SEARCH_CANDIDATES

    def q(term: str) -> tuple[str, list]:
        return tsquery(text.parse(term))

    def newest(term: str) -> tuple[str, list]:
        sql, params = q(term)
        return (
            f"SELECT id FROM search_entry WHERE vector @@ {sql} ORDER BY created_at DESC LIMIT 20",  # noqa: S608
            params,
        )

    def unordered(term: str) -> tuple[str, list]:
        sql, params = q(term)
        return f"SELECT id FROM search_entry WHERE vector @@ {sql} LIMIT {candidates + 1}", params  # noqa: S608

    sql, params = q(COMMON)
    rank_all = (
        f"SELECT id FROM search_entry WHERE vector @@ {sql}"  # noqa: S608
        f" ORDER BY ts_rank(vector, {sql}) DESC LIMIT 20",
        params + params,
    )
    rank_capped = (
        f"SELECT id FROM (SELECT id, vector FROM search_entry WHERE vector @@ {sql}"  # noqa: S608
        f" ORDER BY created_at DESC, id DESC LIMIT {candidates}) AS newest"
        f" ORDER BY ts_rank(vector, {sql}) DESC LIMIT 20",
        params + params,
    )

    def newest_candidates(term: str) -> tuple[str, list]:
        sql, params = q(term)
        return (
            f"SELECT id FROM search_entry WHERE vector @@ {sql}"  # noqa: S608
            f" ORDER BY created_at DESC, id DESC LIMIT {candidates}",
            params,
        )

    plan = {
        "zero_newest_naive": (newest(ZERO), False),
        "zero_unordered": (unordered(ZERO), False),
        "rare_newest_naive": (newest(rare), False),
        "rare_unordered": (unordered(rare), False),
        "common_rank_all": (rank_all, False),
        # As the backend asks for a common term's newest candidates: no bitmap scan.
        "common_rank_capped": (rank_capped, True),
        # A common term's newest candidates as the backend asks for them (walking the
        # date index), and as the planner would (the matches' bitmap, then sorted);
        # the same for a term just over the candidates, whose matches are far apart.
        "common_newest_walk": (newest_candidates(COMMON), True),
        "common_newest_bitmap": (newest_candidates(COMMON), False),
        "uncommon_newest_walk": (newest_candidates(UNCOMMON), True),
        "uncommon_newest_bitmap": (newest_candidates(UNCOMMON), False),
    }
    figures = {}
    with dataset_connection() as conn:
        conn.execute(f"SET statement_timeout = '{TRAP_TIMEOUT}'")
        for name, ((statement, args), no_bitmap) in plan.items():
            conn.execute(f"SET enable_bitmapscan = {'off' if no_bitmap else 'on'}")
            figures[name] = timed(conn, statement, args)
        conn.execute("SET enable_bitmapscan = on")
    return figures


def timed(conn, statement: str, args: list) -> dict:
    """``TRAP_RUNS`` runs (the slowest trap takes seconds): their median, and the plan."""
    import psycopg

    runs: list[float] = []
    timed_out = False
    for _ in range(TRAP_RUNS):
        began = time.perf_counter()
        try:
            conn.execute(statement, args).fetchall()
        except psycopg.errors.QueryCanceled:
            timed_out = True
            break
        runs.append((time.perf_counter() - began) * 1000)
    lines = [row[0] for row in conn.execute(f"EXPLAIN (COSTS OFF) {statement}", args)]
    return {
        "ms": round(statistics.median(runs), 1) if runs else None,
        "runs_ms": [round(r, 1) for r in runs],
        "timed_out": timed_out,
        "plan": plan_summary(lines),
    }


def plan_summary(lines: list[str]) -> str:
    """The plan's nodes, outermost first, without their conditions."""
    nodes = []
    for line in lines:
        node = line.strip().removeprefix("->").strip()
        if node and not re.match(r"^[A-Za-z ]+:", node):  # a property: "Filter: …"
            nodes.append(node)
    return " > ".join(nodes)


# SQLite -----------------------------------------------------------------------


def run_sqlite() -> dict:
    started = time.monotonic()
    path = Path(os.environ.get("SQLITE_PATH", SQLITE_PATH))
    reuse = sqlite_is_ready(path)
    if not reuse:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == "sqlite", settings.DATABASES  # noqa: S101 - never the real one
    call_command("migrate", verbosity=0, interactive=False)
    built: dict = {"reused": reuse}
    if not reuse:
        built.update(SmallOrganisation(random.Random(dataset.SEED)).load())  # noqa: S311
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA user_version = {SQLITE_VERSION}")

    from communities.models import Group, Person, Post
    from search.backends import fts_match
    from search.models import Entry
    from search.text import parse

    def index_matches(term: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s",
                [fts_match(parse(term))],
            )
            return cursor.fetchone()[0]

    figures = measure(index_matches, rare_term())
    return {
        "database": "sqlite",
        "dataset": {
            "people": Person.objects.count(),
            "groups": Group.objects.count(),
            "posts": Post.objects.count(),
            "entries": Entry.objects.count(),
        },
        "index": built,
        "file_mib": round(path.stat().st_size / 2**20),
        **figures,
        "seconds": round(time.monotonic() - started, 1),
    }


def sqlite_is_ready(path: Path) -> bool:
    """The file holds this version's organisation, indexed (the version is set last)."""
    if not path.exists():
        return False
    with sqlite3.connect(path) as conn:
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            (posts,) = conn.execute("SELECT count(*) FROM communities_post").fetchone()
        except sqlite3.DatabaseError:
            return False
    return version == SQLITE_VERSION and posts == SQLITE_POSTS


class SmallOrganisation:
    """What ``bench.dataset`` generates, at a tenth: news, a few location groups,
    knowledge circles and teams; posts over two years from the same sentences,
    articles and Zipf-distributed #tags. Written with ``bulk_create`` (no signals, so
    nothing is indexed one by one), then indexed by the real indexer."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = datetime.now(UTC).replace(microsecond=0)

    def load(self) -> dict:
        from django.db import transaction

        from search import indexing

        started = time.perf_counter()
        with transaction.atomic():
            people = self.people()
            plans = self.groups(people)
            self.posts(plans)
        written = time.perf_counter() - started
        log(f"SQLite organisation written in {written:.1f} s; indexing ...")
        started = time.perf_counter()
        indexed = indexing.rebuild()
        seconds = time.perf_counter() - started
        log(f"indexed in {seconds:.1f} s: {indexed}")
        return {"write_seconds": round(written, 1), "index_seconds": round(seconds, 1)}

    def people(self) -> list[int]:
        from communities.models import Person

        rng = self.rng
        rows = []
        for pk in range(1, SQLITE_PEOPLE + 1):
            first, last = rng.choice(dataset.FIRST_NAMES), rng.choice(dataset.LAST_NAMES)
            username = f"{first}.{last}.{pk}".lower().replace(" ", "")
            department = rng.choice(list(dataset.DEPARTMENTS))
            rows.append(
                Person(
                    id=pk,
                    username=username,
                    password="!",  # noqa: S106 - nobody logs in
                    first_name=first,
                    last_name=last,
                    display_name=f"{first} {last}",
                    email=f"{username}@kring.example",
                    job_title=rng.choice(dataset.DEPARTMENTS[department]),
                    department=department,
                    location=rng.choice(dataset.LOCATIONS),
                    is_active=rng.random() > 0.01,
                    date_joined=self.now - timedelta(days=rng.uniform(730, 4000)),
                )
            )
        Person.objects.bulk_create(rows, batch_size=500)
        return [p.pk for p in rows if p.is_active]

    def groups(self, people: list[int]) -> list[dataset.GroupPlan]:
        from communities.models import Group, Membership

        rng = self.rng
        kinds = [("Organisatienieuws", "open", 13, True)]
        kinds += [
            (f"Locatie {p}", "open", rng.randint(150, 400), False) for p in dataset.LOCATIONS[:4]
        ]
        for topic in dataset.TOPICS[:10]:
            privacy = "closed" if rng.random() < 0.2 else "open"
            kinds.append((f"Kenniskring {topic}", privacy, rng.randint(40, 150), False))
        while len(kinds) < SQLITE_GROUPS:
            roll = rng.random()
            privacy = "open" if roll < 0.3 else "closed" if roll < 0.85 else "secret"
            department, place = rng.choice(list(dataset.DEPARTMENTS)), rng.choice(dataset.LOCATIONS)
            kinds.append(
                (f"Team {department} {place} {len(kinds)}", privacy, rng.randint(8, 30), False)
            )
        plans = []
        for pk, (name, privacy, size, is_news) in enumerate(kinds, start=1):
            plan = dataset.GroupPlan(pk, name, dataset.slugify(name), privacy, size, is_news)
            plan.members = rng.sample(people, size)
            plan.managers = 5 if is_news else max(1, size // 100)
            plans.append(plan)
        # Everyone in at least three groups besides news, as in the large dataset.
        open_plans = [p for p in plans[1:] if p.privacy == "open"]
        for person in people:
            while sum(person in p.members for p in plans[1:]) < 3:
                plan = rng.choice(open_plans)
                if person not in plan.members:
                    plan.members.append(person)
        Group.objects.bulk_create(
            Group(
                id=p.id,
                name=p.name,
                slug=p.slug,
                description=f"Voor iedereen die met {p.name.lower()} te maken heeft.",
                privacy=p.privacy,
                is_news=p.is_news,
                created_by_id=p.members[0],
            )
            for p in plans
        )
        Membership.objects.bulk_create(
            (
                Membership(
                    group_id=p.id,
                    person_id=person,
                    role="owner" if i == 0 else "manager" if i < p.managers else "member",
                )
                for p in plans
                for i, person in enumerate(p.members)
            ),
            batch_size=1000,
        )
        return plans

    def posts(self, plans: list[dataset.GroupPlan]) -> None:
        from communities.models import Post, Tag

        rng = self.rng
        weights = [0.0 if p.is_news else p.size**0.8 * rng.uniform(0.3, 1.7) for p in plans]
        weights[0] = sum(weights) * dataset.NEWS_SHARE / (1 - dataset.NEWS_SHARE)
        cumulative = list(itertools.accumulate(weights))
        span = dataset.HISTORY_DAYS * 86_400
        start = self.now.timestamp() - span
        moments = sorted(start + rng.random() * span for _ in range(SQLITE_POSTS))
        bodies = [dataset.render_pair(rng) for _ in range(2_000)]
        articles = [dataset.render_article(rng) for _ in range(50)]
        names = (
            list(dataset.TOPICS)
            + [f"{t}-{q}" for t in dataset.TOPICS for q in dataset.QUALIFIERS]
            + [f"{q}-{t}" for t in dataset.TOPICS for q in dataset.QUALIFIERS]
        )
        rng.shuffle(names)
        names = names[: dataset.TAGS]
        tag_weights = list(itertools.accumulate(1 / (i + 1) for i in range(dataset.TAGS)))
        Tag.objects.bulk_create(Tag(id=i + 1, name=n) for i, n in enumerate(names))
        links = [dataset.tag_link(name) for name in names]
        tagged: list[tuple[int, int]] = []
        rows = []
        for index, moment in enumerate(moments):
            pk = index + 1
            plan = plans[rng.choices(range(len(plans)), cum_weights=cumulative)[0]]
            authors = plan.members[: plan.managers] if plan.is_news else plan.members
            author = authors[int(len(authors) * rng.random() ** 2)]
            kind, title = "update", ""
            if rng.random() < 0.01:
                kind, title = "article", rng.choice(dataset.TITLES)
                body, html = rng.choice(articles)
            else:
                body, html = bodies[int(len(bodies) * rng.random())]
                if rng.random() < dataset.TAGGED_SHARE:
                    picked = rng.choices(range(dataset.TAGS), cum_weights=tag_weights, k=3)
                    picked = list(dict.fromkeys(picked[: rng.choice((1, 1, 1, 2, 2, 3))]))
                    body += " " + " ".join("#" + names[t] for t in picked)
                    html = html[:-4] + " " + " ".join(links[t] for t in picked) + "</p>"
                    tagged += [(pk, t + 1) for t in picked]
            created = datetime.fromtimestamp(moment, UTC)
            deleted = created + timedelta(hours=1) if rng.random() < 0.003 else None
            rows.append(
                Post(
                    id=pk,
                    group_id=plan.id,
                    author_id=author,
                    kind=kind,
                    title=title,
                    body=body,
                    body_html=html,
                    created_at=created,
                    deleted_at=deleted,
                    deleted_by_id=author if deleted else None,
                )
            )
        Post.objects.bulk_create(rows, batch_size=2000)
        Post.tags.through.objects.bulk_create(
            (Post.tags.through(post_id=post, tag_id=tag) for post, tag in tagged),
            batch_size=5000,
        )


if __name__ == "__main__":
    main()
