"""The service desk's major incidents, as Kring mirrors them.

The service desk (TOPdesk, or whatever posts to the hook or the API) is the truth;
Kring keeps a copy keyed by (source, external id), the history of what changed, and
who follows each incident. Incidents are organisation-wide: every active colleague
may see them, and ``Incident.objects.visible_to`` says so in one place.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Person


class Source(models.TextChoices):
    API = "api", _("API")
    WEBHOOK = "webhook", _("Webhook")
    TOPDESK = "topdesk", _("TOPdesk")


class Status(models.TextChoices):
    """A small fixed set; ``incidents.wording.status_from`` maps the desk's own words."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class Impact(models.TextChoices):
    HIGH = "high", _("High impact")
    MEDIUM = "medium", _("Medium impact")
    LOW = "low", _("Low impact")


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, person: Person | AnonymousUser) -> IncidentQuerySet:
        """The one rule: incidents are organisation-wide, for every active, not erased
        colleague; nobody else sees any."""
        if not person.is_authenticated or not person.is_active or person.erased_at is not None:
            return self.none()
        return self.all()

    def current(self, now=None) -> IncidentQuerySet:
        """What the home page shows: not resolved, or resolved only just
        (``INCIDENTS_SHOW_RESOLVED_SECONDS``)."""
        now = now or timezone.now()
        since = now - timedelta(seconds=settings.INCIDENTS_SHOW_RESOLVED_SECONDS)
        return self.exclude(status=Status.RESOLVED) | self.filter(
            status=Status.RESOLVED, resolved_at__gt=since
        )


class Incident(models.Model):
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    external_id = models.CharField(_("external id"), max_length=200)
    number = models.CharField(_("number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    impact = models.CharField(_("impact"), max_length=16, choices=Impact.choices, blank=True)
    url = models.URLField(_("link to the service desk"), max_length=1000, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    #: When Kring last saw it change (the desk's own times may be late or absent).
    changed_at = models.DateTimeField(_("changed in Kring"), default=timezone.now, db_index=True)

    objects = IncidentQuerySet.as_manager()

    #: Set for the widget (``incidents.fragments.with_hide_after``): seconds until a
    #: resolved incident leaves the page.
    hide_after: int | None = None

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="incident_per_source")
        ]
        indexes = [models.Index(fields=["status", "resolved_at"], name="incident_current")]
        verbose_name = _("major incident")
        verbose_name_plural = _("major incidents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("incident_detail", args=[self.pk])

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED


class IncidentUpdate(models.Model):
    """One change of an incident, as a follower is told of it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    #: Field name -> [before, after] (before None for a new incident).
    changes = models.JSONField(default=dict)
    created = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} at {self.at:%Y-%m-%d %H:%M}"


class IncidentFollow(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follows")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "incident"], name="incident_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.incident_id}"
