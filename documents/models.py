"""The document library: a document (title, description, #tags, in the organisation's
library or a group's) and its versions, each a file kept as it came.

Who may see a document is the one rule of the core: a group's documents are read
by those who may read the group (``Group.objects.readable_by``), the
organisation's library (no group) by every active colleague.
``Document.objects.visible_to`` says it once; every page, download, search hit
and notification reads through it. Files live under MEDIA_ROOT, which has no
URL: they are served only by the download view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Tag, readable_here

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communities.models import Person


class FileKind(models.TextChoices):
    """What sort of file, for the list's filter and the label beside a title."""

    PDF = "pdf", _("PDF")
    WORD = "word", _("Word")
    EXCEL = "excel", _("Excel")
    POWERPOINT = "powerpoint", _("PowerPoint")
    OPENDOCUMENT = "opendocument", _("OpenDocument")
    OTHER = "other", _("Other")


KIND_OF_TYPE = {
    "application/pdf": FileKind.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileKind.WORD,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileKind.EXCEL,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        FileKind.POWERPOINT
    ),
}


def kind_of(content_type: str) -> FileKind:
    if content_type.startswith("application/vnd.oasis.opendocument."):
        return FileKind.OPENDOCUMENT
    return KIND_OF_TYPE.get(content_type, FileKind.OTHER)


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, person: Person | AnonymousUser) -> DocumentQuerySet:
        """The documents this person may see: the organisation's library if they are
        an active colleague, and the libraries of the groups they may read."""
        return self.filter(readable_here(person))


class Document(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents")
    # None: the organisation's library.
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    current = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["-changed_at", "-id"], name="document_newest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document", args=[self.pk])


class DocumentVersion(models.Model):
    class Extraction(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        NONE = "none", _("no text to read")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=FileKind.choices, default=FileKind.OTHER)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where an imported file came from (its path under the folder imported), for
    # recognising it when the same folder is imported again.
    source = models.CharField(max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)
    extraction = models.CharField(
        max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def get_absolute_url(self) -> str:
        return reverse("document_download", args=[self.document_id, self.number, self.name])
