"""Knowledge pages: organisation-wide (no group) or in a group, each save a version.

Who may read a page is the one rule of content: a page in a group is read by
who may read that group (``Group.objects.readable_by``), an organisation-wide
page by every active person. Who may write (create and edit) is as simple: for
a page in a group, its members; for an organisation-wide page, every active
person (a wiki). ``PageQuerySet.visible_to`` and ``editable_by`` say so once.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Membership, Tag, readable_here

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communities.models import Person

PAGE_MAX_LENGTH = 100_000


class PageQuerySet(models.QuerySet["Page"]):
    def visible_to(self, person: Person | AnonymousUser) -> PageQuerySet:
        """The one rule for who may see a page: the page, its list, history, diff,
        search, live updates and notifications all use it."""
        return self.filter(readable_here(person))

    def editable_by(self, person: Person | AnonymousUser) -> PageQuerySet:
        """Pages this person may edit: organisation-wide ones, and those of their groups."""
        if not person.is_authenticated or not person.is_active:
            return self.none()
        mine = Membership.objects.filter(person=person).values("group_id")
        return self.filter(Q(group__isnull=True) | Q(group__in=mine))

    def for_list(self) -> PageQuerySet:
        return (
            self.select_related("group", "changed_by")
            .prefetch_related("tags")
            .order_by("-changed_at", "-id")
        )


def add_months(day: datetime, months: int) -> datetime:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Page(models.Model):
    class Review(models.IntegerChoices):
        HALF_YEAR = 6, _("Every 6 months")
        YEAR = 12, _("Every year")
        TWO_YEARS = 24, _("Every 2 years")

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="knowledge_pages",
        verbose_name=_("group"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), max_length=PAGE_MAX_LENGTH, validators=[MaxLengthValidator(PAGE_MAX_LENGTH)]
    )
    # Rendered once when saved, sanitised as posts are (communities.parsing).
    body_html = models.TextField(editable=False, default="")
    tags = models.ManyToManyField(Tag, related_name="knowledge_pages", blank=True)
    #: The number of the latest version: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    # Stewardship: an owner and a deputy, each a person or a group.
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_pages",
    )
    owner_group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_pages"
    )
    deputy_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_of_pages",
    )
    deputy_group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="deputy_of_pages"
    )
    review_months = models.PositiveSmallIntegerField(
        _("review"), choices=Review.choices, default=Review.YEAR
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge page")
        verbose_name_plural = _("knowledge pages")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["-changed_at", "-id"], name="page_changed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True) | Q(owner_group__isnull=True),
                name="page_owner_person_or_group",
            ),
            models.CheckConstraint(
                condition=Q(deputy_person__isnull=True) | Q(deputy_group__isnull=True),
                name="page_deputy_person_or_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("page_detail", args=[self.pk])

    @property
    def owner(self) -> Person | Group | None:
        return self.owner_person or self.owner_group

    @property
    def deputy(self) -> Person | Group | None:
        return self.deputy_person or self.deputy_group

    @property
    def review_by(self) -> date:
        """The day the page is to be checked again: its interval after the last check
        (or, never checked, after it was written)."""
        since = self.checked_at or self.created_at
        return add_months(timezone.localtime(since), self.review_months).date()

    @property
    def past_review(self) -> bool:
        return timezone.localdate() > self.review_by


class PageVersion(models.Model):
    """What a page said after one save. Versions are never changed: restoring an old
    one saves a new version with its text."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    #: The page's #tags at this version, space-separated, lower case.
    tags = models.CharField(_("tags"), max_length=2000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_version_number_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.number}"

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()
