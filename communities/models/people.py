from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Person(AbstractUser):
    """Someone who works at the organisation. Created by an administrator, never by sign-up."""

    display_name = models.CharField(_("display name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True, db_index=True)
    location = models.CharField(_("location"), max_length=150, blank=True, db_index=True)
    # Community coaches watch participation: how many read an article, for instance.
    is_coach = models.BooleanField(_("community coach"), default=False)
    # Another system's account (an integration's: the service desk posting through a
    # webhook): it posts and reads as the groups it is in allow, but it is no
    # colleague: not in the directory, not suggested, not counted by the coach,
    # labelled on its posts, and never logs in.
    is_integration = models.BooleanField(_("integration account"), default=False, editable=False)
    # A square photo and a small thumbnail, made from an upload by
    # communities.uploads.prepare_profile_photo (re-encoded, no EXIF). Each upload
    # gets a new file name, which is also the version in the photo's address, so
    # browsers may keep a photo as long as they like.
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    photo_thumbnail = models.ImageField(_("photo thumbnail"), upload_to="people/", blank=True)
    # Set when an administrator erased this person (privacy.actions.erase_person): the
    # row stays, without anything personal, so the posts they left keep an author,
    # shown as "Former colleague".
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return gettext("Former colleague")
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_erased(self) -> bool:
        """An erased person: no name, no profile, no link; "Former colleague"."""
        return self.erased_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.display_name:
            self.display_name = self.get_full_name() or self.username
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("person", args=[self.username])

    @property
    def photo_version(self) -> str:
        """What changes whenever the photo does: the stored file's name, without folder."""
        return self.photo.name.rsplit("/", 1)[-1].split(".", 1)[0] if self.photo else ""

    def photo_url(self, size: str = "thumbnail") -> str:
        """The photo's address (``size`` is "thumbnail" or "photo"), or "" with no photo."""
        if not self.photo:
            return ""
        return reverse("person_photo", args=[self.pk, size, self.photo_version])
