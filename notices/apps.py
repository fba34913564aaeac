from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notifications and email")

    def ready(self) -> None:
        # The core's kinds of notification, and its signals heard; then the
        # tasks that email what is wanted at once.
        from notices import core_kinds, tasks  # noqa: F401

        core_kinds.register()
