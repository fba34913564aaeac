from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """What the law (GDPR) gives a person: all their data as a download, prepared by
    the worker; and what an administrator does on request: erase someone."""

    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # The notice "your download is ready", registered with notices; then the
        # tasks, whose receiver queues the preparing of a download.
        from privacy import notice_kinds, tasks  # noqa: F401

        notice_kinds.register()
