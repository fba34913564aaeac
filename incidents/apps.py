from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The service desk's major incidents: a live widget on the home page, followed
    for updates, never timeline posts."""

    name = "incidents"
    verbose_name = _("Major incidents")

    def ready(self) -> None:
        # The follower's notification (notices never imports this app), the tasks, and
        # the receiver that tells outgoing webhooks of a change.
        from incidents import notice_kinds, receivers, tasks  # noqa: F401

        notice_kinds.register()
