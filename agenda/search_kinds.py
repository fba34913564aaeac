"""Events can be found: by title, and by description and place. Registered with
``search`` from ``AgendaConfig.ready``; every hit is checked again against
``Event.objects.visible_to``."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agenda.models import Event
from communities import parsing
from search import registry
from search.models import Audience
from search.registry import Document, Kind


def event_document(event: Event) -> Document:
    return Document(
        title=event.title,
        body=" · ".join(
            part for part in (parsing.plain_text(event.description_html), event.place) if part
        ),
        created_at=event.created_at,
        audience=Audience.of_group_or_organisation(event.group_id),
        group_id=event.group_id,
        person_id=event.organiser_id,
    )


def register() -> None:
    registry.register_section("events", _("Events"), order=26, preview=4)
    registry.register_kind(
        Kind(
            name="event",
            section="events",
            model=Event,
            document=event_document,
            visible_to=lambda person: Event.objects.visible_to(person),
            everything=lambda: Event.objects.all(),
            template="agenda/fragments/search_hit.html",
            url=lambda event: event.get_absolute_url(),
            described=lambda event: (
                gettext("Event on %(date)s")
                % {"date": formats.date_format(timezone.localtime(event.start), "j M Y")}
            ),
            related=("group",),
            fields=frozenset(
                {"title", "description", "description_html", "place", "group", "start"}
                | {"organiser", "cancelled_at"}
            ),
        )
    )
