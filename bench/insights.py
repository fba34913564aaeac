"""Server time of the coach's dashboard at organisation scale.

    python -m bench.insights

On the organisation of ``bench.dataset`` with its two years of use
(``bench.usage``: active days, page views, searches, reads; rolled up as beat
leaves them), computes the dashboard of a coach for three scopes (the
organisation, its biggest department, its biggest group) and two periods (28
and 365 days), ``BENCH_INSIGHTS_REPEAT`` (default 30) times each after a
warm-up, and prints one JSON line: per case the p50 and p95 of the whole
dashboard's time, the number of SQL queries, and each figure's median (which
one to look at first when a case is slow).

The dashboard is what its view asks of ``insights.figures``: ``too_small``,
``participation``, ``weekly``, ``groups``, ``news``, ``page_use`` and
``search_gaps``, in this process. Where the view answers (``/insights/``), its
whole request through Django's test client is timed too, as ``bench.pages``
times the feeds: figures, template and middleware. The figures are computed as
the view computes them, within one ``figures.one_view`` (what several figures
count of today is counted once); a process keeps the rolled-up days it decoded,
and sums over them, by the days' versions, so ``first_view_ms`` times the view
of a process that holds none yet (just started, or beat rolled up anew every
day the view reads).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from bench import dataset

REPEAT = int(os.environ.get("BENCH_INSIGHTS_REPEAT", "30"))
PERIODS = (28, 365)
TARGET_P95_MS = 300


def main() -> None:
    print(json.dumps(run()))


def run() -> dict:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    marker = dataset.ensure(log=lambda text: print(text, file=sys.stderr))
    from communities.models import Person

    coach = Person.objects.filter(is_active=True, is_coach=True).order_by("pk").first()
    if coach is None:  # the dataset makes a few; in case it made none
        coach = Person.objects.filter(is_active=True).order_by("pk").first()
        Person.objects.filter(pk=coach.pk).update(is_coach=True)
        coach.refresh_from_db()
    load_before = os.getloadavg()[0]
    client = logged_in(coach)
    cases = {}
    for label, scope in scopes(coach).items():
        for period in PERIODS:
            cases[f"{label}, {period} days"] = measure(coach, scope, period, client)
    usage = marker.get("usage", {})
    counts = {
        k: v for k, v in marker.items() if isinstance(v, int) and k not in ("version", "seed")
    }
    return {
        "dataset": counts,
        "usage": {k: v for k, v in usage.items() if k != "version"},
        "coach": coach.username,
        "repeat": REPEAT,
        "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cases": cases,
    }


def scopes(coach) -> dict:
    """The organisation, the department with the most people, the biggest group
    (not organisation news, which is everyone)."""
    from django.db.models import Count

    from communities.models import Group, Person
    from insights import figures

    department = (
        Person.objects.filter(is_active=True)
        .exclude(department="")
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by("-n", "department")[0][0]
    )
    group = (
        Group.objects.filter(is_news=False)
        .annotate(size=Count("memberships"))
        .order_by("-size", "pk")
        .first()
    )
    found = {
        "organisation": figures.scope_of(coach, "organisation"),
        f"department {department}": figures.scope_of(coach, f"department:{department}"),
        f"group {group.name}": figures.scope_of(coach, f"group:{group.pk}"),
    }
    assert all(found.values()), found
    return found


def dashboard(coach, scope, period) -> dict[str, float]:
    """Every figure the dashboard shows, each one's time in ms."""
    from insights import figures

    steps = {
        "too_small": lambda: figures.too_small(scope),
        "participation": lambda: figures.participation(scope, period),
        "weekly": lambda: figures.weekly(scope),
        "groups": lambda: figures.groups(coach, scope, period),
        "news": lambda: figures.news(coach, scope, period),
        "page_use": lambda: figures.page_use(coach, period),
        "search_gaps": lambda: figures.search_gaps(period),
    }
    times = {}
    with figures.one_view():  # as the view computes them
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            times[name] = (time.perf_counter() - started) * 1000
    return times


def measure(coach, scope, period: int, client) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dashboard(coach, scope, period)  # warm-up
    totals: list[float] = []
    per_figure: dict[str, list[float]] = {}
    for _ in range(REPEAT):
        times = dashboard(coach, scope, period)
        totals.append(sum(times.values()))
        for name, ms in times.items():
            per_figure.setdefault(name, []).append(ms)
    with CaptureQueriesContext(connection) as captured:
        dashboard(coach, scope, period)
    found = {
        "p50_ms": percentile(totals, 50),
        "p95_ms": percentile(totals, 95),
        "queries": len(captured),
        "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
        "figures_p50_ms": {name: percentile(ms, 50) for name, ms in per_figure.items()},
    }
    found["view"] = measure_view(client, f"/insights/?scope={scope.query}&period={period}")
    found["first_view_ms"] = first_view(client, f"/insights/?scope={scope.query}&period={period}")
    return found


def first_view(client, url: str) -> float | None:
    """The view in a process that has decoded no rolled-up day yet (just started, or
    the first view after a roll-up changed every day it reads): the median of three."""
    from insights import rollups

    timings = []
    for _ in range(3):
        rollups.forget_kept()
        started = time.perf_counter()
        if client.get(url).status_code != 200:
            return None
        timings.append((time.perf_counter() - started) * 1000)
    return percentile(timings, 50)


def measure_view(client, url: str) -> dict | None:
    """The dashboard's page through the test client, if the view answers; else None."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        if client.get(url).status_code != 200:  # also the warm-up
            return None
    except NotImplementedError:
        return None
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "url": url,
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "queries": len(captured),
    }


def logged_in(person):
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(person)
    return client


def percentile(values: list[float], p: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


if __name__ == "__main__":
    main()
