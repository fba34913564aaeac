from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-id"]
        # No index on (person, key): the last digest is found by the key's prefix,
        # which names the person (the unique key's index), and person has its own.

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
