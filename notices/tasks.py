"""Celery tasks: emails at once, digests, and the sweep for emails held back.

Tasks take ids, never objects, and read the database when they run. Every
email is sent under a key (``EmailDelivery``): the task locks that row while
it talks to the SMTP server and marks it sent in the same transaction, so a
task delivered again (Redis redelivers after a worker died; beat and the
sweep may queue one twice) finds it sent and sends nothing. A worker that
dies mid-send leaves the row unsent and unlocked, and the redelivered task
sends it. The one window no SMTP client can close is between the server
accepting the message and the commit: a death exactly there sends it twice.

A failing SMTP server is retried with growing waits; what still fails is
marked failed, with its error, and logged: the dead-letter log, in the admin.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from notices import actions, emails, queries, signals
from notices.models import DigestFrequency, EmailDelivery

logger = logging.getLogger(__name__)

SENT, SKIPPED, FAILED = (
    EmailDelivery.Status.SENT,
    EmailDelivery.Status.SKIPPED,
    EmailDelivery.Status.FAILED,
)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def email_notice(self, notification_id: int) -> str:
    """Email one notification now, unless it is quiet for the recipient: the sweep
    (``send_waiting_emails``) sends it when their quiet hours are over."""
    notice = queries.notice_for_email(notification_id)
    if notice is None:
        return "gone"
    prefs = queries.preferences_of([notice.recipient_id])[notice.recipient_id]
    if prefs.is_quiet():
        return "quiet"
    return send_once(
        self,
        f"notice:{notification_id}",
        notice.recipient_id,
        lambda: emails.notice_email(notification_id),
        settled=lambda: actions.mark_emailed(notification_id),
    )


@receiver(signals.emails_wanted)
def queue_emails(sender, notification_ids: list[int], **kwargs) -> None:
    """Queue the emails wanted at once; if the broker is away, the sweep
    (``send_waiting_emails``) sends them later."""
    for notification_id in notification_ids:
        try:
            email_notice.delay(notification_id)
        except Exception:
            logger.exception("could not queue the email of notification %s", notification_id)


@shared_task(acks_late=True)
def send_waiting_emails() -> int:
    """Every ``EMAIL_SWEEP_SECONDS`` (beat): queue the emails wanted at once that have
    not gone yet."""
    now = timezone.now()
    waiting = queries.waiting_for_email(since=now - timedelta(days=1))
    recent = now - timedelta(minutes=2)  # a fresh one still has its own task in the queue
    queued = 0
    for notification_id, at in waiting:
        if at < recent:
            email_notice.delay(notification_id)
            queued += 1
    return queued


@shared_task(acks_late=True)
def send_digests(frequency: str) -> int:
    """Beat, at ``DIGEST_AT`` (daily; weekly: on Monday): a task per batch of people."""
    if frequency not in PERIODS:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    period = timezone.localdate().isoformat()
    people = queries.digest_recipients(frequency, settings.DIGEST_INACTIVE_DAYS)
    size = settings.DIGEST_BATCH
    for start in range(0, len(people), size):
        send_digest_batch.delay(people[start : start + size], frequency, period)
    return len(people)


PERIODS = {DigestFrequency.DAILY, DigestFrequency.WEEKLY}


def digest_key(person_id: int, frequency: str, period: str) -> str:
    return f"digest:{person_id}:{frequency}:{period}"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_digest_batch(person_ids: list[int], frequency: str, period: str) -> dict[str, int]:
    """Digests for a batch of people: one task and one SMTP connection for all of
    them, each digest sent at most once (``EmailDelivery``, as ``send_once``).

    When the server fails for someone, the batch stops there: that person and
    those after them go to ``send_digest`` one by one, which retries with backoff;
    a refusal (5xx) fails that one digest only. Counts by outcome."""
    keys = {person_id: digest_key(person_id, frequency, period) for person_id in person_ids}
    EmailDelivery.objects.bulk_create(
        [EmailDelivery(key=key, person_id=person_id) for person_id, key in keys.items()],
        ignore_conflicts=True,
    )
    pending = dict(
        EmailDelivery.objects.filter(
            key__in=keys.values(), status=EmailDelivery.Status.PENDING
        ).values_list("key", "pk")
    )
    outcome: Counter[str] = Counter()
    # What the batch's digests share is read once (emails.Digests); each is built
    # under its lock, when it is sent.
    digests = emails.Digests.of([pid for pid in person_ids if keys[pid] in pending], frequency)
    connection = get_connection()
    try:
        for index, person_id in enumerate(person_ids):
            delivery_pk = pending.get(keys[person_id])
            if delivery_pk is None:
                outcome["done before"] += 1
                continue
            try:
                status = deliver(delivery_pk, lambda pid=person_id: digests.email(pid), connection)
            except Exception as error:
                attempt_failed(delivery_pk, error)
                if not is_temporary(error):
                    status = failed_for_good(delivery_pk, keys[person_id], 1, error)
                else:
                    for later in person_ids[index:]:
                        send_digest.apply_async((later, frequency, period), countdown=backoff(0))
                    outcome["handed on"] += len(person_ids) - index
                    break
            outcome[status] += 1
    finally:
        connection.close()
    return dict(outcome)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_digest(self, person_id: int, frequency: str, period: str) -> str:
    """One person's digest for one period (a date): sent at most once, however often queued."""
    return send_once(
        self,
        digest_key(person_id, frequency, period),
        person_id,
        lambda: _digest_email(person_id, frequency),
    )


def _digest_email(person_id: int, frequency: str):
    return emails.Digests.of([person_id], frequency).email(person_id)


# Sending once ------------------------------------------------------------------------


def send_once(
    task,
    key: str,
    person_id: int,
    build: Callable[[], EmailMessage | None],
    settled: Callable[[], None] | None = None,
) -> str:
    """Send the email ``build`` makes, once under ``key``; a failing server is retried.

    ``settled`` runs once the email is sent, not needed, or failed for good, so
    the sweep stops offering it."""
    delivery, _created = EmailDelivery.objects.get_or_create(
        key=key, defaults={"person_id": person_id}
    )
    if delivery.status != EmailDelivery.Status.PENDING:
        return delivery.status
    try:
        return deliver(delivery.pk, build, settled=settled)
    except Exception as error:
        attempt_failed(delivery.pk, error)
        retries = task.request.retries
        if is_temporary(error) and retries < settings.EMAIL_RETRIES:
            raise task.retry(exc=error, countdown=backoff(retries)) from error
        status = failed_for_good(delivery.pk, key, retries + 1, error)
        if settled is not None:
            settled()
        return status


def deliver(
    delivery_pk: int,
    build: Callable[[], EmailMessage | None],
    connection=None,
    settled: Callable[[], None] | None = None,
) -> str:
    """Build and send one pending email, its row locked meanwhile; its status after.
    ``connection``: an SMTP connection kept open across emails (a batch's)."""
    with transaction.atomic():
        # Locked while sending: another run of this task skips it; a worker
        # that dies lets go of the lock with its connection.
        locked = (
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_pk, status=EmailDelivery.Status.PENDING)
            .first()
        )
        if locked is None:
            return "busy"
        message = build()
        locked.attempts += 1
        if message is None:
            locked.status = SKIPPED
        else:
            if connection is not None:
                connection.open()  # once; a no-op while it stays open
                message.connection = connection
            message.send()
            locked.status, locked.sent_at = SENT, timezone.now()
        locked.save(update_fields=["status", "sent_at", "attempts"])
        if settled is not None:
            settled()
        return locked.status


def attempt_failed(delivery_pk: int, error: Exception) -> None:
    EmailDelivery.objects.filter(pk=delivery_pk).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def failed_for_good(delivery_pk: int, key: str, attempts: int, error: Exception) -> str:
    """The dead-letter log: marked failed, with its error, and logged."""
    EmailDelivery.objects.filter(pk=delivery_pk).update(status=FAILED)
    logger.error("email %s failed for good after %s attempts: %s", key, attempts, error)
    return FAILED


def is_temporary(error: Exception) -> bool:
    """Worth trying again: the server was away or said "try later" (4xx). A refusal
    (5xx: no such mailbox) or a fault of ours is not."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(error, smtplib.SMTPException | OSError)


def backoff(retries: int) -> int:
    return get_exponential_backoff_interval(
        factor=settings.EMAIL_RETRY_BACKOFF,
        retries=retries,
        maximum=settings.EMAIL_RETRY_BACKOFF_MAX,
        full_jitter=False,
    )
