from celery import shared_task

from search import actions


@shared_task(name="search.tasks.prune_search_log")
def prune_search_log() -> int:
    """Beat: the search log keeps ``SEARCH_LOG_DAYS`` (180 by default), no more."""
    return actions.prune()
