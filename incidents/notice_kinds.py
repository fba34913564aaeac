"""The notification of an incident's update, registered with ``notices`` from
``IncidentsConfig.ready`` (notices never imports this app)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.actions import INCIDENT_UPDATED
from incidents.models import Incident, Status
from notices import registry
from notices.models import Delivery

PREFERENCE = "incident_updates"


def _text(notice) -> str:
    incident = notice.target
    title = incident.title if incident is not None else ""
    status = notice.data.get("status", "")
    if status == Status.RESOLVED:
        return _("The major incident “%(title)s” is resolved") % {"title": title}
    if status == Status.IN_PROGRESS:
        return _("The major incident “%(title)s” is being worked on") % {"title": title}
    return _("The major incident “%(title)s” was updated") % {"title": title}


def register() -> None:
    registry.register_preference(
        PREFERENCE, gettext_lazy("A major incident I follow is updated"), Delivery.IN_APP
    )
    target = registry.register_target(Incident, Incident.objects.visible_to)
    registry.register_kind(
        registry.Kind(
            INCIDENT_UPDATED,
            PREFERENCE,
            _text,
            lambda notice: notice.target.get_absolute_url(),
            target=target,
            # The desk is nobody in Kring: the follower is the notice's actor.
            tells_actor=True,
        )
    )
