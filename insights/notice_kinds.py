"""The nudge's notification, registered with ``notices`` from ``InsightsConfig.ready``
(notices never imports this app). A nudge is seen only by those it was sent to,
never by the holdout: that is its target's rule."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from communities.models import Person
from insights.actions import NUDGE
from insights.models import Nudge, NudgeRecipient
from insights.wording import message_for
from notices import registry
from notices.models import Delivery
from notices.queries import Notice

PREFERENCE = "coach_messages"


def nudges_of(person: Person) -> QuerySet[Nudge]:
    return Nudge.objects.filter(
        pk__in=NudgeRecipient.objects.filter(person=person, holdout=False).values("nudge_id")
    )


def _message(notice: Notice):
    return message_for(notice.target, notice.data.get("name", ""))


def register() -> None:
    registry.register_preference(
        PREFERENCE, gettext_lazy("Messages from the community coach"), Delivery.EMAIL
    )
    target = registry.register_target(Nudge, nudges_of)
    registry.register_kind(
        registry.Kind(
            NUDGE,
            PREFERENCE,
            lambda notice: _message(notice).subject,
            lambda notice: _message(notice).path,
            target=target,
            excerpt=lambda notice: _message(notice).text,
            tells_actor=True,
        )
    )
