"""The audit trail's upkeep, scheduled by beat (project/settings.py)."""

import logging

from celery import shared_task

from audit import actions

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def prune_audit_trail() -> int:
    """Daily: forget entries older than ``AUDIT_RETENTION_DAYS``. Running twice is harmless."""
    removed = actions.prune()
    logger.info("Audit trail: %d entries past the retention period removed", removed)
    return removed
