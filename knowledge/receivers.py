"""What knowledge pages do when the core announces something (after commit)."""

from typing import Any

from django.dispatch import receiver

from communities import signals
from knowledge import actions


@receiver(signals.person_deactivated, dispatch_uid="knowledge:person_deactivated")
def hand_over(sender: Any, person_id: int, actor_id: int | None = None, **kwargs: Any) -> None:
    """A closed account's pages pass to their deputies."""
    actions.hand_over_pages_of(person_id, actor_id)
