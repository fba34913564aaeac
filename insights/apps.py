from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The community coach: participation figures on daily roll-ups, search gaps
    turned into pages to write, and nudges whose effect is measured."""

    name = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # The nudge's notification (notices never imports this app), and the receiver
        # that hands a sent nudge to the worker.
        from insights import notice_kinds, receivers, tasks  # noqa: F401

        notice_kinds.register()
