"""Announcing what happened to outgoing webhooks.

``announce`` is the one way an event reaches other systems: the core's signals
(post published, page saved, event created) are turned into calls here by
``integrations.receivers``, and other apps (incidents) call it themselves. Each
subscription gets the event only if its integration's account may see what the
event is about, by the caller's ``may_see`` (built on the one visibility rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from communities.models import Person
from integrations import actions, tasks
from integrations.models import Event


def announce(event: str, payload: dict[str, Any], *, may_see: Callable[[Person], bool]) -> None:
    """Once the current transaction commits (at once outside one): a delivery per
    active subscription to ``event`` whose account ``may_see``, handed to the worker."""
    if event not in Event.values:
        raise ValueError(f"no webhook event is called {event!r}")

    def deliveries() -> None:
        tasks.queue(actions.create_deliveries(event, payload, may_see))

    transaction.on_commit(deliveries)
