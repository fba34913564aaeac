from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The agenda: events in a group or organisation-wide, sign-up with a capacity and
    a waiting list, .ics files and a personal calendar feed."""

    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        # Notifications (moved up, cancelled, tomorrow), search, and the digest's
        # "Your events in the coming week": registered here, as notices and search
        # never import the apps above them.
        from agenda import digest, notice_kinds, search_kinds

        notice_kinds.register()
        search_kinds.register()
        digest.register()
