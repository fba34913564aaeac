"""The worker's part: preparing a download, and deleting those past their time.

A task takes the download's id and reads the database when it runs. Preparing is
idempotent: Redis may deliver the task again (after a worker died), and a run that
finds the download ready does nothing. A folder that fails for now (a full disk)
is tried again with growing waits; what still fails is marked failed, so the person
may ask again.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.dispatch import receiver

from notices.tasks import backoff
from privacy import actions, signals

logger = logging.getLogger(__name__)

RETRIES = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=RETRIES)
def prepare_export(self, export_id: int) -> str:
    try:
        export = actions.prepare_export(export_id)
    except OSError as error:
        if self.request.retries < RETRIES:
            raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
        actions.export_failed(export_id)
        raise
    except Exception:
        actions.export_failed(export_id)
        raise
    return "ready" if export is not None else "done before"


@receiver(signals.export_requested)
def queue_export(sender, export_id: int, **kwargs) -> None:
    """Hand the download to the worker; if the broker is away, the request is
    lost after a while (``queries.PREPARING_AT_MOST``) and the person may ask again."""
    try:
        prepare_export.delay(export_id)
    except Exception:
        logger.exception("could not queue data download %s", export_id)


@shared_task(acks_late=True)
def delete_expired_exports() -> int:
    """Beat, hourly: downloads past ``DATA_EXPORT_DAYS`` go, their files too."""
    return actions.delete_expired_exports()
