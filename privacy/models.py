"""A person's data download: one ZIP file, prepared by the worker, for them alone."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStorage(FileSystemStorage):
    """Downloads live in ``DATA_EXPORT_ROOT``, apart from uploaded files, and have no
    address of their own: only the owner's download view serves them."""

    # Read from the settings each time (not cached as Django's are), so a test's own
    # folder is honoured.
    @property
    def base_location(self) -> str:
        return str(settings.DATA_EXPORT_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("a data download has no public address")


def export_storage() -> ExportStorage:
    return ExportStorage()


class DataExportQuerySet(models.QuerySet["DataExport"]):
    def downloadable(self) -> DataExportQuerySet:
        """Ready and not expired: what may be downloaded (by its owner alone)."""
        return self.filter(status=DataExport.Status.READY, expires_at__gt=timezone.now())


class DataExport(models.Model):
    """One request of a person for their data, and the ZIP file made for it."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=export_storage, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        ordering = ["-id"]
        constraints = [
            # One request at a time: a second while one is prepared is refused.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="preparing"),
                name="one_data_export_preparing",
            ),
        ]

    def __str__(self) -> str:
        return f"data download {self.pk} ({self.status})"
