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
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

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


def start_daphne(port: int) -> subprocess.Popen:
    import socket

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "project.asgi:application",
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"daphne on {port} did not start")


def post(url: str, cookie: str, slug: str, body: str) -> None:
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"{url}/groups/{slug}/posts/",
        data=urlencode({"body": body}).encode(),
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


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
        await asyncio.to_thread(post, post_url, cookies[0], slug, marker)
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
    ports = [18101, 18102] if mode == "scaled" else [18101]
    servers = [start_daphne(port) for port in ports]
    try:
        result = asyncio.run(
            measure(f"http://127.0.0.1:{ports[0]}", f"ws://127.0.0.1:{ports[-1]}", slug, cookies)
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    result["setup"] = (
        "embedded: SQLite, in-memory channel layer, one Daphne"
        if mode == "embedded"
        else "scaled: PostgreSQL, channels-redis, post via Daphne A, sockets on Daphne B"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
