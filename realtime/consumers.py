"""WebSocket consumers. A socket follows one feed and only receives HTML fragments."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from communities import queries
from realtime import groups

# Close codes in the private range, so the page can tell why (and not retry).
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403


class GroupFeedConsumer(AsyncWebsocketConsumer):
    """Live updates for one group's feed, for people who may read it.

    The socket is accepted and then closed with a reason code when the person
    is not logged in or may not read the group: htmx's WebSocket extension
    reconnects only after abnormal closes, so a refused page does not hammer
    the server, and it can tell the person why.
    """

    feed: str | None = None
    group_id: int | None = None

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.refuse(CLOSE_NOT_LOGGED_IN)
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        group_id = await database_sync_to_async(queries.readable_group_id)(user, slug)
        if group_id is None:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        # Join the feed before accepting: the page fetches what it missed as
        # soon as the socket opens, and nothing may fall between the two.
        self.group_id = group_id
        self.feed = groups.group_feed(group_id)
        await self.channel_layer.group_add(self.feed, self.channel_name)
        await self.channel_layer.group_add(groups.person(user.pk), self.channel_name)
        await self.accept()

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        await self.leave_feed()

    async def leave_feed(self) -> None:
        if self.feed:
            await self.channel_layer.group_discard(self.feed, self.channel_name)
            await self.channel_layer.group_discard(
                groups.person(self.scope["user"].pk), self.channel_name
            )
            self.feed = None

    async def receive(self, text_data=None, bytes_data=None) -> None:
        """Pages only listen; anything they send is ignored."""

    async def feed_html(self, event: dict) -> None:
        await self.send(text_data=event["html"])

    async def access_changed(self, event: dict) -> None:
        """The person left or lost a group: stop this feed at once if they may no longer read it."""
        if event["group_id"] != self.group_id:
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        if (
            await database_sync_to_async(queries.readable_group_id)(self.scope["user"], slug)
            is None
        ):
            await self.leave_feed()
            await self.close(code=CLOSE_FORBIDDEN)
