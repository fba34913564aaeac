"""The organisation's own style: one row, made on first read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_NAME = "Kring"
DEFAULT_ACCENT = "#0b6e6e"


class Organisation(models.Model):
    """The name, logo and accent colour every page shows. There is one row (pk 1):
    ``queries.current()`` makes it with the defaults when there is none yet."""

    name = models.CharField(_("name"), max_length=60, default=DEFAULT_NAME)
    short_name = models.CharField(
        _("short name"),
        max_length=12,
        blank=True,
        help_text=_("Shown under the icon on a phone's home screen; the name if empty."),
    )
    # A PNG made by organisation.images.prepare_logo (checked, resized, metadata
    # removed), served by a view: there is no MEDIA_URL.
    logo = models.FileField(_("logo"), upload_to="organisation/", blank=True)
    accent = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        help_text=_("A hex code such as #0b6e6e, dark enough for white text on it."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.name

    @property
    def app_name(self) -> str:
        return self.short_name or self.name[:12]
