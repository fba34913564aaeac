from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models.posts import Post

DESCRIPTION_MAX = 300


class Attachment(models.Model):
    """A photo or document on a post. Stored under MEDIA_ROOT and served only by
    ``attachment_file``, which applies the visibility rule of its post."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    thumbnail = models.FileField(upload_to="attachments/%Y/%m/", blank=True)
    name = models.CharField(_("file name"), max_length=200)
    # What a photo shows, in words, for colleagues who cannot see it (its alt text).
    # Empty until its author writes it: a file name is no description.
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attachment", args=[self.pk, self.name])

    def thumbnail_url(self) -> str:
        return reverse("attachment_thumbnail", args=[self.pk])
