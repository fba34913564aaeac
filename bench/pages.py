"""Server time of the feed pages at organisation scale.

    python -m bench.pages

On the organisation of ``bench.dataset`` (built first if it is missing: a
million posts), requests the feed pages in this process through Django's test
client, as a sample of different people, and prints one JSON line: per page
the p50 and p95 of the time around ``client.get`` (the server's work, without
the network or process start-up), the number of SQL queries, and the median
time those queries took as Django saw it (``sql_ms_p50``, from a separate
round that records them). The machine's load average before and after is
printed too: other processes slow every figure.

The pages:

- ``home``: the start page (``/``), and ``home_deep``: its older-posts
  fragment (``/?before=<id>`` over htmx) about 50,000 posts into that
  person's timeline; ``home_newer``: the catch-up fetch of a page that
  reconnects having missed five posts.
- ``group_big`` / ``group_big_deep``: the feed of the biggest open group, first
  page and 50,000 posts in; ``group_typical``: an open group of median size.
- ``tag`` / ``tag_deep``: the most used #tag's page, first page and 10,000
  posts in.

``BENCH_PAGES_VIEWERS`` (default 50) people each request every page
``BENCH_PAGES_REPEAT`` (default 3) times, after a warm-up round.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass

from bench import dataset

VIEWERS = int(os.environ.get("BENCH_PAGES_VIEWERS", "50"))
REPEAT = int(os.environ.get("BENCH_PAGES_REPEAT", "3"))
DEEP = 50_000  # posts into the home timeline and the big group's feed for the "deep" pages
TAG_DEEP = 10_000  # the most used tag has about 36,000 posts
MISSED = 5  # posts a reconnecting page missed
HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Page:
    """A page as one viewer requests it."""

    url: str
    headers: dict


def main() -> None:
    print(json.dumps(run()))


def run() -> dict:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The test client's host. Not setup_test_environment(): its instrumented
    # template rendering would add to every page's time.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    marker = dataset.ensure(log=lambda text: print(text, file=sys.stderr))
    load_before = os.getloadavg()[0]
    viewers = sample_viewers()
    pages = {name: [page_for(viewer) for viewer in viewers] for name, page_for in plan().items()}
    clients = {viewer.pk: logged_in(viewer) for viewer in viewers}

    timings: dict[str, list[float]] = {name: [] for name in pages}
    for round_number in range(REPEAT + 1):  # round 0 warms up
        for index, viewer in enumerate(viewers):
            for name, per_viewer in pages.items():
                page = per_viewer[index]
                started = time.perf_counter()
                response = clients[viewer.pk].get(page.url, **page.headers)
                elapsed = time.perf_counter() - started
                if response.status_code not in (200, 204):
                    raise RuntimeError(f"{page.url} gave {response.status_code}")
                if round_number:
                    timings[name].append(elapsed * 1000)

    figures = {}
    for name, per_viewer in pages.items():
        queries, sql_ms = count_queries(clients, viewers, per_viewer)
        figures[name] = {
            "p50_ms": percentile(timings[name], 50),
            "p95_ms": percentile(timings[name], 95),
            "queries": queries,
            "sql_ms_p50": percentile(sql_ms, 50),
            "example": per_viewer[0].url,
        }
    counts = {
        k: v for k, v in marker.items() if isinstance(v, int) and k not in ("version", "seed")
    }
    return {
        "dataset": counts,
        "viewers": len(viewers),
        "repeat": REPEAT,
        "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "pages": figures,
    }


def sample_viewers() -> list:
    from communities.models import Person

    ids = sorted(Person.objects.filter(is_active=True).values_list("id", flat=True))
    chosen = random.Random(dataset.SEED).sample(ids, VIEWERS)  # noqa: S311 - not for secrets
    return list(Person.objects.filter(pk__in=chosen).order_by("pk"))


def plan() -> dict:
    """Name -> a function giving that page's URL for one viewer."""
    from django.db.models import Count

    from communities import queries
    from communities.models import Group, Tag

    open_groups = Group.objects.filter(privacy=Group.Privacy.OPEN, is_news=False).annotate(
        size=Count("memberships")
    )
    big = open_groups.order_by("-size", "pk").first()
    sizes = list(open_groups.order_by("size", "pk"))
    typical = sizes[len(sizes) // 2]
    tag = (
        Tag.objects.annotate(uses=Count("posts"))
        .order_by("-uses", "pk")
        .values_list("name", flat=True)
    )[0]

    def nth_newest(posts, n: int) -> int:
        """The id of the n-th newest post, or of the oldest if there are fewer."""
        ids = posts.order_by("-id").values_list("id", flat=True)
        return (list(ids[n : n + 1]) or list(ids.reverse()[:1]))[0]

    def home(viewer) -> Page:
        return Page("/", {})

    def home_deep(viewer) -> Page:
        return Page(f"/?before={nth_newest(queries.home_posts(viewer), DEEP)}", HTMX)

    def home_newer(viewer) -> Page:
        after = nth_newest(queries.home_posts(viewer), MISSED)
        return Page(f"/home/newer/?after={after}", HTMX)

    def group_big(viewer) -> Page:
        return Page(f"/groups/{big.slug}/", {})

    def group_big_deep(viewer) -> Page:
        before = nth_newest(queries.group_posts(viewer, big), DEEP)
        return Page(f"/groups/{big.slug}/?before={before}", HTMX)

    def group_typical(viewer) -> Page:
        return Page(f"/groups/{typical.slug}/", {})

    def tag_page(viewer) -> Page:
        return Page(f"/tags/{tag}/", {})

    def tag_deep(viewer) -> Page:
        before = nth_newest(queries.tag_posts(viewer, tag), TAG_DEEP)
        return Page(f"/tags/{tag}/?before={before}", HTMX)

    return {
        "home": home,
        "home_deep": home_deep,
        "home_newer": home_newer,
        "group_big": group_big,
        "group_big_deep": group_big_deep,
        "group_typical": group_typical,
        "tag": tag_page,
        "tag_deep": tag_deep,
    }


def logged_in(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def count_queries(clients, viewers, per_viewer: list[Page]) -> tuple[int, list[float]]:
    """The most queries any viewer's request ran, and each request's time in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, sql_ms = [], []
    for viewer, page in zip(viewers, per_viewer, strict=True):
        with CaptureQueriesContext(connection) as captured:
            clients[viewer.pk].get(page.url, **page.headers)
        counts.append(len(captured))
        sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return max(counts), sql_ms


def percentile(values: list[float], p: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


if __name__ == "__main__":
    main()
