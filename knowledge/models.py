"""Knowledge pages: organisation-wide (no group) or in a group, each save a version.

Who may read a page is the one rule of content: a page in a group is read by
who may read that group (``Group.objects.readable_by``), an organisation-wide
page by every active person. Who may write (create and edit) is as simple: for
a page in a group, its members; for an organisation-wide page, every active
person (a wiki). ``PageQuerySet.visible_to`` and ``editable_by`` say so once.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
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

    def with_review_since(self) -> PageQuerySet:
        """Each page's ``review_since``: when its review interval began (``Page.review_by``)."""
        return self.alias(review_since=Coalesce("checked_at", "created_at"))

    def review_by_before(self, day: date, months: int | None = None) -> PageQuerySet:
        """Pages whose review date (``Page.review_by``) is before ``day``, exactly, in
        one query: for each interval the pages began it before some moment. Only the
        interval ``months`` when given (``Page.Review``)."""
        condition = Q(pk__in=[])
        for interval in [months] if months is not None else Page.Review.values:
            condition |= Q(review_months=interval, review_since__lt=_began_before(day, interval))
        return self.with_review_since().filter(condition)

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


def _began_before(day: date, months: int) -> datetime:
    """The first moment from which an interval of ``months`` ends on ``day`` or later:
    a page whose interval began before it is due for review before ``day``. Adding
    months never goes back, so the first such local day is found a few days back."""
    start = add_months(datetime.combine(day, time()), -months).date() - timedelta(days=3)
    while add_months(datetime.combine(start, time()), months).date() < day:
        start += timedelta(days=1)
    return timezone.make_aware(datetime.combine(start, time()))


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


class PageReminder(models.Model):
    """One reminder sent to someone who looks after a page, for one review date: each
    once, so a task run again (or delivered twice) sends nothing twice. A check moves
    the review date, and reminders for the new date start afresh; after the date, a
    reminder each week, numbered by ``repeat``."""

    class Kind(models.TextChoices):
        DAYS_28 = "28", _("28 days before")
        DAYS_14 = "14", _("14 days before")
        PAST = "past", _("past the date")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_reminders"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    for_review_by = models.DateField()
    #: The how-manieth "past" reminder for this date (0 for the others).
    repeat = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "person", "kind", "for_review_by", "repeat"],
                name="one_page_reminder_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.for_review_by} to {self.person_id}"


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
