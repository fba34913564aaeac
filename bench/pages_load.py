"""Pages under load: the home timeline and a group page, 50 readers at once, served by Daphne.

    python -m bench.pages_load

On the organisation of ``bench.dataset`` (a million posts), ``READERS``
different people each load their home timeline and the biggest group's page
in turn, as fast as the answers come, for ``SECONDS`` per setup, over
keep-alive HTTP connections to real Daphne processes. Setups: one reader on
one process (the unloaded reference), ``READERS`` on one process, and
``READERS`` spread over two processes (a proxy's job in production; here the
readers alternate between the two ports). Prints one JSON line: per setup and
page p50/p95/p99 in ms, requests per second and errors.

Does Daphne serialise sync views? Django runs each request's sync code in a
thread of its own (asgiref's ``ThreadSensitiveContext``), so one process can
overlap the database waits of several requests, but the Python work of all of
them shares one core. Requests per second for 1 and for 50 readers on one
process, against the two-process figure, tell which of those limits holds.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import dataset
from tests.live import DaphneProcess

READERS = int(os.environ.get("BENCH_READERS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
WARM_UP_S = 3.0
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def main() -> None:
    print(json.dumps(run()))


def run() -> dict:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    dataset.ensure(log=lambda text: print(text, file=sys.stderr))
    from django.db import connection

    readers = readers_and_pages(READERS)
    connection.close()
    env = {
        **os.environ,
        "DATABASE_URL": dataset.SCALE_DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "LOG_LEVEL": "WARNING",
    }
    logs = Path(os.environ.get("BENCH_LOG_DIR") or tempfile.mkdtemp())
    servers = [DaphneProcess(name, logs, env=env).start() for name in ("a", "b")]
    try:
        ports = [server.port for server in servers]
        return {
            "readers": READERS,
            "seconds": SECONDS,
            "one_reader_one_process": load(readers[:1], ports[:1]),
            "readers_one_process": load(readers, ports[:1]),
            "readers_two_processes": load(readers, ports),
        }
    finally:
        for server in servers:
            server.stop()


def readers_and_pages(count: int) -> list[tuple[str, list[str]]]:
    """``count`` people with a session cookie each, and the pages each reads."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from bench.pages import sample_viewers
    from communities.models import Group

    big = (
        Group.objects.filter(privacy=Group.Privacy.OPEN, is_news=False)
        .annotate(size=Count("memberships"))
        .order_by("-size", "pk")
        .first()
    )
    readers = []
    for person in sample_viewers()[:count]:
        session = SessionStore()
        session["_auth_user_id"] = str(person.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = person.get_session_auth_hash()
        session.save()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        readers.append((cookie, ["/", f"/groups/{big.slug}/"]))
    return readers


def load(readers: list[tuple[str, list[str]]], ports: list[int]) -> dict:
    """Every reader in its own thread, loading its pages in turn until time is up."""
    timings: dict[str, list[float]] = {"home": [], "group": []}
    errors: list[str] = []
    started = time.perf_counter()
    measure_from = started + WARM_UP_S
    stop_at = measure_from + SECONDS

    def read(index: int, cookie: str, pages: list[str]) -> None:
        port = ports[index % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = 0
        while (now := time.perf_counter()) < stop_at:
            path = pages[turn % len(pages)]
            turn += 1
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{path}: {error!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            elapsed = time.perf_counter() - now
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
            elif now >= measure_from:
                timings["home" if path == "/" else "group"].append(elapsed * 1000)
        conn.close()

    threads = [
        threading.Thread(target=read, args=(i, cookie, pages), daemon=True)
        for i, (cookie, pages) in enumerate(readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + WARM_UP_S + 60)
    done = sum(len(values) for values in timings.values())
    return {
        "processes": len(ports),
        "readers": len(readers),
        "requests_per_s": round(done / SECONDS, 1),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        **{page: summary(values) for page, values in timings.items()},
    }


def summary(values: list[float]) -> dict:
    if len(values) < 2:
        return {"count": len(values)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "count": len(values),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
    }


if __name__ == "__main__":
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    main()
