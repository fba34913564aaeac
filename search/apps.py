from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One index of what can be found, fed through a registry of kinds; PostgreSQL's
    full-text search or SQLite's FTS5 behind it; the search log for the coach."""

    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The core's kinds (posts, replies, groups) and its signals heard; apps
        # above register theirs from their own ready() (people: people).
        from search import core_kinds, indexing  # noqa: F401

        core_kinds.register()
