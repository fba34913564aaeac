from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The community coach: participation figures on daily roll-ups, search gaps
    turned into pages to write, and nudges whose effect is measured."""

    name = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from insights import receivers  # noqa: F401
