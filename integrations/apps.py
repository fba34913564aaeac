from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Other systems of the organisation: integration accounts, incoming webhooks
    that post in a group, outgoing webhooks signed and retried by the worker."""

    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from integrations import receivers  # noqa: F401  (connects the receivers)
