from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The service desk's major incidents: a live widget on the home page, followed
    for updates, never timeline posts."""

    name = "incidents"
    verbose_name = _("Major incidents")
