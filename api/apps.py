from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API: people, groups, posts, pages, documents, events and one's
    notifications, read and written through the apps' own actions and the one
    visibility rule, for a personal or an integration token."""

    name = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (the bearer scheme in the OpenAPI schema)
