"""Agenda events live: the places left on every open page of an event, and one's own
answer when it changes without one's doing (moved up from the waiting list).

A socket on an event's page joins the event's channel-layer group only if the
person may see the event (``Event.objects.visible_to``), checked again whenever
their access changes, as every feed's socket does."""

from django.dispatch import receiver

from agenda import fragments, queries, signals
from realtime import groups
from realtime.broadcast import feed_message, send_to_groups
from realtime.consumers import FeedConsumer


@receiver(signals.event_changed)
def push_event_change(sender, event_id, moved_up=(), **kwargs) -> None:
    """The places left, rendered once per language, to every open page of the event;
    each person moved up gets their own new answer on their open pages of it."""
    places = fragments.places_messages(event_id)
    if places:
        send_to_groups([groups.event(event_id)], feed_message(places))
    for person_id in moved_up:
        status = fragments.status_messages(event_id, person_id)
        if status:
            send_to_groups([groups.event_person(event_id, person_id)], feed_message(status))


class EventConsumer(FeedConsumer):
    def feed_groups(self, user) -> set[str] | None:
        event_id = self.scope["url_route"]["kwargs"]["pk"]
        if queries.visible_event(user, event_id) is None:
            return None
        return {groups.event(event_id), groups.event_person(event_id, user.pk)}
