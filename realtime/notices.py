"""The bell: a person's unread count, live on every page they have open.

Every socket of a person joins ``person.<id>``. When their notifications
change, the domain says so (``notices_changed``) and each of their sockets
answers with the new count (``FeedConsumer.notices_changed``). Pages without a
feed open a ``NoticesConsumer`` socket, which listens only for that.
"""

from django.dispatch import receiver

from notices import signals
from realtime import groups
from realtime.broadcast import send_to_groups
from realtime.consumers import FeedConsumer


@receiver(signals.notices_changed)
def ring_bells(sender, person_ids, **kwargs) -> None:
    """A doorbell per person: each socket counts for its own person (the count differs)."""
    send_to_groups([groups.person(pk) for pk in person_ids], {"type": "notices.changed"})


class NoticesConsumer(FeedConsumer):
    """A socket for a page with no feed: only the person's own group, for the bell."""

    def feed_groups(self, user) -> set[str] | None:
        return set()
