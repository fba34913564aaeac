"""The agenda's periodic work, run by Celery beat (``settings.CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from agenda import actions


@shared_task
def send_event_reminders() -> int:
    """ "Tomorrow: <event>" for those going; once per event and person, so it may run
    as often as one likes (hourly) and twice at once."""
    return actions.send_reminders()
