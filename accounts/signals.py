"""Logins are recorded as they begin, and all of a person's end when the account is
deactivated or its password changes (Django would refuse those sessions on their
next request anyway; this deletes them, and so closes their open pages). A
deactivated account's access tokens are revoked too; a password change leaves
them be (they are for other systems, which the person logs in nowhere)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import actions


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        actions.record_login(request, user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def account_saved(sender, instance, created, **kwargs) -> None:
    """A password hash upgraded at login is no change (Django clears ``_password``
    first). A password change's own session goes too: Django gives it a new key right
    after, and the middleware records that one."""
    if created:
        return
    if not instance.is_active or getattr(instance, "_password", None) is not None:
        actions.end_all_logins(instance)
    if not instance.is_active:
        actions.revoke_tokens_of(instance)
