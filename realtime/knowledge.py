"""Live knowledge pages: someone reading a page hears when it is saved.

A socket on ``ws/pages/<id>/`` joins ``page.<id>`` only if its person may read
the page (``Page.objects.visible_to``), and checks again whenever their access
changes (``access_changed``, like every feed). A save is rendered once per
language ("Updated by Bob just now") and pushed to that group.
"""

from django.dispatch import receiver

from knowledge import fragments, queries, signals
from realtime.broadcast import feed_message, send_to_groups
from realtime.consumers import FeedConsumer


def page_group(page_id: int) -> str:
    return f"page.{page_id}"


@receiver(signals.page_saved, dispatch_uid="realtime:page_saved")
def push_page_saved(sender, page, editor, **kwargs) -> None:
    message = fragments.updated_messages(page.pk, editor)
    if message:
        send_to_groups([page_group(page.pk)], feed_message(message))


class PageConsumer(FeedConsumer):
    """Updates of one knowledge page, for a person who may read it."""

    def feed_groups(self, user) -> set[str] | None:
        page_id = self.scope["url_route"]["kwargs"]["pk"]
        if queries.visible_page(user, page_id) is None:
            return None
        return {page_group(page_id)}
