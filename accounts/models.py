"""A person's logins: where they are logged in, for the settings page's list and
its "Log out" buttons.

A ``Login`` belongs to one Django session and goes with it: when the session is
deleted (logging out, ``clearsessions``, an erase, "Log out everywhere") the
database cascade removes the row. The session key itself never leaves the server:
pages name a login by its own id.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.translation import gettext_lazy as _


class Login(models.Model):
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="kring_login", verbose_name=_("session")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="logins",
        verbose_name=_("person"),
    )
    # Empty for a login made before Kring kept this list (recorded by migration).
    started = models.DateTimeField(_("logged in"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last active"))
    browser = models.CharField(_("browser"), max_length=100, blank=True)
    system = models.CharField(_("operating system"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("network address"), null=True, blank=True)

    class Meta:
        verbose_name = _("login")
        verbose_name_plural = _("logins")
        indexes = [models.Index(fields=["person", "-last_seen"], name="login_person_seen")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.browser} / {self.system}"


class SignOn(models.Model):
    """A person's account at the organisation's OpenID provider: the provider's
    (issuer, subject) pair names one person for good, whatever becomes of their
    email address or username there. Made at their first single sign-on."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_ons",
        verbose_name=_("person"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(_("first signed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on account")
        verbose_name_plural = _("single sign-on accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sign_on_issuer_subject")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
