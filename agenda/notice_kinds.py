"""The agenda's notifications, registered with ``notices`` from ``AgendaConfig.ready``
(notices never imports this app). Each points at its event, whose visibility
rule (``Event.objects.visible_to``) is applied again at every read, email and
digest: someone who may no longer see the event no longer sees its notices."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda.models import Event
from notices import registry
from notices.models import Delivery
from notices.queries import Notice

MOVED_UP = "event_moved_up"
CANCELLED = "event_cancelled"
REMINDER = "event_reminder"


def _title(notice: Notice) -> str:
    return notice.target.title


def _url(notice: Notice) -> str:
    return notice.target.get_absolute_url()


def register() -> None:
    registry.register_preference(
        "event_place", gettext_lazy("I get a place from the waiting list"), Delivery.EMAIL
    )
    registry.register_preference(
        "event_changes", gettext_lazy("An event I signed up for is cancelled"), Delivery.EMAIL
    )
    registry.register_preference(
        "event_reminder", gettext_lazy("Reminders of events I go to"), Delivery.IN_APP
    )
    target = registry.register_target(Event, Event.objects.visible_to, related=("group",))
    registry.register_kind(
        registry.Kind(
            MOVED_UP,
            "event_place",
            lambda notice: (
                _("A place came free: you are going to %(event)s") % {"event": _title(notice)}
            ),
            _url,
            target=target,
            tells_actor=True,
        )
    )
    registry.register_kind(
        registry.Kind(
            CANCELLED,
            "event_changes",
            lambda notice: _("Cancelled: %(event)s") % {"event": _title(notice)},
            _url,
            target=target,
        )
    )
    registry.register_kind(
        registry.Kind(
            REMINDER,
            "event_reminder",
            lambda notice: _("Tomorrow: %(event)s") % {"event": _title(notice)},
            _url,
            target=target,
            tells_actor=True,
        )
    )
