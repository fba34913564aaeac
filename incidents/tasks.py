"""The incidents' periodic work, run by Celery beat (``settings.CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError

from incidents import actions, topdesk

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def poll_service_desk() -> int:
    """Read TOPdesk's major incidents (every minute when ``TOPDESK_URL`` is set).
    A failure is logged and changes nothing; the next run tries again (no retries
    piling up behind a desk that is down). Returns how many changed, -1 on failure."""
    if not settings.TOPDESK_URL:
        return 0
    try:
        result = topdesk.poll()
    except (topdesk.ServiceDeskError, ValidationError) as error:
        logger.warning("Major incidents not read from TOPdesk: %s", error)
        return -1
    return result.changed + result.resolved


@shared_task(ignore_result=True)
def expire_resolved() -> bool:
    """Open home pages show the widget again when a resolved incident's time is up
    (pages drop it on time themselves; this is for those whose timer missed it)."""
    return actions.expire_resolved()
