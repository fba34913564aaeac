"""The insights app's work for the worker and beat."""

from __future__ import annotations

from celery import shared_task

from insights import actions, rollups


@shared_task(acks_late=True)
def roll_up() -> int:
    """Roll up every finished day not rolled up yet (and yesterday again, for what
    came in late), open and close the pages to write; safe to run twice."""
    days = rollups.roll_up_days()
    actions.update_search_gaps()
    return days
