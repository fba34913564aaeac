"""An incident's change, told to the systems subscribed to ``incident.changed``
(outgoing webhooks): what it is now and what changed, signed and retried by the
integrations app's worker. Incidents are organisation-wide, so every integration
account that may see incidents (an active one) hears of it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from incidents import queries, signals
from incidents.models import Incident, IncidentUpdate
from integrations.outgoing import announce


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


@receiver(signals.incident_changed, dispatch_uid="incidents:announce_to_webhooks")
def announce_incident(
    sender: Any, incident: Incident, change: IncidentUpdate, **kwargs: Any
) -> None:
    payload = {
        "incident": {
            "id": incident.pk,
            "source": incident.source,
            "external_id": incident.external_id,
            "number": incident.number,
            "title": incident.title,
            "status": incident.status,
            "impact": incident.impact,
            "service_desk_url": incident.url,
            "url": f"{settings.SITE_URL}{incident.get_absolute_url()}",
            "opened_at": _when(incident.opened_at),
            "updated_at": _when(incident.updated_at),
            "resolved_at": _when(incident.resolved_at),
        },
        "opened": change.created,
        # Field name -> [before, after], as the incident's history keeps it.
        "changes": change.changes,
    }

    # The rule of Incident.objects.visible_to, asked of each account without a query.
    announce("incident.changed", payload, may_see=queries.may_see_incidents)
