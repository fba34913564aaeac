"""Pushes domain events to open sockets: rendered once, sent to every entitled socket."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from communities import events, fragments
from realtime import groups


@receiver(events.post_published)
def push_new_post(sender, post, **kwargs) -> None:
    """Send the new post to every socket on its group's feed.

    Only sockets that passed the visibility rule on connect are in the group,
    so the audience is exactly the people who may read the feed.
    """
    message = fragments.new_posts_message([post])
    async_to_sync(get_channel_layer().group_send)(
        groups.group_feed(post.group_id), {"type": "feed.html", "html": message}
    )


@receiver(events.membership_ended)
def recheck_access(sender, person_id, group_id, **kwargs) -> None:
    """Ask that person's open sockets on this group's feed to check their access again."""
    async_to_sync(get_channel_layer().group_send)(
        groups.person(person_id), {"type": "access.changed", "group_id": group_id}
    )
