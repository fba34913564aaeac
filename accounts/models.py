"""A person's logins: where they are logged in, for the settings page's list and
its "Log out" buttons.

A ``Login`` belongs to one Django session and goes with it: when the session is
deleted (logging out, ``clearsessions``, an erase, "Log out everywhere") the
database cascade removes the row. The session key itself never leaves the server:
pages name a login by its own id.
"""

from __future__ import annotations

import hashlib

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


def hash_secret(secret: str) -> str:
    """What is stored of a token's secret. A plain SHA-256 suffices (no slow password
    hash): the secret is 32 random bytes, not something a person chose."""
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessToken(models.Model):
    """A key to the REST API that acts as one person: a personal token their owner
    made on the settings page, or an integration token an administrator made for an
    integration's own account.

    Only the SHA-256 of the secret is kept (a stolen database holds no usable key)
    with its first characters to recognise it by; the secret itself is shown once,
    when it is made. A token of an account that is deactivated or erased stops
    working at once (``api.auth`` checks the account on every request)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read_write", _("Read and write")

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        INTEGRATION = "integration", _("Integration")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    prefix = models.CharField(_("begins with"), max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="token_person_made")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


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
