"""What a person chose to hear of, and the emails Kring means to send.

Both tables were made by ``communities`` before notifications had an app of
their own; they keep their names (``db_table``), so moving them moved no data.
The notifications themselves are rows of the ``notifications`` app
(django-notifications-community), used only through this app's modules.
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices import registry


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


class NotificationPreferences(models.Model):
    """What a person wants to hear of, and how. A person without a row, or without a
    choice for some preference, has the defaults its registration gives
    (``notices.registry``): mentions by email at once, most else in a weekly digest."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    #: The person's choice per preference (``registry.Preference.name`` → a Delivery);
    #: a preference registered later needs no migration.
    deliveries = models.JSONField(_("deliveries"), default=dict, blank=True)
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
        db_table = "communities_notificationpreferences"
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.person_id}"

    def delivery(self, preference: str) -> str:
        """How this person hears of what ``preference`` governs."""
        chosen = (self.deliveries or {}).get(preference)
        if chosen in Delivery.values:
            return str(chosen)
        return registry.preference(preference).default

    def is_quiet(self, moment: datetime | None = None) -> bool:
        if self.quiet_from is None or self.quiet_until is None:
            return False
        now = timezone.localtime(moment).time()
        if self.quiet_from <= self.quiet_until:
            return self.quiet_from <= now < self.quiet_until
        return now >= self.quiet_from or now < self.quiet_until

    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class EmailDelivery(models.Model):
    """One email Kring means to send, under a key that makes it one email.

    A Celery task may run twice (Redis redelivers after a worker dies); the
    task locks this row while it sends and marks it sent in the same
    transaction, so a second run finds it sent and does nothing. A row that
    finally failed is the dead-letter log: the admin lists it with its error.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=120, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "communities_emaildelivery"
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-id"]
        # No index on (person, key): the last digest is found by the key's prefix,
        # which names the person (the unique key's index), and person has its own.

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
