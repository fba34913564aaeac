from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    """Counts in Django's cache (``settings.CACHES``: Redis when scaled out), through
    django-ratelimit; the limits are ``settings.RATE_LIMITS``."""

    name = "limits"
    verbose_name = _("Rate limits")
