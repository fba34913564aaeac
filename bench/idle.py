"""Idle sockets: how many open home timelines one Daphne process holds, at what memory.

One Daphne process (PostgreSQL, Redis channel layer, as deployed) gets
authenticated home-timeline sockets (``/ws/home/``), each a different person
who belongs to one of a few dozen team groups, in steps (1,000, 2,500, 5,000,
10,000, up to a cap). Around each step it reads Daphne's resident memory
(VmRSS) for the KiB each new socket costs, then checks the server still
serves: one page over HTTP, and one new socket that receives a fresh post.
After the last step every socket idles past Daphne's ping interval and the
Redis read timeout, and is checked again: still open, server still serving.
The run stops at the first step that fails and says how.

Every garbage collection in the Daphne process is timed by the server itself
(``realtime.collector``, its report in ``GC_REPORT_FILE``): ``gc`` gives the
collections of each generation, the longest pause, and the longest pause
while the process held the most sockets; each step has the figures so far.
Then a post is pushed to every held socket (``push_to_all``, the time until
the last has it), which makes the garbage of a fan-out over all of them.

    python -m bench.idle [CAP]   # default cap 12000 sockets

It prints one JSON object. Traffic goes only to 127.0.0.1 (PostgreSQL
database ``kring_idle``, made afresh; Redis database 10, emptied); every loop
is bounded. The file-descriptor limit is raised to its hard limit here, and
the Daphne process inherits it.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import clients
from tests.live import DaphneProcess, post_over_htmx
from tests.mail import Worker

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_IDLE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kring_idle"
)
REDIS_URL = os.environ.get("BENCH_IDLE_REDIS_URL", "redis://127.0.0.1:6379/10")
STEPS = (1000, 2500, 5000, 10_000, 12_000)
CAP = 12_000
TEAMS = 50
# Handshakes in flight at once: Daphne authenticates each socket with database
# queries on one thread and drops a socket not accepted within 5 s.
BATCH = 50
# Sockets per call to the client harness: how precisely a failure is located.
CHUNK = 500
# After a step: let Daphne finish connecting and the allocator settle.
SETTLE_S = 3.0
# Longer than Daphne's ping interval (20 s) and the Redis read timeout (15 s).
HOLD_S = 25.0
# Opening sockets stops here even if the cap is not reached (a slow server
# fails the step rather than making the run endless).
OPENING_DEADLINE_S = 600.0
REDIS_PORT, POSTGRES_PORT = 6379, 5432


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to the hard limit (children inherit it)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def configure() -> dict[str, str]:
    """A fresh database and channel-layer database, migrated; the server's environment."""
    import psycopg
    import redis

    name = DATABASE_URL.rsplit("/", 1)[1]
    maintenance = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {k: v for k, v in os.environ.items() if k != "SQLITE_PATH"}
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="project.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=env)
    return env


def setup_people(count: int) -> tuple[str, str, str, list[str]]:
    """A poster, a watcher who follows her, and ``count`` idle people spread over
    team groups, each with a logged-in session. Returns the slug of the poster's
    own group, the poster's, the watcher's and the idle people's session cookies."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from communities import actions
    from communities.models import Follow, Membership, Person

    poster = Person.objects.create(username="poster", display_name="Poster")
    watcher = Person.objects.create(username="watcher", display_name="Watcher")
    Follow.objects.create(follower=watcher, person=poster)
    own = actions.create_group(poster, name="Announcements of the poster")
    teams = [actions.create_group(poster, name=f"Team {n}") for n in range(TEAMS)]
    idle = Person.objects.bulk_create(
        Person(username=f"idle{n}", display_name=f"Idle {n}") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(group=teams[n % TEAMS], person=person) for n, person in enumerate(idle)
    )

    store = SessionStore()
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = [
        Session(
            session_key=secrets.token_hex(16),
            session_data=store.encode(
                {
                    "_auth_user_id": str(person.pk),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": person.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for person in [poster, watcher, *idle]
    ]
    Session.objects.bulk_create(sessions, batch_size=2000)
    cookies = [f"{settings.SESSION_COOKIE_NAME}={s.session_key}" for s in sessions]
    return own.slug, cookies[0], cookies[1], cookies[2:]


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def descriptors(pid: int) -> dict[str, int]:
    """Open descriptors of a process, and how many are TCP connections to Redis and PostgreSQL."""
    fds = Path(f"/proc/{pid}/fd")
    inodes = set()
    total = 0
    for fd in fds.iterdir():
        total += 1
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    peers: collections.Counter[int] = collections.Counter()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                peers[int(fields[2].rsplit(":", 1)[1], 16)] += 1
    return {"fds": total, "redis": peers[REDIS_PORT], "postgres": peers[POSTGRES_PORT]}


def fd_limit(pid: int) -> int:
    """The soft open-file limit a process runs with."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise RuntimeError(f"no open-file limit for {pid}")


def gc_report(server: DaphneProcess) -> dict | None:
    """The Daphne process's own figures of its garbage collections so far."""
    path = server.log_path.with_suffix(".gc.json")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def alive(sockets: list) -> dict:
    """How many sockets are still open, and the close codes of the others."""
    closed = collections.Counter(ws.close_code for ws in sockets if ws.close_code is not None)
    return {"open": len(sockets) - sum(closed.values()), "closed_by_code": dict(closed)}


async def check(server: DaphneProcess, slug: str, poster: str, watcher: str) -> dict:
    """Does the server still serve? One page over HTTP; one new socket receiving a post."""

    def get_home() -> int:
        request = urllib.request.Request(f"{server.url}/", headers={"Cookie": watcher})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status

    result: dict = {}
    start = time.perf_counter()
    try:
        result["http_status"] = await asyncio.to_thread(get_home)
    except OSError as error:
        result["http_error"] = repr(error)
    result["http_ms"] = round((time.perf_counter() - start) * 1000, 1)

    async def post(marker: str) -> None:
        await asyncio.to_thread(post_over_htmx, server.url, poster, slug, marker)

    start = time.perf_counter()
    try:
        headers = {"Cookie": watcher, "Origin": server.url}
        fresh = await clients.open_sockets([ws_url(server)], 1, lambda _i: headers)
        result["socket_open_ms"] = round((time.perf_counter() - start) * 1000, 1)
        try:
            delivery = await clients.latency(fresh, post, runs=1, timeout=15)
        finally:
            await clients.close_sockets(fresh)
        result["post_delivered_ms"] = delivery["max_ms"] if not delivery["missing"] else None
    except Exception as error:  # any failure is the finding
        result["socket_error"] = repr(error)
    result["ok"] = result.get("http_status") == 200 and result.get("post_delivered_ms") is not None
    return result


async def push_to_all(server: DaphneProcess, slug: str, poster: str, held: list) -> dict:
    """A post in every idle person's team group, each reaching every held socket:
    the garbage a fan-out over all of them makes, and how long it takes."""
    teams = [f"team-{n}" for n in range(TEAMS)]
    received = [0]
    tag = f"allen{secrets.token_hex(4)}"

    async def drain(ws) -> None:
        async for frame in ws:
            if tag in frame:
                received[0] += 1

    readers = [asyncio.create_task(drain(ws)) for ws in held]
    started = time.perf_counter()
    error = None
    try:
        for team in teams:
            await asyncio.to_thread(post_over_htmx, server.url, poster, team, f"{tag} {team}")
        deadline = time.perf_counter() + 60
        while received[0] < len(held) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
    except Exception as failure:  # any failure is the finding
        error = repr(failure)
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
    return {
        "posts": len(teams),
        "delivered": received[0],
        "expected": len(held),
        "seconds": round(time.perf_counter() - started, 2),
        "error": error,
    }


def gc_since(before: dict | None, after: dict | None, since: float) -> dict:
    """Collections between two reports, and the longest full or slow one among them
    (young collections under 10 ms are not listed one by one)."""
    if not before or not after:
        return {}
    counts = [a - b for a, b in zip(after["collections"], before["collections"], strict=True)]
    listed = [ms for at, _generation, ms, _cpu_ms in after["full_or_slow"] if at >= since]
    return {"collections": counts, "longest_ms": max(listed, default=None)}


def ws_url(server: DaphneProcess) -> str:
    return server.url.replace("http://", "ws://") + "/ws/home/"


def log_notes(server: DaphneProcess, last: int = 10) -> list[str]:
    """Daphne's latest log lines that are not access-log lines nor traceback detail."""
    lines = server.log_path.read_text(errors="replace").splitlines()
    return [line for line in lines if line[:2] == "20"][-last:]


async def open_step(
    server: DaphneProcess, cookies: list[str], held: list, target: int, deadline: float
) -> None:
    """Open sockets until ``held`` has ``target``, a chunk at a time, so a failure
    leaves ``held`` within one chunk of where it happened."""
    while len(held) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{OPENING_DEADLINE_S:.0f} s of opening sockets are up")
        offset = len(held)
        held += await clients.open_sockets(
            [ws_url(server)],
            min(CHUNK, target - offset),
            lambda i, offset=offset: {"Cookie": cookies[offset + i], "Origin": server.url},
            batch=BATCH,
        )


async def measure(
    server: DaphneProcess, slug: str, poster: str, watcher: str, cookies: list[str], steps
) -> dict:
    pid = server.process.pid
    warm_up = await check(server, slug, poster, watcher)  # first requests load code
    start_rss = rss_kib(pid)
    held: list = []
    results = []
    failure = None
    after_idling = None
    deadline = time.monotonic() + OPENING_DEADLINE_S
    try:
        for target in steps:
            before, offset = rss_kib(pid), len(held)
            started = time.perf_counter()
            try:
                await open_step(server, cookies, held, target, deadline)
            except Exception as error:  # any failure is the finding
                failure = {"step": target, "held": len(held), "error": repr(error)}
                break
            opening_s = time.perf_counter() - started
            await asyncio.sleep(SETTLE_S)
            after = rss_kib(pid)
            step = {
                "sockets": len(held),
                "gc": gc_report(server),
                "opened_per_s": round((len(held) - offset) / opening_s),
                "rss_kib": after,
                "kib_per_socket": round((after - before) / (len(held) - offset), 1),
                "daphne": descriptors(pid),
                **alive(held),
                "check": await check(server, slug, poster, watcher),
            }
            results.append(step)
            if not step["check"]["ok"] or step["open"] < len(held):
                failure = {"step": target, "held": step["open"], "error": "see the step"}
                break
        if failure is None and held:
            at_top, top_since = gc_report(server), time.time()
            await asyncio.sleep(HOLD_S)
            after_idling = {
                "idle_s": HOLD_S,
                **alive(held),
                "daphne": descriptors(pid),
                "check": await check(server, slug, poster, watcher),
                "push_to_all": await push_to_all(server, slug, poster, held),
                "gc": gc_report(server),
            }
            after_idling["gc_since_top"] = gc_since(at_top, after_idling["gc"], top_since)
        notes = log_notes(server)
    finally:
        server.stop()  # first: closing thousands of sockets one by one is slow
        await clients.close_sockets(held)
    top = results[-1] if results else None
    final = gc_report(server)
    return {
        "gc": final,
        "gc_longest_ms": final["longest_ms"] if final else None,
        "gc_longest_ms_at_top": (after_idling or {}).get("gc_since_top", {}).get("longest_ms"),
        "sockets_held": top["open"] if top else 0,
        "kib_per_socket": (
            round((top["rss_kib"] - start_rss) / top["sockets"], 1) if top else None
        ),
        "rss_mib_start": round(start_rss / 1024, 1),
        "rss_mib_top": round(top["rss_kib"] / 1024, 1) if top else None,
        "warm_up": warm_up,
        "steps": results,
        "after_idling": after_idling,
        "failure": failure,
        "daphne_log": notes,
    }


def run(cap: int = CAP) -> dict:
    """Open idle home-timeline sockets on one Daphne in steps up to ``cap``; figures as a dict."""
    started = time.monotonic()
    limit = raise_fd_limit()
    env = configure()
    slug, poster, watcher, cookies = setup_people(cap)
    logs = Path(os.environ.get("BENCH_LOG_DIR") or tempfile.mkdtemp())
    server = DaphneProcess("idle", logs, env=env)
    server.env = {**env, "GC_REPORT_FILE": str(server.log_path.with_suffix(".gc.json"))}
    # As scaled out: a Celery worker announces the checks' posts to the sockets.
    worker = Worker(env, logs / "worker.log").start()
    server.start()
    steps = [s for s in STEPS if s < cap] + [cap]
    result = {
        "setup": "one Daphne, PostgreSQL, Redis channel layer; idle /ws/home/ sockets",
        "cap": cap,
        "fd_limit": {"client": limit, "daphne": fd_limit(server.process.pid)},
    }
    try:
        result.update(asyncio.run(measure(server, slug, poster, watcher, cookies, steps)))
    finally:
        server.stop()
        worker.stop()
    result["duration_s"] = round(time.monotonic() - started, 1)
    return result


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else CAP)))
