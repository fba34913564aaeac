"""Integrations: other systems of the organisation, each with an account of its own.

An integration posts through incoming webhooks as its account, and hears about
what its account may see through outgoing webhooks (subscriptions), whose
deliveries are kept as a log.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Group


def new_secret() -> str:
    """A shared secret for signatures: 256 random bits."""
    return secrets.token_urlsafe(32)


def new_token() -> str:
    """The unguessable part of an incoming webhook's address."""
    return secrets.token_urlsafe(24)


class Integration(models.Model):
    """Another system (the service desk, the rostering system) that posts and listens.

    Its account is a Person of its own, which cannot log in: what it may post and
    see follows from the groups that account is in, by the one visibility rule."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integration",
        editable=False,
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        """A deactivated or erased account stops everything the integration does."""
        return self.account.is_active and self.account.erased_at is None


class IncomingHook(models.Model):
    """An address another system posts to, signed with ``secret``: each delivery
    becomes a post by the integration's account in ``group``."""

    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        related_name="incoming_hooks",
        verbose_name=_("integration"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("incoming webhook")
        verbose_name_plural = _("incoming webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.integration} → {self.group}"


class Event(models.TextChoices):
    """What an outgoing webhook may announce."""

    POST_CREATED = "post.created", _("A post was published")
    PAGE_UPDATED = "page.updated", _("A knowledge page was saved")
    EVENT_CREATED = "event.created", _("An event was added to the agenda")
    INCIDENT_CHANGED = "incident.changed", _("An incident changed")


class AllowedHost(models.Model):
    """A host outgoing webhooks may be sent to (beside ``WEBHOOK_ALLOWED_HOSTS``):
    nothing leaves for a host no administrator allowed."""

    host = models.CharField(_("host"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("allowed host")
        verbose_name_plural = _("allowed hosts")
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs) -> None:
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)


def allowed_hosts() -> set[str]:
    """The hosts outgoing webhooks may go to: the administrators' and the setting's."""
    hosts = {host.strip().lower() for host in settings.WEBHOOK_ALLOWED_HOSTS if host.strip()}
    return hosts | set(AllowedHost.objects.values_list("host", flat=True))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def check_destination(url: str) -> None:
    """Raise ValidationError unless ``url`` is http(s) to an allowed host (the string
    the administrators allowed, compared as is: no resolving, no redirects)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Give an http:// or https:// address.")})
    if host_of(url) not in allowed_hosts():
        raise ValidationError(
            {
                "url": _(
                    "Webhooks may not be sent to %(host)s: an administrator allows "
                    "hosts under Integrations › Allowed hosts first."
                )
                % {"host": host_of(url)}
            }
        )


class Subscription(models.Model):
    """An outgoing webhook: the events named are POSTed, signed with ``secret``, to
    ``url``, for what the integration's account may see."""

    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("integration"),
    )
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing webhook")
        verbose_name_plural = _("outgoing webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.integration} → {self.url}"

    def clean(self) -> None:
        if self.url:
            check_destination(self.url)
        unknown = set(self.events) - set(Event.values)
        if unknown:
            raise ValidationError(
                {"events": _("Unknown events: %(names)s") % {"names": ", ".join(sorted(unknown))}}
            )


class Delivery(models.Model):
    """One event sent (or being sent) to one subscription: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("outgoing webhook"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url}"
