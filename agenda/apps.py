from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The agenda: events in a group or organisation-wide, sign-up with a capacity and
    a waiting list, .ics files and a personal calendar feed."""

    name = "agenda"
    verbose_name = _("Agenda")
