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
  action, rendering the fragment once, publishing it), ``WRITERS`` posts
  in flight for ``WRITE_SECONDS``, while the sockets receive every one;
  and ``write_path_unwatched``, the same with no socket on the group.

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

ROOT = Path(__file__).resolve().parent.parent
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "1000"))
POSTS = int(os.environ.get("BENCH_POSTS", "30"))
WRITE_SECONDS = float(os.environ.get("BENCH_WRITE_SECONDS", "10"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "8"))
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


async def write_path(sockets, servers, cookie: str, slug: str) -> dict:
    """Posts per second over HTTP, ``WRITERS`` posts in flight for ``WRITE_SECONDS``
    (alternating servers), while every socket in ``sockets`` reads every post."""
    tag = f"schrijfpad{secrets.token_hex(4)}"
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
    deadline = time.perf_counter() + 15
    while received[0] < made[0] * len(sockets) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return {
        "writers": WRITERS,
        "posts": made[0],
        "posts_per_s": round(made[0] / elapsed, 1),
        "fragments_expected": made[0] * len(sockets),
        "fragments_received": received[0],
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
    page = f"/ws/groups/{group.slug}/"
    result: dict = {"sockets": SOCKETS, "posts": POSTS}
    started = time.monotonic()
    try:
        for key, used in (("one_process", servers[:1]), ("two_processes", servers)):
            trigger = http_trigger(used, poster_cookie, group.slug)
            result[f"latency_{key}"] = asyncio.run(
                watch(used, page, member_cookies, lambda s, t=trigger: clients.latency(s, t, POSTS))
            )
        trigger = http_trigger(servers, poster_cookie, group.slug)
        result["home_latency_two_processes"] = asyncio.run(
            watch(
                servers, "/ws/home/", follower_cookies, lambda s: clients.latency(s, trigger, POSTS)
            )
        )
        result["knee_two_processes"] = asyncio.run(
            watch(servers, page, member_cookies, lambda s: clients.find_knee(s, trigger))
        )
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
        result["write_path_unwatched"] = asyncio.run(
            watch(servers, page, [], lambda s: write_path(s, servers, poster_cookie, group.slug))
        )
        result["write_path"] = asyncio.run(
            watch(
                servers,
                page,
                member_cookies,
                lambda s: write_path(s, servers, poster_cookie, group.slug),
            )
        )
    finally:
        for server in servers:
            server.stop()
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
