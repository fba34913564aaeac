"""The insights app's work for the worker and beat."""

from __future__ import annotations

import time

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from insights import actions, emails, rollups, signals
from insights.models import NudgeRecipient
from notices import queries as notice_queries
from notices.models import Delivery
from notices.tasks import send_once


@shared_task(acks_late=True)
def roll_up() -> int:
    """Roll up every finished day not rolled up yet (and yesterday again, for what
    came in late), open and close the pages to write; safe to run twice."""
    days = rollups.roll_up_days()
    actions.update_search_gaps()
    return days


@shared_task(acks_late=True)
def measure_nudges() -> int:
    """Hourly (beat): who did what their nudge asked, within its 14 days."""
    return actions.measure_nudges()


@receiver(signals.nudge_sent, dispatch_uid="insights:deliver_nudge")
def queue_nudge(sender, nudge_id: int, **kwargs) -> None:
    deliver_nudge.delay(nudge_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def deliver_nudge(self, nudge_id: int) -> int:
    """Each recipient (not the holdout) gets the nudge's notification and its email,
    each exactly once however often this task runs (a redelivery, a retry): the
    notification once by ``sent_at``, the email once by its key (``send_once``).
    The progress is counted after each, for the live bar. Returns how many."""
    pause = settings.INSIGHTS_NUDGE_PAUSE_SECONDS
    recipients = list(
        NudgeRecipient.objects.filter(nudge_id=nudge_id, holdout=False)
        .select_related("person", "nudge")
        .order_by("pk")
    )
    for recipient in recipients:
        if recipient.sent_at is not None and recipient.emailed_at is not None:
            continue
        actions.notify_recipient(recipient.pk)
        email_once(self, recipient)
        actions.note_progress(nudge_id)
        if pause:
            time.sleep(pause)
    actions.note_progress(nudge_id, finished=True)
    return len(recipients)


def email_once(task, recipient: NudgeRecipient) -> str:
    """The nudge's email to one recipient, if they want the coach's messages by email."""
    if recipient.emailed_at is not None:
        return "sent"
    prefs = notice_queries.preferences(recipient.person)
    if notice_queries.delivery_of(actions.NUDGE, prefs) != Delivery.EMAIL:
        return "not wanted"
    return send_once(
        task,
        f"nudge:{recipient.nudge_id}:{recipient.person_id}",
        recipient.person_id,
        lambda: emails.nudge_email(recipient),
        settled=lambda: actions.mark_emailed(recipient.pk),
    )
