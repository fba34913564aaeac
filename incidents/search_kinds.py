"""Major incidents can be found: by their number and title (someone searching
"e-mail" while mail is down finds the incident and its state). Registered with
``search`` from ``IncidentsConfig.ready``; every hit is checked again against
``Incident.objects.visible_to`` (every active colleague)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident
from search import registry
from search.models import Audience
from search.registry import Document, Kind


def incident_document(incident: Incident) -> Document:
    return Document(
        title=incident.title,
        body=incident.number,
        created_at=incident.opened_at,
        audience=Audience.EVERYONE,
    )


def register() -> None:
    registry.register_section("incidents", _("Major incidents"), order=27, preview=3)
    registry.register_kind(
        Kind(
            name="incident",
            section="incidents",
            model=Incident,
            document=incident_document,
            visible_to=lambda person: Incident.objects.visible_to(person),
            everything=lambda: Incident.objects.all(),
            template="incidents/fragments/search_hit.html",
            url=lambda incident: incident.get_absolute_url(),
            described=lambda incident: (
                gettext("Major incident: %(status)s") % {"status": incident.get_status_display()}
            ),
            fields=frozenset({"title", "number", "opened_at"}),
        )
    )
