"""Events, who goes to them, and the secret addresses of personal calendar feeds.

An event is in a group (seen by those who may read the group:
``Group.objects.readable_by``) or organisation-wide (no group: seen by every
active person). ``Event.objects.visible_to`` is that rule, and every path of the
agenda uses it: pages, fragments, downloads, the calendar feed, search,
sockets, notifications and the digest.

Times are stored in UTC and entered and shown in ``settings.TIME_ZONE``. An
all-day event keeps its dates (``start_date``, ``end_date``, the last day
included) and, for ordering and filtering like any other, the moments its first
day starts and the day after its last begins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Post, readable_here

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from communities.models import Person

DESCRIPTION_MAX = 10_000


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, person: Person | AnonymousUser) -> EventQuerySet:
        """The one rule for who may see an event: in a group, its readers; with no
        group, every active logged-in person. Cancelled events stay visible (marked)."""
        return self.filter(readable_here(person))

    def upcoming(self, now: datetime | None = None) -> EventQuerySet:
        """Not over yet: an event under way is still on the agenda."""
        return self.filter(end__gt=now or timezone.now())


class Event(models.Model):
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("group"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("title"), max_length=200)
    all_day = models.BooleanField(_("all day"), default=False)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    # An all-day event's days, the last one included (its truth; start and end follow).
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
    )
    # Rendered once when saved, sanitised as posts are (communities.parsing).
    description_html = models.TextField(editable=False, default="")
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    signup_deadline = models.DateTimeField(_("sign up before"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    # The card in the group's feed that tells of the event.
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["end", "start"], name="event_upcoming"),
            models.Index(fields=["group", "start"], name="event_group_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="event_ends_after"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("event_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def dom_id(self) -> str:
        return f"event-{self.pk}"

    @property
    def places_left(self) -> int | None:
        """Free places (with ``going`` counted by ``queries.with_counts``); None: no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - getattr(self, "going", 0), 0)


class Attendance(models.Model):
    """Someone's answer to an event: going, on the waiting list, or not going.

    The waiting list is in order of ``queued_at`` (first come, first served)."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITING = "waiting", _("On the waiting list")
        NOT_GOING = "not_going", _("Not going")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # When the person took their current place (going, or in the queue).
    queued_at = models.DateTimeField(default=timezone.now)
    # The "tomorrow" reminder went to them (once per event and person).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_answer_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="attendance_queue")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status} {self.event_id}"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only the token's SHA-256 is kept: the
    address is shown once, when made; a new one replaces it, turning off removes it."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.person_id}"
