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
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities import emails, notices
from communities.models import DigestFrequency, EmailDelivery, Person

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
    notice = notices.notice_for_email(notification_id)
    if notice is None:
        return "gone"
    prefs = notices.preferences_of([notice.recipient_id])[notice.recipient_id]
    if prefs.is_quiet():
        return "quiet"
    return send_once(
        self,
        f"notice:{notification_id}",
        notice.recipient_id,
        lambda: emails.notice_email(notification_id),
        settled=lambda: notices.mark_emailed(notification_id),
    )


@shared_task(acks_late=True)
def send_waiting_emails() -> int:
    """Every five minutes (beat): queue the emails wanted at once that have not gone yet."""
    now = timezone.now()
    waiting = notices.waiting_for_email(since=now - timedelta(days=1))
    recent = now - timedelta(minutes=2)  # a fresh one still has its own task in the queue
    queued = 0
    for notification_id, at in waiting:
        if at < recent:
            email_notice.delay(notification_id)
            queued += 1
    return queued


@shared_task(acks_late=True)
def send_digests(frequency: str) -> int:
    """Beat, at 07:00 (daily) or Monday 07:00 (weekly): a digest task per person."""
    if frequency not in PERIODS:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    period = timezone.localdate().isoformat()
    people = notices.digest_recipients(frequency, settings.DIGEST_INACTIVE_DAYS)
    for person_id in people:
        send_digest.delay(person_id, frequency, period)
    return len(people)


PERIODS = {DigestFrequency.DAILY, DigestFrequency.WEEKLY}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_digest(self, person_id: int, frequency: str, period: str) -> str:
    """One person's digest for one period (a date): sent at most once, however often queued."""
    return send_once(
        self,
        f"digest:{person_id}:{frequency}:{period}",
        person_id,
        lambda: _digest_email(person_id, frequency),
    )


def _digest_email(person_id: int, frequency: str):
    person = Person.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if person is None:
        return None
    prefs = notices.preferences(person)
    if prefs.digest_frequency != frequency:
        return None
    last = (
        EmailDelivery.objects.filter(person=person, key__startswith="digest:", status=SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    digest = emails.build_digest(
        person, frequency, emails.digest_since(person, frequency, last), prefs
    )
    if digest.is_empty:
        return None
    return emails.digest_email(digest, prefs)


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
        with transaction.atomic():
            # Locked while sending: another run of this task skips it; a worker
            # that dies lets go of the lock with its connection.
            locked = (
                EmailDelivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery.pk, status=EmailDelivery.Status.PENDING)
                .first()
            )
            if locked is None:
                return "busy"
            message = build()
            locked.attempts += 1
            if message is None:
                locked.status = SKIPPED
            else:
                message.send()
                locked.status, locked.sent_at = SENT, timezone.now()
            locked.save(update_fields=["status", "sent_at", "attempts"])
            if settled is not None:
                settled()
            return locked.status
    except Exception as error:
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        retries = task.request.retries
        if is_temporary(error) and retries < settings.EMAIL_RETRIES:
            raise task.retry(exc=error, countdown=backoff(retries)) from error
        EmailDelivery.objects.filter(pk=delivery.pk).update(status=FAILED)
        if settled is not None:
            settled()
        logger.error("email %s failed for good after %s attempts: %s", key, retries + 1, error)
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
