"""The knowledge pages' periodic work, run by Celery beat (``settings.CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from knowledge import actions


@shared_task
def send_page_review_reminders() -> int:
    """Remind who looks after a page of its review date (28 and 14 days before, weekly
    once past); each reminder once, so it may run hourly, again, and twice at once."""
    return actions.send_review_reminders()
