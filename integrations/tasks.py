"""Celery tasks: outgoing webhooks, signed and retried.

``deliver`` takes a delivery's id and reads the database when it runs. It sends
only a pending delivery whose try is due, with its row locked while it talks to
the receiver, and records the outcome in the same transaction: a task delivered
again (Redis redelivers after a worker died; the sweep may queue one whose retry
is also waiting in the worker) finds it delivered, or not yet due, and sends
nothing. A failed try is retried with Celery's countdown; if that is lost (a
worker restarted), beat's sweep (``send_due_deliveries``) sends it when due.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from integrations import actions, queries, signing
from integrations.models import Delivery, check_destination, host_of

logger = logging.getLogger(__name__)

# A delivery whose try is due within this is sent (the countdown may fire early by a hair).
EARLY = timedelta(seconds=1)
# A due delivery younger than this still has its own task waiting; the sweep leaves it.
SWEEP_GRACE = timedelta(minutes=1)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: the allowed host is the only one."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def queue(delivery_ids: list[int], countdown: float = 0) -> None:
    """Hand deliveries to the worker; one that cannot be queued is left to the sweep."""
    for delivery_id in delivery_ids:
        try:
            deliver.apply_async((delivery_id,), countdown=countdown)
        except Exception:
            logger.exception("could not queue webhook delivery %s", delivery_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery once; on failure, schedule its next try. Its status after."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription__integration__account")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "done or busy"
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now() + EARLY:
            return "not due"
        subscription = delivery.subscription
        if not subscription.active or not subscription.integration.is_active:
            actions.mark_attempt_failed(
                delivery, "the webhook or its integration is off", final=True
            )
            return delivery.status
        try:
            check_destination(subscription.url)  # again: the allowed hosts may have changed
        except ValidationError:
            actions.mark_attempt_failed(
                delivery, f"host {host_of(subscription.url)} is not allowed", final=True
            )
            logger.warning("webhook delivery %s refused: host not allowed", delivery.pk)
            return delivery.status
        status_code, error = _post(delivery)
        if error is None:
            actions.mark_delivered(delivery, status_code or 200)
            return delivery.status
        actions.mark_attempt_failed(delivery, error, status_code)
        if delivery.next_attempt_at is not None:
            wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
            transaction.on_commit(lambda: queue([delivery_id], countdown=max(wait, 0)))
        else:
            logger.error(
                "webhook delivery %s failed for good after %s attempts: %s",
                delivery.pk,
                delivery.attempts,
                error,
            )
        return delivery.status


def _post(delivery: Delivery) -> tuple[int | None, str | None]:
    """POST the delivery; (status code, None) on a 2xx answer, else (code, error)."""
    body = json.dumps(
        {"event": delivery.event, "delivery": delivery.pk, **delivery.payload},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    # http(s) only, to an allowed host: the caller ran check_destination just before.
    request = urllib.request.Request(  # noqa: S310
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Kring",
            signing.HEADER: signing.sign(delivery.subscription.secret, body),
            "X-Kring-Event": delivery.event,
            "X-Kring-Delivery": str(delivery.pk),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {getattr(error, 'reason', error)}"
    if 200 <= code < 300:
        return code, None
    return code, f"HTTP {code}"


@shared_task(acks_late=True)
def send_due_deliveries() -> int:
    """Every minute (beat): queue the deliveries whose try is due and whose own task
    was lost; how many."""
    due = list(
        queries.due_deliveries(before=timezone.now() - SWEEP_GRACE).values_list("pk", flat=True)[
            :500
        ]
    )
    queue(due)
    return len(due)
