from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    """The organisation's own style: its name, logo and accent colour. The lowest
    app: every page reads it, and it reads no other app of Kring."""

    name = "organisation"
    verbose_name = _("Organisation")
    default_auto_field = "django.db.models.BigAutoField"
