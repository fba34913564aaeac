"""Benchmark of the live loop: from a post's HTTP request to its fragment on every socket.

Run through ``make bench`` (``python -m bench``), which runs this module once
per setup in a fresh process, because settings are read from the environment:

    python -m bench.live_loop embedded group   # SQLite, in-memory layer, one Daphne
    python -m bench.live_loop scaled group     # PostgreSQL, Redis, two Daphne processes
    python -m bench.live_loop scaled home      # one post to each follower's home timeline

``group``: every socket watches the group's page (one channel-layer group).
``home``: every socket is a follower's home timeline (one group per person,
so one post is one ``group_send`` per follower).

It prints one JSON object. Traffic goes only to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.live import DaphneProcess, post_over_htmx

ROOT = Path(__file__).resolve().parent.parent
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "200"))
POSTS = int(os.environ.get("BENCH_POSTS", "30"))
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kring_bench"
)
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def configure(mode: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["LOG_LEVEL"] = "WARNING"
    if mode == "embedded":
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    else:
        import psycopg
        import redis

        name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
        maintenance = BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
        os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
        os.environ["REDIS_URL"] = BENCH_REDIS_URL
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ
    )


def setup_people(count: int, feed: str):
    """The poster, ``count`` readers, and a session for each; returns the group and cookies."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from communities import actions
    from communities.models import Follow, Membership, Person

    poster = Person.objects.create(username="poster", display_name="Poster")
    readers = Person.objects.bulk_create(
        Person(username=f"bench{n}", display_name=f"Bench {n}") for n in range(count)
    )
    group = actions.create_group(poster, name="Bench")
    if feed == "group":
        Membership.objects.bulk_create(Membership(group=group, person=p) for p in readers)
    else:
        Follow.objects.bulk_create(Follow(follower=p, person=poster) for p in readers)

    def cookie(person) -> str:
        session = SessionStore()
        session["_auth_user_id"] = str(person.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = person.get_session_auth_hash()
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    return group.slug, cookie(poster), [cookie(p) for p in readers]


async def measure(
    post_url: str, socket_url: str, path: str, slug: str, poster: str, cookies: list[str]
) -> dict:
    from websockets.asyncio.client import connect

    origin = socket_url.replace("ws://", "http://")
    sockets = []
    for cookie in cookies:
        sockets.append(
            await connect(
                f"{socket_url}{path}",
                additional_headers={"Cookie": cookie, "Origin": origin},
                max_queue=None,
            )
        )
    delivery, requests, slowest = [], [], []
    for n in range(POSTS):
        marker = f"bench-{n}-{secrets.token_hex(4)}"
        start = time.perf_counter()
        await asyncio.to_thread(post_over_htmx, post_url, poster, slug, marker)
        requests.append(time.perf_counter() - start)

        async def arrival(ws, marker=marker, start=start):
            while marker not in await asyncio.wait_for(ws.recv(), timeout=30):
                pass
            return time.perf_counter() - start

        arrivals = await asyncio.gather(*(arrival(ws) for ws in sockets))
        delivery += arrivals
        slowest.append(max(arrivals))
    for ws in sockets:
        await ws.close()
    delivery.sort()
    requests.sort()
    return {
        "sockets": len(sockets),
        "posts": POSTS,
        "post_request_ms_p50": round(statistics.median(requests) * 1000, 1),
        "delivery_ms_p50": round(statistics.median(delivery) * 1000, 1),
        "delivery_ms_p95": round(delivery[int(len(delivery) * 0.95) - 1] * 1000, 1),
        "delivery_ms_max": round(delivery[-1] * 1000, 1),
        "last_socket_ms_p50": round(statistics.median(slowest) * 1000, 1),
    }


def main(mode: str, feed: str, sockets: int) -> None:
    configure(mode)
    slug, poster, cookies = setup_people(sockets, feed)
    logs = Path(os.environ.get("BENCH_LOG_DIR") or tempfile.mkdtemp())
    names = ["a", "b"] if mode == "scaled" else ["a"]
    servers = [DaphneProcess(name, logs, env=dict(os.environ)).start() for name in names]
    path = f"/ws/groups/{slug}/" if feed == "group" else "/ws/home/"
    try:
        result = asyncio.run(
            measure(
                servers[0].url, servers[-1].url.replace("http", "ws"), path, slug, poster, cookies
            )
        )
    finally:
        for server in servers:
            server.stop()
    where = (
        "SQLite, in-memory layer, one Daphne"
        if mode == "embedded"
        else "PostgreSQL, channels-redis, post via Daphne A, sockets on Daphne B"
    )
    audience = "group page sockets" if feed == "group" else "followers' home sockets"
    result["setup"] = f"{mode}, {audience}: {where}"
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else SOCKETS)
