"""The live loop, scaled out: from a post to its fragment on every socket.

    python -m bench.live

PostgreSQL (database ``kring_bench``, made afresh), Redis (database 8) and
real Daphne processes on loopback; ``SOCKETS`` real WebSocket clients with
logged-in sessions, measured by ``bench.clients`` (the harness the bare
baseline is measured with, so the figures divide). Prints one JSON object:

- ``latency``: ``SOCKETS`` sockets on a group's page; ``POSTS`` posts made over
  HTTP one after another; time until each socket has each post's fragment.
  With one Daphne process (sockets and posts on it), and with two (sockets
  split, posts alternating, as behind a proxy).
- ``home_latency``: the same with ``SOCKETS`` followers' home timelines, two
  processes: a home socket listens to the feeds its timeline is made of.
- ``knee``: posts at rising steady rates to the group's sockets (two
  processes): the highest rate whose delivery p99 stays under 1 s, and the
  fragments delivered per second there.
- ``fanout_knee``: the same with the write path left out: a real post's
  fragment, in every language, published to the group's feed through the
  channel layer as ``realtime.broadcast`` publishes it (the marker in its
  text), so the rate is set by the servers' delivery alone, as the bare
  baseline's is by its.
- ``write_path``: posts per second through the whole write path (HTTP, the
  action, the answer; the worker announcing each post: rendering its fragment
  once, publishing it, its notifications), ``WRITERS`` posts in flight for
  ``WRITE_SECONDS``, while the sockets receive every one; and
  ``write_path_unwatched``, the same with no socket on the group. Each gives
  the CPU the Daphne processes and the worker spent per post, and how long
  after the last answer the worker had announced every post.
- ``request_cost``: the post request alone, in this process through Django's
  whole middleware (session, CSRF, the view, the answer): CPU ms per request
  (``time.process_time``) and its queries, the announcement left to the worker.

A real Celery worker (``WORKER_CONCURRENCY`` processes, on the same Redis)
announces the posts, as when scaled out; every measurement that posts over HTTP
(latency, knee, write path) goes through it. An announcement mostly waits on
PostgreSQL and Redis, so the worker runs more processes than the box has cores.

Every loop is bounded; traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import sys
import tempfile
import time
from itertools import count
from pathlib import Path

from bench import clients
from tests.live import DaphneProcess, post_over_htmx
from tests.mail import Worker

ROOT = Path(__file__).resolve().parent.parent
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "1000"))
POSTS = int(os.environ.get("BENCH_POSTS", "30"))
WRITE_SECONDS = float(os.environ.get("BENCH_WRITE_SECONDS", "10"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "8"))
WORKER_CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "6"))
REQUEST_COST_POSTS = int(os.environ.get("BENCH_REQUEST_COST_POSTS", "200"))
#: Which measurements to make (all by default; fewer to try one quickly).
PARTS = os.environ.get(
    "BENCH_LIVE_PARTS", "request_cost,latency,home_latency,knee,fanout_knee,write_path"
).split(",")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kring_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def configure() -> dict[str, str]:
    """A fresh database and Redis database; returns the environment servers share."""
    import psycopg
    import redis

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return dict(os.environ)


def session_cookie(person) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = person.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def organisation(readers: int):
    """A poster, a group whose page ``readers`` members watch, and as many
    followers of the poster watching their home timelines."""
    from communities import actions
    from communities.models import Follow, Membership, Person

    poster = Person.objects.create(username="poster", display_name="Poster")
    group = actions.create_group(poster, name="Bench")
    members = Person.objects.bulk_create(
        Person(username=f"member{n}", display_name=f"Member {n}") for n in range(readers)
    )
    Membership.objects.bulk_create(Membership(group=group, person=p) for p in members)
    followers = Person.objects.bulk_create(
        Person(username=f"follower{n}", display_name=f"Follower {n}") for n in range(readers)
    )
    Follow.objects.bulk_create(Follow(follower=p, person=poster) for p in followers)
    return (
        poster,
        group,
        [session_cookie(p) for p in members],
        [session_cookie(p) for p in followers],
    )


def http_trigger(servers: list[DaphneProcess], cookie: str, slug: str):
    """Post the marker over HTTP as the compose form does, alternating servers."""
    turn = count()

    async def trigger(marker: str) -> None:
        server = servers[next(turn) % len(servers)]
        status = await asyncio.to_thread(post_over_htmx, server.url, cookie, slug, marker)
        if status != 200:
            raise RuntimeError(f"post gave HTTP {status}")

    return trigger


# In the fan-out trigger's fragment, where each message's marker goes.
PLACEHOLDER = "kbplaceholder"


def fanout_trigger(poster, group):
    """Publish a real post's fragment (rendered once, as for a post) with the marker in
    it to the group's feed through the channel layer, as ``realtime.broadcast`` does."""
    from channels.layers import get_channel_layer

    from communities import actions, fragments
    from realtime import broadcast, groups

    post = actions.post_to_group(poster, group, f"{PLACEHOLDER} Overdracht om 7.30 uur.")
    rendered = fragments.published_post_messages(post)
    name = groups.group_feed(group.pk)

    async def trigger(marker: str) -> None:
        html = {code: text.replace(PLACEHOLDER, marker) for code, text in rendered.items()}
        await get_channel_layer().group_send(name, broadcast.feed_message(html))

    return trigger


def headers(servers: list[DaphneProcess], cookies: list[str]):
    origin = servers[0].url  # every server is on 127.0.0.1, the allowed host
    return lambda i: {"Cookie": cookies[i], "Origin": origin}


def ws_urls(servers: list[DaphneProcess], path: str) -> list[str]:
    return [server.url.replace("http://", "ws://") + path for server in servers]


async def watch(servers, path, cookies, measurement):
    sockets = await clients.open_sockets(
        ws_urls(servers, path), len(cookies), headers(servers, cookies)
    )
    try:
        return await measurement(sockets)
    finally:
        await clients.close_sockets(sockets)


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its live children (a prefork worker's)."""
    tick = os.sysconf("SC_CLK_TCK")

    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return own(pid) + sum(own(child) for child in children)


def all_announced() -> bool:
    from communities.models import Post, PostAnnouncement

    return PostAnnouncement.objects.count() >= Post.objects.count()


def announced(tag: str) -> int:
    """Posts with ``tag`` in their text that the worker has announced."""
    from communities.models import PostAnnouncement

    return PostAnnouncement.objects.filter(post__body__startswith=tag).count()


async def write_path(sockets, servers, cookie: str, slug: str, worker: Worker) -> dict:
    """Posts per second over HTTP, ``WRITERS`` posts in flight for ``WRITE_SECONDS``
    (alternating servers), while every socket in ``sockets`` reads every post; the
    CPU per post of the Daphne processes (the requests) and of the worker."""
    tag = f"schrijfpad{secrets.token_hex(4)}"
    settle_by = time.perf_counter() + 120  # what earlier measurements left to the worker
    while not await asyncio.to_thread(all_announced) and time.perf_counter() < settle_by:
        await asyncio.sleep(0.2)
    pids = [server.process.pid for server in servers]
    daphne_before = sum(cpu_seconds(pid) for pid in pids)
    worker_before = cpu_seconds(worker.process.pid)
    # A frame may carry several posts (a burst for one socket leaves as one frame).
    posts_in = re.compile(rf"{tag} (\d+)").findall
    received = [0]

    async def drain(ws) -> None:
        async for frame in ws:
            if tag in frame:
                received[0] += len(set(posts_in(frame)))

    readers = [asyncio.create_task(drain(ws)) for ws in sockets]
    made = [0]
    turn = count()  # posts alternate between the servers
    stop_at = time.perf_counter() + WRITE_SECONDS

    async def writer() -> None:
        while time.perf_counter() < stop_at:
            number = next(turn)
            server = servers[number % len(servers)]
            body = f"{tag} {number}"
            status = await asyncio.to_thread(post_over_htmx, server.url, cookie, slug, body)
            if status != 200:
                raise RuntimeError(f"post gave HTTP {status}")
            made[0] += 1

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(WRITERS)))
    elapsed = time.perf_counter() - started
    daphne_cpu = sum(cpu_seconds(pid) for pid in pids) - daphne_before
    answered = time.perf_counter()
    deadline = answered + 30
    done = 0
    while time.perf_counter() < deadline:
        done = await asyncio.to_thread(announced, tag)
        if done >= made[0] and received[0] >= made[0] * len(sockets):
            break
        await asyncio.sleep(0.1)
    drained = time.perf_counter() - answered
    worker_cpu = cpu_seconds(worker.process.pid) - worker_before
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    posts = max(made[0], 1)
    return {
        "writers": WRITERS,
        "posts": made[0],
        "posts_per_s": round(made[0] / elapsed, 1),
        "fragments_expected": made[0] * len(sockets),
        "fragments_received": received[0],
        "announced": done,
        "announced_s_after_last_answer": round(drained, 2),
        "daphne_cpu_ms_per_post": round(daphne_cpu * 1000 / posts, 1),
        "worker_cpu_ms_per_post": round(worker_cpu * 1000 / posts, 1),
    }


def request_cost(poster, group) -> dict:
    """CPU and queries of the post request in this process, through the whole
    middleware as Daphne runs it (the compose form over htmx, CSRF checked)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True)
    client.force_login(poster)
    token = secrets.token_hex(16)
    client.cookies["csrftoken"] = token
    url = f"/groups/{group.slug}/posts/"

    def post(number: int) -> None:
        response = client.post(
            url,
            {"body": f"kosten {number} #bench @member{number % 7}"},
            HTTP_HX_REQUEST="true",
            HTTP_X_CSRFTOKEN=token,
            HTTP_HOST="127.0.0.1",
        )
        if response.status_code != 200:
            raise RuntimeError(f"post gave HTTP {response.status_code}")

    for number in range(5):  # warm: templates, translations, connections
        post(number)
    with CaptureQueriesContext(connection) as captured:
        post(5)
    queries = len(captured.captured_queries)
    cpu = []
    for number in range(REQUEST_COST_POSTS):
        before = time.process_time()
        post(10 + number)
        cpu.append((time.process_time() - before) * 1000)
    cpu.sort()
    connection.close()
    return {
        "posts": REQUEST_COST_POSTS,
        "queries": queries,
        "cpu_ms_p50": round(cpu[len(cpu) // 2], 2),
        "cpu_ms_mean": round(sum(cpu) / len(cpu), 2),
    }


def main() -> dict:
    env = configure()
    poster, group, member_cookies, follower_cookies = organisation(SOCKETS)
    poster_cookie = session_cookie(poster)
    fanout = fanout_trigger(poster, group)
    from django.db import connection

    connection.close()
    logs = Path(os.environ.get("BENCH_LOG_DIR") or tempfile.mkdtemp())
    servers = [DaphneProcess(name, logs, env=env).start() for name in ("a", "b")]
    worker = Worker(env, logs / "worker.log", [f"--concurrency={WORKER_CONCURRENCY}"]).start()
    page = f"/ws/groups/{group.slug}/"
    result: dict = {"sockets": SOCKETS, "posts": POSTS, "worker_concurrency": WORKER_CONCURRENCY}
    started = time.monotonic()
    try:
        if "request_cost" in PARTS:
            result["request_cost"] = request_cost(poster, group)
        if "latency" in PARTS:
            for key, used in (("one_process", servers[:1]), ("two_processes", servers)):
                trigger = http_trigger(used, poster_cookie, group.slug)
                result[f"latency_{key}"] = asyncio.run(
                    watch(
                        used,
                        page,
                        member_cookies,
                        lambda s, t=trigger: clients.latency(s, t, POSTS),
                    )
                )
        trigger = http_trigger(servers, poster_cookie, group.slug)
        if "home_latency" in PARTS:
            result["home_latency_two_processes"] = asyncio.run(
                watch(
                    servers,
                    "/ws/home/",
                    follower_cookies,
                    lambda s: clients.latency(s, trigger, POSTS),
                )
            )
        if "knee" in PARTS:
            result["knee_two_processes"] = asyncio.run(
                watch(servers, page, member_cookies, lambda s: clients.find_knee(s, trigger))
            )
        if "fanout_knee" in PARTS:
            result["fanout_knee_two_processes"] = asyncio.run(
                watch(
                    servers,
                    page,
                    member_cookies,
                    lambda s: clients.find_knee(
                        s, fanout, server_pids=[x.process.pid for x in servers]
                    ),
                )
            )

        def writing(sockets):
            return write_path(sockets, servers, poster_cookie, group.slug, worker)

        if "write_path" in PARTS:
            result["write_path_unwatched"] = asyncio.run(watch(servers, page, [], writing))
            result["write_path"] = asyncio.run(watch(servers, page, member_cookies, writing))
    finally:
        for server in servers:
            server.stop()
        worker.stop()
    result["duration_s"] = round(time.monotonic() - started, 1)
    return result


def run() -> dict:
    """``main`` in a process of its own: settings are read from the environment once."""
    import subprocess

    output = subprocess.run(
        [sys.executable, "-m", "bench.live"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(main()))
