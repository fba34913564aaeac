"""Logging in counts as opening Kring that day (and the session remembers it, so
the pages after it write nothing more)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from insights.middleware import remember_active


@receiver(user_logged_in, dispatch_uid="insights_active_on_login")
def active_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember_active(request, user)
