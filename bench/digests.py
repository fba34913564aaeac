"""Daily digests at organisation scale: one Celery worker, real SMTP.

    python -m bench.digests

On the organisation of ``bench.dataset`` (10,000 people, a million posts) every
active person gets an address and a recent login. One real
``celery -A project worker`` on Redis database 13 takes the beat task
``send_digests("daily")``, which queues a task per batch of people
(``DIGEST_BATCH``); each builds every digest of its batch through the
visibility rule and sends them over one connection to an SMTP server
(aiosmtpd, in a thread of this process) that counts what it receives. Timed from
queueing the beat task until every digest has settled: no delivery record
pending, and as many emails received as recorded sent.

Everyone gets a day to digest; ``BENCH_DIGEST_PEOPLE`` of them (2,500 by default, a
seeded random sample plus the people whose queries are counted; 0 for all) keep
daily digests and the others none, so the run stays short: digests are independent
tasks on one queue, so the rate over a few thousand is the rate over ten thousand.

The worker is what ``make worker`` starts: the prefork pool, as many children
as the machine has cores (2 here), PostgreSQL on the same two cores.

Also counted, in this process, the queries of one digest (the function the
task calls) for people who follow the least, the most, and who have the most
unread mentions: the count must not grow with what a digest holds.

To make a day to digest, the dataset is adjusted in place, idempotently and
without touching what ``bench.pages`` relies on: addresses, logins and daily
digests for everyone (then narrowed, as above); if its newest post is over 12
hours old, every post is moved forward in time in one UPDATE so the last day
holds a day's posts; one unread mention per post of the last day in an open
group (and a few people mentioned in many), replacing those of an earlier run;
and the delivery records of earlier runs are deleted (a digest goes once per
person and day).

Prints one JSON line. Every wait is bounded (``DEADLINE_S`` for the digests);
the worker is always stopped.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import dataset
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_DIGESTS_REDIS_URL", "redis://127.0.0.1:6379/13")
SITE_URL = "https://kring.example.org"  # what the digests' links start with
DEADLINE_S = 600  # for every digest to settle
PEOPLE = int(os.environ.get("BENCH_DIGEST_PEOPLE", "2500"))  # daily digests; 0: everyone
EDGE = 7  # people at each edge (fewest and most follows, most mentions) whose queries are counted
TIMED = 100  # people whose digest is timed in this process
MENTIONED_OFTEN = 5  # people 1 to 5 are mentioned in every tenth post of the day
BENCH_NOTICE = '{"bench": "digests"}'  # marks the mentions this benchmark makes


class Mailbox:
    """An aiosmtpd handler that counts the messages and bytes it accepts."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.bytes += len(envelope.content)
        return "250 Message accepted for delivery"


# Preparing the dataset ----------------------------------------------------------------


def prepare() -> dict:
    """A day to digest for everyone; no digest sent yet today."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from communities.models import Person
    from notices.models import EmailDelivery, NotificationPreferences

    now = timezone.now()
    stale = now - timedelta(days=settings.DIGEST_INACTIVE_DAYS // 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communities_person SET email = username || '@kring.example' "
            "WHERE is_active AND email = ''"
        )
        cursor.execute(
            "UPDATE communities_person SET last_login = %s "
            "WHERE is_active AND (last_login IS NULL OR last_login < %s)",
            [now - timedelta(days=1), stale],
        )
    have = NotificationPreferences.objects.values("person_id")
    NotificationPreferences.objects.bulk_create(
        NotificationPreferences(person_id=pk, digest_frequency="daily")
        for pk in Person.objects.exclude(pk__in=have).values_list("pk", flat=True)
    )
    NotificationPreferences.objects.exclude(digest_frequency="daily").update(
        digest_frequency="daily"
    )
    EmailDelivery.objects.filter(key__startswith="digest:").delete()
    shifted_h = shift_posts()
    figures = {
        "posts_shifted_forward_h": shifted_h,
        "posts_in_last_day": posts_since(timezone.now() - timedelta(days=1)),
        "unread_mentions": add_mentions(),
    }
    with connection.cursor() as cursor:  # the rows of the last run: gone before timing
        for table in ("communities_emaildelivery", "notifications_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return figures


def narrow(people: int) -> None:
    """Daily digests for ``people`` of them (a seeded sample, with those whose queries
    are counted); the others choose none. 0: everyone keeps them."""
    from communities.models import Person
    from notices.models import DigestFrequency, NotificationPreferences

    if not people:
        return
    ids = sorted(Person.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = set(random.Random(dataset.SEED).sample(ids, min(people, len(ids))))  # noqa: S311
    chosen.update(sample())
    NotificationPreferences.objects.exclude(person_id__in=chosen).update(
        digest_frequency=DigestFrequency.NEVER
    )


def posts_since(moment) -> int:
    from communities.models import Post

    return Post.objects.filter(created_at__gte=moment).count()


def shift_posts() -> float:
    """Move every post forward so the newest is minutes old; hours moved (0: not needed)."""
    from django.db import connection
    from django.utils import timezone

    from communities.models import Post

    newest = Post.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None or timezone.now() - newest <= timedelta(hours=12):
        return 0.0
    shift = timezone.now() - newest - timedelta(minutes=5)
    print(f"moving every post {shift} forward in time", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE communities_post SET created_at = created_at + %s", [shift])
        # A million dead rows: gone now, not when autovacuum gets to them during bench.pages.
        cursor.execute("VACUUM ANALYZE communities_post")
    return round(shift.total_seconds() / 3600, 1)


def add_mentions() -> int:
    """Unread mentions of the last day: one per post in an open group (readable by all),
    of someone picked by the post's id, and people 1 to ``MENTIONED_OFTEN`` in every
    tenth post. Replaces this benchmark's earlier ones; returns how many there are."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from communities.models import Person, Post

    person_type = ContentType.objects.get_for_model(Person).pk
    post_type = ContentType.objects.get_for_model(Post).pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_notification WHERE data @> %s", [BENCH_NOTICE])
        cursor.execute(
            "INSERT INTO notifications_notification (level, unread, actor_content_type_id, "
            "actor_object_id, verb, target_content_type_id, target_object_id, timestamp, "
            "public, deleted, emailed, recipient_id, data) "
            "SELECT 'info', true, %(person)s, p.author_id::text, 'mention', %(post)s, "
            "p.id::text, p.created_at, true, false, true, r.id, %(mark)s "
            "FROM communities_post p "
            "JOIN communities_group g ON g.id = p.group_id AND g.privacy = 'open' "
            "CROSS JOIN LATERAL (SELECT p.id * 7919 %% 10000 + 1 "
            "  UNION ALL SELECT p.id / 10 %% %(often)s + 1 WHERE p.id %% 10 = 0) AS r(id) "
            "WHERE p.created_at >= %(since)s AND p.deleted_at IS NULL AND r.id <> p.author_id",
            {
                "person": person_type,
                "post": post_type,
                "mark": BENCH_NOTICE,
                "often": MENTIONED_OFTEN,
                "since": timezone.now() - timedelta(days=1),
            },
        )
        added = cursor.rowcount
        cursor.execute("ANALYZE notifications_notification")
    return added


# Measuring in this process ---------------------------------------------------------


def sample() -> list[int]:
    """People who follow the fewest and the most, and who have the most unread mentions."""
    from django.db.models import Count, Q

    from communities.models import Person

    people = Person.objects.filter(is_active=True).exclude(email="")
    by_follows = list(
        people.annotate(n=Count("follows")).order_by("n", "pk").values_list("pk", flat=True)
    )
    mentioned = Count("notifications", filter=Q(notifications__unread=True))
    by_mentions = list(
        people.annotate(n=mentioned).order_by("-n", "pk").values_list("pk", flat=True)[:EDGE]
    )
    return list(dict.fromkeys(by_follows[:EDGE] + by_follows[-EDGE:] + by_mentions))


def queries_per_digest() -> dict:
    """The queries of digests in a batch, as ``tasks.send_digest_batch`` makes them:
    those the batch reads once for all its digests, then each digest's own, for
    people with very different digests (the fewest and the most follows, the most
    unread mentions); and what their digests held. Locking and marking each
    digest's email (``tasks.deliver``) adds two queries to each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.models import Follow
    from notices import emails

    people = sample()
    emails.Digests.of(people[:1], "daily").email(people[0])  # content types, templates: once
    with CaptureQueriesContext(connection) as shared:
        digests = emails.Digests.of(people, "daily")
    rows = []
    for person_id in people:
        with CaptureQueriesContext(connection) as captured:
            message = digests.email(person_id)
        digest = digests.build(person_id)
        assert digest is not None
        rows.append(
            {
                "queries": len(captured),
                "follows": Follow.objects.filter(follower_id=person_id).count(),
                "notices": len(digest.notices) + digest.more_notices,
                "posts": len(digest.top_posts),
                "bytes": len(message.message().as_bytes()) if message else 0,
            }
        )

    def span(key: str, of=rows) -> list[int]:
        return [min(r[key] for r in of), max(r[key] for r in of)] if of else []

    with_notices = [r for r in rows if r["notices"]]
    return {
        "people": len(rows),
        "per_batch": len(shared),
        "ranked_posts": len(digests.ranking),
        "min": min(r["queries"] for r in rows),
        "max": max(r["queries"] for r in rows),
        "without_notices": span("queries", [r for r in rows if not r["notices"]]),
        "with_notices": span("queries", with_notices),
        "follows": span("follows"),
        "unread_notices": span("notices"),
        "top_posts": span("posts"),
        "mail_bytes": span("bytes"),
    }


def build_ms() -> dict:
    """Time to build and render one digest here, over random recipients in batches of
    ``DIGEST_BATCH`` as the worker makes them: the median per digest, and what each
    batch reads once for its digests (over the batches): the part of a digest's time
    in the worker that is the digest itself."""
    from django.conf import settings

    from notices import emails
    from notices import queries as notice_queries

    ids = notice_queries.digest_recipients("daily", settings.DIGEST_INACTIVE_DAYS)
    chosen = random.Random(dataset.SEED).sample(ids, TIMED)  # noqa: S311 - a sample
    emails.Digests.of(chosen[:1], "daily").email(chosen[0])  # content types, templates: once
    times, batch_reads = [], []
    for start in range(0, len(chosen), settings.DIGEST_BATCH):
        started = time.perf_counter()
        digests = emails.Digests.of(chosen[start : start + settings.DIGEST_BATCH], "daily")
        batch_reads.append((time.perf_counter() - started) * 1000)
        for person_id in chosen[start : start + settings.DIGEST_BATCH]:
            started = time.perf_counter()
            message = digests.email(person_id)
            if message is not None:
                message.message().as_bytes()
            times.append((time.perf_counter() - started) * 1000)
    return {
        "build_ms_p50_in_process": round(statistics.median(times), 1),
        "batch_read_ms_in_process": round(statistics.median(batch_reads), 1),
    }


# The worker --------------------------------------------------------------------------


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """``celery -A project worker`` (prefork, a child per core), in a process group of its own."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "project", "worker", "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(worker: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    """Until the worker answers a ping (its pool is up and it consumes the queue)."""
    from project.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"worker exited: {log_path.read_text()[-2000:]}")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError(f"worker not ready in {timeout} s: {log_path.read_text()[-2000:]}")


def stop_worker(worker: subprocess.Popen) -> None:
    """Warm shutdown of the whole group; killed if it takes more than 15 s."""
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def settled_by_status() -> dict[str, int]:
    """Today's digests by status; ``pending`` ones are queued or being sent."""
    from django.db.models import Count

    from notices.models import EmailDelivery

    return dict(
        EmailDelivery.objects.filter(key__startswith="digest:")
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )


def main() -> dict:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["REDIS_URL"] = REDIS_URL  # before Django reads its settings: the broker
    dataset.ensure(log=lambda text: print(text, file=sys.stderr))
    import redis
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from communities.models import Person
    from notices import queries as notice_queries
    from notices import tasks
    from notices.models import EmailDelivery

    figures = prepare()
    narrow(PEOPLE)
    figures["queries_per_digest"] = queries_per_digest()
    figures.update(build_ms())
    people = len(notice_queries.digest_recipients("daily", settings.DIGEST_INACTIVE_DAYS))
    redis.Redis.from_url(REDIS_URL).flushdb()

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": dataset.SCALE_DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "SITE_URL": SITE_URL,
    }
    log_path = Path(tempfile.mkdtemp(prefix="bench-digests-")) / "worker.log"
    worker = start_worker(env, log_path)
    try:
        wait_ready(worker, log_path)
        started = time.perf_counter()
        tasks.send_digests.delay("daily")
        while time.perf_counter() - started < DEADLINE_S and worker.poll() is None:
            by_status = settled_by_status()
            settled = sum(n for status, n in by_status.items() if status != "pending")
            sent = by_status.get(EmailDelivery.Status.SENT, 0)
            if settled >= people and mailbox.count == sent:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    finally:
        stop_worker(worker)
        smtp.stop()
    by_status = settled_by_status()
    settled = sum(n for status, n in by_status.items() if status != "pending")
    return {
        "people": people,
        "active_people": Person.objects.filter(is_active=True).count(),
        "sent": by_status.get(EmailDelivery.Status.SENT, 0),
        "skipped_empty": by_status.get(EmailDelivery.Status.SKIPPED, 0),
        "failed": by_status.get(EmailDelivery.Status.FAILED, 0),
        "unsettled": people - settled,
        "seconds": round(seconds, 1),
        "digests_per_s": round(settled / seconds, 1),
        "ms_per_digest": round(seconds * 1000 / max(settled, 1), 1),
        "smtp_received": mailbox.count,
        "mail_kib_avg": round(mailbox.bytes / max(mailbox.count, 1) / 1024, 1),
        "worker": f"celery prefork, {os.cpu_count()} children",
        "batch": settings.DIGEST_BATCH,
        **figures,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
