"""A person's profile beyond the core's Person: phone, a short bio, and what to
ask them about. Nothing here is secret: every signed-in colleague may read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BIO_MAX_LENGTH = 500
EXPERTISE_MAX = 12


class Expertise(models.Model):
    """Something colleagues may ask someone about ("wondzorg", "roosters")."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=70, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        ordering = [Lower("name").asc()]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory") + f"?expertise={self.slug}"


class Profile(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("person"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bio = models.TextField(_("about me"), max_length=BIO_MAX_LENGTH, blank=True)
    expertise = models.ManyToManyField(
        Expertise, related_name="profiles", blank=True, verbose_name=_("ask me about")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.person)
