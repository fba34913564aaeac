"""The one write path for incidents: recording what the service desk says, and
following.

``record_incident`` is called by the poller every minute with the same data, by the
hook and by the API: it writes only when something changed, and only then are
open home pages, followers and outgoing webhooks told (after commit)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import Person
from communities.signals import send_after_commit, send_to_each
from incidents import queries, signals
from incidents.models import Incident, IncidentFollow, IncidentUpdate, Source, Status
from incidents.wording import impact_from, status_from
from notices import actions as notices

#: The notification kind (``incidents.notice_kinds``).
INCIDENT_UPDATED = "incident_updated"

#: What a source may set; what a follower is told of when it changes.
FIELDS = ("number", "title", "status", "impact", "url", "opened_at", "updated_at", "resolved_at")
#: Changes worth a notification (a new modification time alone is not news).
TOLD = ("title", "status", "impact")
LIMITS = {"number": 64, "title": 300, "url": 1000}


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as the model keeps them; ValidationError for what cannot be kept."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(f"unknown fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "status" in cleaned:
        cleaned["status"] = status_from(cleaned["status"])
    if "impact" in cleaned:
        cleaned["impact"] = impact_from(cleaned["impact"]) if cleaned["impact"] else ""
    for name, limit in LIMITS.items():
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()[:limit]
    if (
        "url" in cleaned
        and cleaned["url"]
        and not cleaned["url"].startswith(("https://", "http://"))
    ):
        raise ValidationError("url must be an http(s) link")
    for name in ("opened_at", "updated_at", "resolved_at"):
        value = cleaned.get(name)
        if value is not None and not isinstance(value, datetime):
            raise ValidationError(f"{name} must be a time")
        if value is not None and timezone.is_naive(value):
            cleaned[name] = timezone.make_aware(value)
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError("title must not be empty")
    return cleaned


def _comparable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def record_incident(
    source: str, external_id: str, **fields: Any
) -> tuple[Incident, IncidentUpdate | None]:
    """Create or update the incident ``(source, external_id)`` with ``fields``.

    Returns the incident and the history row of this change, or None when nothing
    changed (then nothing is written or told). Resolving sets ``resolved_at`` (now,
    unless given); reopening clears it. ``updated_at`` alone changing is kept
    silently, without a history row."""
    if source not in Source.values:
        raise ValidationError(f"unknown source {source!r}")
    external_id = str(external_id or "").strip()
    if not external_id or len(external_id) > 200:
        raise ValidationError("external_id must be 1 to 200 characters")
    cleaned = _clean(fields)
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _record(source, external_id, cleaned, now)
        except IntegrityError:
            # Two recorders created the same incident at once: the second updates it.
            continue
    raise RuntimeError("could not record the incident")


def _record(
    source: str, external_id: str, cleaned: dict[str, Any], now: datetime
) -> tuple[Incident, IncidentUpdate | None]:
    incident = (
        Incident.objects.select_for_update().filter(source=source, external_id=external_id).first()
    )
    created = incident is None
    if incident is None:
        if "title" not in cleaned:
            raise ValidationError("a new incident needs a title")
        incident = Incident(source=source, external_id=external_id, opened_at=now, updated_at=now)
    wanted = dict(cleaned)
    status = wanted.get("status", incident.status)
    if status == Status.RESOLVED:
        if not wanted.get("resolved_at") and not incident.resolved_at:
            wanted["resolved_at"] = now
        elif not wanted.get("resolved_at"):
            wanted.pop("resolved_at", None)
    elif "status" in wanted:
        wanted["resolved_at"] = None
    changes: dict[str, list[Any]] = {}
    for name, value in wanted.items():
        before = None if created else getattr(incident, name)
        if created or _comparable(before) != _comparable(value):
            if name in TOLD or not created:
                changes[name] = [_comparable(before), _comparable(value)]
            setattr(incident, name, value)
    told = [name for name in changes if name in TOLD or name == "url"]
    if not created and not changes:
        return incident, None
    if not created and not told:
        # A new modification time or opening time: kept, nobody told.
        incident.save()
        return incident, None
    incident.changed_at = now
    incident.save()
    update = IncidentUpdate.objects.create(
        incident=incident, at=now, changes=changes, created=created
    )
    transaction.on_commit(lambda: _tell(incident.pk, update.pk))
    return incident, update


def _tell(incident_id: int, update_id: int) -> None:
    """After commit: the signal (live widget, outgoing webhooks) and the followers."""
    incident = Incident.objects.filter(pk=incident_id).first()
    update = IncidentUpdate.objects.filter(pk=update_id).first()
    if incident is None or update is None:
        return
    send_to_each(signals.incident_changed, Incident, incident=incident, change=update)
    notify_followers(incident, update)


def notify_followers(incident: Incident, update: IncidentUpdate) -> list[int]:
    """A notification to each follower who may still see it, once per change. The
    desk is nobody in Kring: each follower is the actor of their own notice."""
    told: list[int] = []
    for person in queries.followers_to_tell(incident):
        told += notices.notify(
            INCIDENT_UPDATED,
            person,
            [person],
            target=incident,
            data={"update": update.pk, "status": incident.status},
        )
    return told


def expire_resolved() -> bool:
    """Tell open home pages to show the widget again if an incident resolved long
    enough ago has left it since the last run (beat, every minute; open pages also
    drop it themselves on time). True when it did."""
    shown = timedelta(seconds=settings.INCIDENTS_SHOW_RESOLVED_SECONDS)
    now = timezone.now()
    window = timedelta(seconds=120)
    gone = Incident.objects.filter(
        status=Status.RESOLVED, resolved_at__lte=now - shown, resolved_at__gt=now - shown - window
    ).exists()
    if gone:
        send_after_commit(signals.widget_changed, Incident)
    return gone


# Following -----------------------------------------------------------------------


def follow(person: Person, incident: Incident) -> bool:
    """Hear of each update of this incident. True if newly followed."""
    if queries.visible_incident(person, incident.pk) is None:
        raise PermissionDenied("not visible")
    _obj, made = IncidentFollow.objects.get_or_create(person=person, incident=incident)
    return made


def unfollow(person: Person, incident: Incident) -> bool:
    deleted, _rows = IncidentFollow.objects.filter(person=person, incident=incident).delete()
    return bool(deleted)


def forget_person(person: Person) -> int:
    """An erased person follows nothing."""
    deleted, _rows = IncidentFollow.objects.filter(person=person).delete()
    return deleted
