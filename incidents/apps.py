from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The service desk's major incidents: a live widget on the home page, followed
    for updates, never timeline posts."""

    name = "incidents"
    verbose_name = _("Major incidents")

    def ready(self) -> None:
        # The follower's notification and the search kind (notices and search never
        # import this app), the tasks, and the receiver that tells outgoing webhooks.
        from incidents import notice_kinds, receivers, search_kinds, tasks  # noqa: F401

        notice_kinds.register()
        search_kinds.register()
