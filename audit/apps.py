from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: what managers and administrators did, by whom, when and from
    where. A bottom app beside ``organisation``: the apps above record into it, and
    it reads no other app of Kring."""

    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"
