from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants to hear of one kind of notification."""

    IN_APP = "app", _("In Kring only")
    EMAIL = "email", _("In Kring and by email at once")
    DIGEST = "digest", _("In Kring and in the digest")
    OFF = "off", _("Off")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


def _delivery_field(label, default: str) -> models.CharField:
    return models.CharField(label, max_length=10, choices=Delivery.choices, default=default)


class NotificationPreferences(models.Model):
    """What a person wants to hear of, and how. A person without a row has the defaults:
    mentions by email at once, everything else in a weekly digest."""

    #: The kinds a person chooses for, each a field below.
    KINDS = ("mention", "reply", "reaction", "follower", "group", "new_post")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    mention = _delivery_field(_("Someone mentions me"), Delivery.EMAIL)
    reply = _delivery_field(_("Replies to my posts and to conversations I am in"), Delivery.DIGEST)
    reaction = _delivery_field(_("Reactions to my posts"), Delivery.DIGEST)
    follower = _delivery_field(_("New followers"), Delivery.DIGEST)
    group = _delivery_field(
        _("Requests to join, decisions and invitations in groups"), Delivery.DIGEST
    )
    new_post = _delivery_field(
        _("New posts in groups and #tags I asked to be told about"), Delivery.DIGEST
    )
    digest_frequency = models.CharField(
        _("Digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    # Emails "at once" wait while it is quiet, in the organisation's time zone;
    # both empty means no quiet hours. The span may cross midnight.
    quiet_from = models.TimeField(_("Quiet from"), null=True, blank=True, default=time(22, 0))
    quiet_until = models.TimeField(_("Quiet until"), null=True, blank=True, default=time(7, 0))
    language = models.CharField(
        _("Language of emails"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.person_id}"

    def delivery(self, kind: str) -> str:
        return getattr(self, kind)

    def is_quiet(self, moment: datetime | None = None) -> bool:
        if self.quiet_from is None or self.quiet_until is None:
            return False
        now = timezone.localtime(moment).time()
        if self.quiet_from <= self.quiet_until:
            return self.quiet_from <= now < self.quiet_until
        return now >= self.quiet_from or now < self.quiet_until

    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE
