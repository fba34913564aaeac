"""Benchmark of the live loop: from a post's HTTP request to its fragment on every socket.

Run through ``make bench`` (``python -m bench``), which runs this module once
per setup in a fresh process, because settings are read from the environment:

    python -m bench.live_loop embedded   # SQLite, in-memory layer, one Daphne
    python -m bench.live_loop scaled     # PostgreSQL, Redis, two Daphne processes

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


def setup_people(count: int):
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from communities import actions
    from communities.models import Person

    people = [
        Person.objects.create(username=f"bench{n}", display_name=f"Bench {n}") for n in range(count)
    ]
    group = actions.create_group(people[0], name="Bench")
    for person in people[1:]:
        actions.join_group(person, group)

    def cookie(person) -> str:
        client = Client()
        client.force_login(person)
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    return group.slug, [cookie(p) for p in people]


async def measure(post_url: str, socket_url: str, slug: str, cookies: list[str]) -> dict:
    from websockets.asyncio.client import connect

    origin = socket_url.replace("ws://", "http://")
    sockets = []
    for cookie in cookies[1 : SOCKETS + 1]:
        sockets.append(
            await connect(
                f"{socket_url}/ws/groups/{slug}/",
                additional_headers={"Cookie": cookie, "Origin": origin},
            )
        )
    delivery, requests, slowest = [], [], []
    for n in range(POSTS):
        marker = f"bench-{n}-{secrets.token_hex(4)}"
        start = time.perf_counter()
        await asyncio.to_thread(post_over_htmx, post_url, cookies[0], slug, marker)
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


def main(mode: str) -> None:
    configure(mode)
    slug, cookies = setup_people(SOCKETS + 1)
    logs = Path(tempfile.mkdtemp())
    names = ["a", "b"] if mode == "scaled" else ["a"]
    servers = [DaphneProcess(name, logs, env=dict(os.environ)).start() for name in names]
    try:
        result = asyncio.run(
            measure(servers[0].url, servers[-1].url.replace("http", "ws"), slug, cookies)
        )
    finally:
        for server in servers:
            server.stop()
    result["setup"] = (
        "embedded: SQLite, in-memory channel layer, one Daphne"
        if mode == "embedded"
        else "scaled: PostgreSQL, channels-redis, post via Daphne A, sockets on Daphne B"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
