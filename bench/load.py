"""Load test: people reading timelines, posting, replying and reacting, with 1,000 sockets open.

    python -m bench.load        # prints one JSON object

It seeds an organisation into its own PostgreSQL database (``kring_load``)
and Redis database (11, with a channel prefix of its own): 1,000 people, 20
groups (open ones, organisation news, one closed and one secret),
memberships, follows of people, groups and #tags, a few hundred posts with
replies and reactions, and a logged-in session for every person. Then it
starts two Daphne processes and, for a bounded run:

- holds 1,000 authenticated WebSockets, home timelines and group pages,
  split over both processes, recording every frame that arrives;
- runs locust (``bench/locustfile.py``, headless, as a subprocess) with
  virtual people who read, scroll, open posts, post, reply and react over
  htmx against both processes.

Afterwards it checks the sockets against the database: every post and reply
made during the run must have reached every open page that shows it (a
group page of its group; a home timeline of someone it reaches), and none
may have reached a page that must not show it.

Settings come from the environment: ``LOAD_USERS`` (virtual people, 50),
``LOAD_DURATION`` (seconds of load, 120), ``LOAD_SPAWN_RATE``,
``LOAD_SOCKETS``, ``LOAD_PEOPLE``, ``LOAD_DATABASE_URL``, ``LOAD_REDIS_URL``,
``LOAD_CHANNEL_PREFIX`` and ``LOAD_LOG_DIR`` (where the servers' and locust's
logs and CSV files go; a new temporary folder if unset). Traffic goes only to
127.0.0.1. Django is configured in this process from its environment, so call
``run()`` in a fresh process.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tests.live import DaphneProcess
from tests.mail import Worker

ROOT = Path(__file__).resolve().parent.parent
LOAD_DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kring_load"
)
LOAD_REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
LOAD_CHANNEL_PREFIX = os.environ.get("LOAD_CHANNEL_PREFIX", "kring-load")
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "1000"))
SOCKETS = int(os.environ.get("LOAD_SOCKETS", "1000"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = int(os.environ.get("LOAD_SPAWN_RATE", "10"))
DURATION = int(os.environ.get("LOAD_DURATION", "120"))  # seconds of load
SEED_POSTS = 600
SEED_REPLIES = 400
SEED_REACTIONS = 1500
OPEN_AT_ONCE = 20  # sockets being opened at the same time
QUIET = 3.0  # seconds without a frame after the load that end the wait for stragglers
STRAGGLERS_MAX = 20.0
SETTLE = 3.0  # seconds the servers get to clean up after the sockets close

OPEN_GROUPS = (
    "Cardiology",
    "Emergency department",
    "Night shift",
    "Nursing education",
    "Radiology",
    "Pharmacy",
    "Facilities",
    "IT helpdesk",
    "Patient safety",
    "Wound care",
    "Research circle",
    "Recipes",
    "Running club",
    "Photography",
    "Volunteers",
    "Sustainability",
    "New colleagues",
)
NEWS, CLOSED, SECRET = "Organisation news", "Management team", "Works council"
WELCOME = "Our new intranet. Join your teams' groups and say hello!"
TAGS = ("roster", "canteen", "training", "safety", "parking")
FIRST = ("Anouk", "Bram", "Carmen", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ivo", "Jasmijn")
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Peters")
SAYINGS = (
    "Team meeting moved to Wednesday.",
    "The roster for next month is out.",
    "Who has experience with the new infusion pumps?",
    "Great turnout at yesterday's training, thank you all.",
    "Parking garage B is closed for maintenance this weekend.",
    "Reminder: hand in your holiday requests before Friday.",
)

ARTICLE = re.compile(r'<article class="post" id="post-(\d+)"')
REPLY_ADDED = re.compile(r'beforeend:#post-\d+-reply-list"><div class="reply" id="reply-(\d+)"')
REACTIONS_CHANGED = re.compile(r'id="post-\d+-reactions" hx-swap-oob="true"')


def configure() -> None:
    """A fresh database and Redis database for this run, migrated; Django set up."""
    import django
    import psycopg
    import redis

    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = LOAD_DATABASE_URL
    os.environ["REDIS_URL"] = LOAD_REDIS_URL
    # Pub/Sub channels are shared by every database of a Redis server: a prefix
    # of its own keeps messages of other installs on this Redis off the sockets.
    os.environ["CHANNEL_PREFIX"] = LOAD_CHANNEL_PREFIX
    os.environ.pop("SQLITE_PATH", None)
    name = LOAD_DATABASE_URL.rsplit("/", 1)[1]
    maintenance = LOAD_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(LOAD_REDIS_URL).flushdb()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ
    )
    django.setup()


# The organisation ------------------------------------------------------------------


@dataclass
class World:
    """Who is where and follows what: what decides which pages a post must reach."""

    open_groups: set[int] = field(default_factory=set)
    news_groups: set[int] = field(default_factory=set)
    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    group_followers: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    person_followers: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    tag_followers: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    last_seeded_post: int = 0
    last_seeded_reply: int = 0

    def reads(self, person: int, group: int) -> bool:
        return group in self.open_groups or person in self.members[group]

    def on_home(self, person: int, group: int, author: int, tags: list[str]) -> bool:
        """Whether a post belongs on this person's home timeline (Kring's rule, restated)."""
        if group in self.news_groups:
            return True
        return self.reads(person, group) and (
            person in self.members[group]
            or person in self.group_followers[group]
            or person in self.person_followers[author]
            or any(person in self.tag_followers[tag] for tag in tags)
        )


@dataclass
class Page:
    """One open page's socket, and what reached it."""

    kind: str  # "home" or "group"
    person: int
    group: int | None
    url: str
    cookie: str
    posts: dict[int, float] = field(default_factory=dict)  # post id -> arrival (epoch s)
    replies: set[int] = field(default_factory=set)


def seed(rng: random.Random) -> tuple[World, list[dict], list[Page]]:
    """The organisation, its sessions, the people locust plays and the pages to hold open."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django.utils.text import slugify

    from communities import parsing
    from communities.models import Follow, Group, Membership, Person, Post, Reaction, Reply, Tag

    world = World()
    unusable = make_password(None)
    people = Person.objects.bulk_create(
        Person(
            username=f"p{n:04d}",
            display_name=f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]} {n}",
            job_title=rng.choice(("Nurse", "Physician", "Secretary", "Analyst", "Porter")),
            department=rng.choice(("Care", "Support", "Research", "Management")),
            password=unusable,
        )
        for n in range(PEOPLE)
    )
    ids = [p.pk for p in people]

    def group(name: str, privacy: str = Group.Privacy.OPEN, is_news: bool = False) -> Group:
        return Group(name=name, slug=slugify(name), privacy=privacy, is_news=is_news)

    groups = Group.objects.bulk_create(
        [group(name) for name in OPEN_GROUPS]
        + [
            group(NEWS, is_news=True),
            group(CLOSED, Group.Privacy.CLOSED),
            group(SECRET, Group.Privacy.SECRET),
        ]
    )
    open_groups, news, closed, secret = groups[:-3], groups[-3], groups[-2], groups[-1]
    world.open_groups = {g.pk for g in open_groups} | {news.pk}
    world.news_groups = {news.pk}

    # Memberships: two to four open groups each, some groups far bigger than others.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(open_groups))]
    for person in ids:
        wanted = rng.randint(2, 4)
        while len([g for g in open_groups if person in world.members[g.pk]]) < wanted:
            world.members[rng.choices(open_groups, weights)[0].pk].add(person)
    world.members[news.pk].update(ids[:3])  # its editors
    world.members[closed.pk].update(rng.sample(ids, 50))
    world.members[secret.pk].update(rng.sample(ids, 20))
    memberships = []
    for g in groups:
        for n, person in enumerate(sorted(world.members[g.pk])):
            role = Membership.Role.OWNER if n == 0 else Membership.Role.MEMBER
            memberships.append(Membership(group_id=g.pk, person_id=person, role=role))
    Membership.objects.bulk_create(memberships)

    # Follows: colleagues, now and then an open group or a #tag.
    tags = {t.name: t for t in Tag.objects.bulk_create(Tag(name=name) for name in TAGS)}
    follows = []
    for person in ids:
        for other in set(rng.sample(ids, rng.randint(3, 12))) - {person}:
            follows.append(Follow(follower_id=person, person_id=other))
            world.person_followers[other].add(person)
        if rng.random() < 0.2:
            g = rng.choice(open_groups)
            follows.append(Follow(follower_id=person, group_id=g.pk))
            world.group_followers[g.pk].add(person)
        if rng.random() < 0.25:
            name = rng.choice(TAGS)
            follows.append(Follow(follower_id=person, tag_id=tags[name].pk))
            world.tag_followers[name].add(person)
    Follow.objects.bulk_create(follows)

    # Posts of the past two weeks, oldest first so ids grow with time; replies; reactions.
    now = timezone.now()
    writable = [g for g in groups if g is not news]
    sizes = [len(world.members[g.pk]) for g in writable]
    drafts = []
    for _ in range(SEED_POSTS):
        g = rng.choices(writable, sizes)[0]
        tag = rng.choice(TAGS) if rng.random() < 0.3 else None
        body = rng.choice(SAYINGS) + (f" #{tag}" if tag else "")
        when = now - timedelta(minutes=rng.randint(10, 14 * 24 * 60))
        drafts.append((when, g.pk, rng.choice(sorted(world.members[g.pk])), body, tag))
    drafts.sort()
    posts = Post.objects.bulk_create(
        Post(
            group_id=g,
            author_id=author,
            body=body,
            body_html=parsing.render_body(body, {}),
            created_at=when,
        )
        for when, g, author, body, _tag in drafts
    )
    announcement = Post.objects.create(
        group=news,
        author_id=ids[0],
        kind=Post.Kind.ANNOUNCEMENT,
        title="Welcome to Kring",
        body=WELCOME,
        body_html=parsing.render_body(WELCOME, {}),
        pinned_at=now,
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post_id=post.pk, tag_id=tags[draft[4]].pk)
        for post, draft in zip(posts, drafts, strict=True)
        if draft[4]
    )
    replies = []
    for post in rng.sample(posts, SEED_REPLIES // 2) * 2:
        body = rng.choice(("Thanks!", "Noted.", "I will be there."))
        author = rng.choice(sorted(world.members[post.group_id]))
        replies.append(
            Reply(post=post, author_id=author, body=body, body_html=parsing.render_body(body, {}))
        )
        post.reply_count += 1
    Reply.objects.bulk_create(replies)
    Post.objects.bulk_update(posts, ["reply_count"])
    reactions = {
        (
            post.pk,
            rng.choice(sorted(world.members[post.group_id])),
            rng.choice(Reaction.Kind.values),
        )
        for post in rng.choices(posts, k=SEED_REACTIONS)
    }
    Reaction.objects.bulk_create(
        Reaction(post_id=post, person_id=person, kind=kind) for post, person, kind in reactions
    )
    world.last_seeded_post = announcement.pk
    world.last_seeded_reply = replies[-1].pk

    # A logged-in session per person, made in bulk.
    store = SessionStore()
    keys = {}
    sessions = []
    for person in people:
        keys[person.pk] = get_random_string(32, VALID_KEY_CHARS)
        data = {
            "_auth_user_id": str(person.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": person.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=keys[person.pk],
                session_data=store.encode(data),
                expire_date=now + timedelta(days=1),
            )
        )
    Session.objects.bulk_create(sessions)
    cookie_name = settings.SESSION_COOKIE_NAME

    slugs = {g.pk: g.slug for g in groups}
    member_of = defaultdict(list)
    for g in groups:
        for person in world.members[g.pk]:
            member_of[person].append(g.pk)

    # The people locust plays: some from the closed and the secret group among them.
    chosen = sorted(world.members[secret.pk])[:2] + sorted(world.members[closed.pk])[:3]
    chosen += [p for p in rng.sample(ids, USERS) if p not in chosen]
    actors = [
        {
            "username": f"p{ids.index(person):04d}",
            "cookie_name": cookie_name,
            "session_key": keys[person],
            "reads": [slugs[g] for g in slugs if world.reads(person, g)],
            "posts_in": [slugs[g] for g in member_of[person] if g != news.pk],
        }
        for person in chosen[:USERS]
    ]

    # Pages: three in five people on their home timeline, the others on one of their groups.
    pages = []
    for n, person in enumerate(ids[:SOCKETS]):
        cookie = f"{cookie_name}={keys[person]}"
        if n % 5 < 3:
            pages.append(Page("home", person, None, "/ws/home/", cookie))
        else:
            g = sorted(member_of[person])[n % len(member_of[person])]
            pages.append(Page("group", person, g, f"/ws/groups/{slugs[g]}/", cookie))
    return world, actors, pages


# The sockets -----------------------------------------------------------------------


class Sockets:
    """The open pages: one WebSocket each, listened to for the whole run."""

    def __init__(self, pages: list[Page], servers: list[str]) -> None:
        self.pages = pages
        self.servers = servers
        self.connections: list = []
        self.tasks: list[asyncio.Task] = []
        self.frames: Counter[str] = Counter()
        self.errors: list[str] = []
        self.closing = False
        self.last_frame = time.monotonic()

    async def open(self) -> None:
        """Open every page's socket, a few at a time, alternating between the servers."""
        from websockets.asyncio.client import connect

        slots = asyncio.Semaphore(OPEN_AT_ONCE)

        async def open_one(n: int, page: Page) -> None:
            base = self.servers[n % len(self.servers)]
            async with slots:
                try:
                    ws = await connect(
                        base.replace("http://", "ws://") + page.url,
                        additional_headers={"Cookie": page.cookie, "Origin": base},
                        max_queue=None,
                        open_timeout=30,
                    )
                except Exception as error:  # counted and reported, whatever it is
                    self.errors.append(f"open {page.url}: {error!r}")
                    return
            self.connections.append(ws)
            self.tasks.append(asyncio.create_task(self.listen(ws, page)))

        await asyncio.gather(*(open_one(n, page) for n, page in enumerate(self.pages)))

    async def listen(self, ws, page: Page) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for frame in ws:
                self.note(page, frame)
        except ConnectionClosed:
            pass
        if not self.closing:
            self.errors.append(f"{page.url} closed: {ws.close_code} {ws.close_reason!r}")

    def note(self, page: Page, frame: str) -> None:
        arrived = time.time()
        self.last_frame = time.monotonic()
        # A frame may carry several fragments (what reaches a socket in one moment
        # leaves as one frame): every kind in it is counted.
        kinds = 0
        if found := ARTICLE.findall(frame):
            kinds += 1
            self.frames["new_post"] += 1
            for post_id in found:
                page.posts.setdefault(int(post_id), arrived)
        if found := REPLY_ADDED.findall(frame):
            kinds += 1
            self.frames["reply"] += 1
            page.replies.update(int(reply_id) for reply_id in found)
        if REACTIONS_CHANGED.search(frame):
            kinds += 1
            self.frames["reactions"] += 1
        if not kinds:
            self.frames["other"] += 1

    def still_open(self) -> int:
        from websockets.protocol import State

        return sum(ws.state is State.OPEN for ws in self.connections)

    async def wait_for_stragglers(self) -> None:
        """Until no frame has come for a moment: deliveries still in flight get their chance."""
        deadline = time.monotonic() + STRAGGLERS_MAX
        while time.monotonic() < deadline and time.monotonic() - self.last_frame < QUIET:
            await asyncio.sleep(0.5)

    async def close(self) -> None:
        self.closing = True
        await asyncio.gather(*(ws.close() for ws in self.connections), return_exceptions=True)
        await asyncio.gather(*self.tasks, return_exceptions=True)


# Locust ----------------------------------------------------------------------------


async def swarm(actors: list[dict], servers: list[str], work: Path) -> dict:
    """Run locust headless for DURATION seconds; its figures (see the locustfile)."""
    people = work / "people.json"
    people.write_text(json.dumps(actors))
    figures = work / "locust.json"
    env = {
        **os.environ,
        "KRING_LOAD_PEOPLE": str(people),
        "KRING_LOAD_HOSTS": " ".join(servers),
        "KRING_LOAD_FIGURES": str(figures),
    }
    with (work / "locust.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
            *("--headless", "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE)),
            *("--run-time", f"{DURATION}s", "--stop-timeout", "5", "--host", servers[0]),
            *("--only-summary", "--loglevel", "WARNING"),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            await asyncio.wait_for(process.wait(), timeout=DURATION + 60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    if not figures.exists():
        raise RuntimeError(f"locust gave no figures (exit {process.returncode}): see {log.name}")
    return json.loads(figures.read_text())


# Checking what arrived -------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def check_deliveries(world: World, pages: list[Page]) -> dict:
    """Every post and reply made during the run against every page that was open."""
    from communities.models import Post, Reply

    posts = list(
        Post.objects.filter(pk__gt=world.last_seeded_post).values_list(
            "pk", "group_id", "author_id", "created_at"
        )
    )
    replies = list(
        Reply.objects.filter(pk__gt=world.last_seeded_reply).values_list(
            "pk", "post_id", "post__group_id", "post__author_id"
        )
    )
    tags = defaultdict(list)
    for post_id, name in Post.tags.through.objects.filter(
        post_id__in={p[0] for p in posts} | {r[1] for r in replies}
    ).values_list("post_id", "tag__name"):
        tags[post_id].append(name)

    def shows(page: Page, group: int, post_id: int, author: int) -> bool:
        if page.kind == "group":
            return page.group == group
        return world.on_home(page.person, group, author, tags[post_id])

    figures = Counter()
    delays = []
    made = {p[0] for p in posts}
    for page in pages:
        for post_id, group, author, created in posts:
            if shows(page, group, post_id, author):
                figures["post_deliveries_expected"] += 1
                if post_id in page.posts:
                    delays.append((page.posts[post_id] - created.timestamp()) * 1000)
                else:
                    figures["missed_posts"] += 1
            elif post_id in page.posts:
                figures["unexpected_posts"] += 1
        figures["unexpected_posts"] += len(page.posts.keys() - made)
        for reply_id, post_id, group, author in replies:
            if shows(page, group, post_id, author):
                figures["reply_deliveries_expected"] += 1
                figures["missed_replies"] += reply_id not in page.replies
            elif reply_id in page.replies:
                figures["unexpected_replies"] += 1
    delays.sort()
    return {
        "posts_made": len(posts),
        "replies_made": len(replies),
        **{
            name: figures[name]
            for name in (
                "post_deliveries_expected",
                "missed_posts",
                "unexpected_posts",
                "reply_deliveries_expected",
                "missed_replies",
                "unexpected_replies",
            )
        },
        "delivery_ms_p50": round(statistics.median(delays), 1) if delays else None,
        "delivery_ms_p95": round(percentile(delays, 0.95), 1) if delays else None,
        "delivery_ms_p99": round(percentile(delays, 0.99), 1) if delays else None,
        "delivery_ms_max": round(delays[-1], 1) if delays else None,
    }


def log_sizes(servers: list[DaphneProcess]) -> dict[str, int]:
    return {server.name: server.log_path.stat().st_size for server in servers}


LOG_LEVELS = re.compile(r" (WARNING|ERROR|CRITICAL) (.*)")


def logged(text: bytes) -> Counter[str]:
    """Each warning or error message in a server's log with its count (the settings
    log nothing below WARNING; Daphne's access lines are left out)."""
    return Counter(
        f"{found.group(1)} {found.group(2)}"
        for found in map(LOG_LEVELS.search, text.decode(errors="replace").splitlines())
        if found
    )


def server_log(servers: list[DaphneProcess], until: dict[str, int]) -> dict:
    """What the servers logged while the load ran, and after (as the sockets closed)."""
    during, after = Counter(), Counter()
    for server in servers:
        text = server.log_path.read_bytes()
        during += logged(text[: until[server.name]])
        after += logged(text[until[server.name] :])
    return {
        "server_log_lines_during_load": sum(during.values()),
        "server_log_lines_at_close": sum(after.values()),
        "server_log_examples": [f"{n}x {m}" for m, n in (during + after).most_common(8)],
    }


# The run ---------------------------------------------------------------------------


async def load(
    actors: list[dict], pages: list[Page], servers: list[DaphneProcess], work: Path
) -> tuple[dict, dict, dict[str, int]]:
    """Open the sockets, swarm, wait for stragglers, close. Returns locust's figures,
    the sockets' figures and how far the servers' logs went while the load ran."""
    urls = [server.url for server in servers]
    sockets = Sockets(pages, urls)
    started = time.monotonic()
    try:
        await sockets.open()
        opened = len(sockets.connections)
        opening_s = time.monotonic() - started
        requests = await swarm(actors, urls, work)
        await sockets.wait_for_stragglers()
        still_open = sockets.still_open()
        logged_by_then = log_sizes(servers)
    finally:
        await sockets.close()
        # The servers unsubscribe the closed sockets before they are stopped.
        await asyncio.sleep(SETTLE)
    return (
        requests,
        {
            "sockets": opened,
            "sockets_open_at_end": still_open,
            "sockets_opening_s": round(opening_s, 1),
            "socket_errors": len(sockets.errors),
            "socket_error_examples": sockets.errors[:5],
            "frames": sum(sockets.frames.values()),
            "frames_by_kind": dict(sockets.frames),
        },
        logged_by_then,
    )


def run() -> dict:
    """The whole load test: setup, load, checks; the figures as a dict."""
    started = time.monotonic()
    configure()
    world, actors, pages = seed(random.Random(7))  # noqa: S311 - sample data, not secrets
    work = Path(os.environ.get("LOAD_LOG_DIR") or tempfile.mkdtemp(prefix="kring-load-"))
    work.mkdir(parents=True, exist_ok=True)
    servers = [DaphneProcess(name, work, env=dict(os.environ)) for name in ("a", "b")]
    # As scaled out: a Celery worker announces each new post (its live push, its
    # notifications); the web processes only write it.
    worker = Worker(dict(os.environ), work / "worker.log", ["--concurrency=4"])
    try:
        worker.start()
        for server in servers:
            server.start()
        setup_s = time.monotonic() - started
        requests, sockets, logged_by_then = asyncio.run(load(actors, pages, servers, work))
    finally:
        for server in servers:
            server.stop()
        worker.stop()
    deliveries = check_deliveries(world, pages)
    logged = server_log(servers, logged_by_then)
    overall = requests["overall"]
    return {
        "setup": "PostgreSQL, channels-redis, two Daphne processes; locust and sockets on loopback",
        "people": PEOPLE,
        "virtual_users": USERS,
        "load_s": DURATION,
        "requests": requests["endpoints"],
        "requests_total": overall["count"],
        "requests_per_s": overall["per_s"],
        "requests_p50_ms": overall["p50_ms"],
        "requests_p95_ms": overall["p95_ms"],
        "requests_p99_ms": overall["p99_ms"],
        "failures": overall["failures"],
        "error_rate": round(overall["failures"] / max(1, overall["count"]), 5),
        "failure_examples": requests["failures"][:10],
        **sockets,
        **deliveries,
        **logged,
        "setup_s": round(setup_s, 1),
        "total_s": round(time.monotonic() - started, 1),
        "logs": str(work),
    }


if __name__ == "__main__":
    print(json.dumps(run()))
