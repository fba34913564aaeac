"""Live knowledge pages: someone reading a page hears when it is saved.

A socket on ``ws/pages/<id>/`` joins ``page.<id>`` only if its person may read
the page (``Page.objects.visible_to``), and checks again whenever their access
changes (``access_changed``, like every feed). A save is rendered once per
language ("Updated by Bob just now") and pushed to that group.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.dispatch import receiver

from communities.fragments import in_language
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
    """Updates of one knowledge page, for a person who may read it.

    The page says which version it shows (``?v=``): a socket that opens (or opens
    again after a loss) on a page saved since is told at once, so a save missed
    while it was away is not missed for good."""

    def feed_groups(self, user) -> set[str] | None:
        page_id = self.scope["url_route"]["kwargs"]["pk"]
        if queries.visible_page(user, page_id) is None:
            return None
        return {page_group(page_id)}

    async def connect(self) -> None:
        await super().connect()
        if self.ended or not self.subscribed:
            return
        message = await database_sync_to_async(self.missed)(self.scope["user"])
        if message:
            await self.send(text_data=message)

    def missed(self, user) -> str:
        page = queries.visible_page(user, self.scope["url_route"]["kwargs"]["pk"])
        shown = parse_qs(self.scope.get("query_string", b"").decode()).get("v", [""])[0]
        if page is None or not shown.isdigit() or page.version <= int(shown):
            return ""
        rendered = fragments.updated_messages(page.pk, page.changed_by)
        return in_language(rendered, self.language)
