"""WebSocket consumers. A socket follows one feed and only receives HTML fragments."""

import asyncio
import contextlib
import random
from collections import deque
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from communities import fragments, queries
from notices.fragments import notice_count_message
from realtime import groups, sessions
from realtime import incidents as live_incidents
from realtime.frames import FRAME_KEY

# Close codes in the private range, so the page can tell why (and not retry).
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403
# The channel layer lost Redis and is back: messages may have been missed.
# The htmx extension reconnects after this code, and the page catches up.
CLOSE_SERVICE_RESTART = 1012


class FeedConsumer(AsyncWebsocketConsumer):
    """Live updates for one feed, for a person who may read it.

    Subclasses say which channel-layer groups carry their feed for this
    person (``feed_groups``), or None if the person may not read it. The
    socket joins them *before* it is accepted: the page fetches what it
    missed as soon as the socket opens, and nothing may fall between the two.

    A refused socket is accepted and closed with a reason code: htmx's
    WebSocket extension reconnects only after abnormal closes, so a refused
    page does not hammer the server, and it can tell the person why.
    """

    subscribed: frozenset[str] = frozenset()
    #: The language of the page that opened the socket: fragments come in it.
    language: str = settings.LANGUAGE_CODE

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Keys of the fragments sent lately, so one that arrives through two
        # feeds (possible on the home timeline) is sent once.
        self.recent_keys: deque[str] = deque(maxlen=64)
        # The login this socket was opened with has ended: nothing more is sent.
        self.ended = False
        self.session_group: str | None = None
        self.rechecks: asyncio.Task | None = None
        self.frame_send = None

    async def __call__(self, scope, receive, send) -> None:
        """As channels' own, with a cheaper wait for the next message.

        channels waits on the socket and the channel layer with a new task and an
        ``asyncio.wait`` for every message; here one reader per source runs for
        the socket's life, and a lock keeps handlers one at a time, in the order
        their messages came. A reader that finds messages waiting takes them
        without yielding, so a burst for one socket is handled in one turn of the
        loop (and leaves as one frame, ``realtime.daphne_server``).
        """
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        if self.channel_layer is None:
            await super().__call__(scope, receive, send)
            return
        self.channel_name = await self.channel_layer.new_channel()
        self.base_send = send
        self.frame_send = innermost_send(send)
        one_at_a_time = asyncio.Lock()

        async def read(source) -> None:
            while True:
                message = await source()
                async with one_at_a_time:
                    await self.dispatch(message)

        layer_receive = self.channel_layer.receive
        channel_name = self.channel_name
        readers = [
            asyncio.ensure_future(read(receive)),
            asyncio.ensure_future(read(lambda: layer_receive(channel_name))),
        ]
        try:
            done, _pending = await asyncio.wait(readers, return_when=asyncio.FIRST_EXCEPTION)
            for reader in done:
                reader.result()  # StopConsumer, or what a handler raised
        except StopConsumer:
            pass
        finally:
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)

    async def dispatch(self, message: dict) -> None:
        """As channels' own, without its database clean-up before every message.

        channels closes stale database connections in a worker thread before
        handling *each* message: a thread round trip per socket per fragment,
        half a process's time when a post fans out to a thousand sockets. This
        consumer touches the database only through ``database_sync_to_async``,
        which does that clean-up itself around every call.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def feed_groups(self, user) -> set[str] | None:
        raise NotImplementedError

    async def connect(self) -> None:
        self.language = page_language(self.scope)
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.refuse(CLOSE_NOT_LOGGED_IN)
            return
        wanted = await database_sync_to_async(self.feed_groups)(user)
        if wanted is None:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        session_key = self.scope["session"].session_key
        self.session_group = groups.session(session_key)
        await self.subscribe(wanted | self.own_groups())
        await self.accept()
        self.rechecks = asyncio.ensure_future(self.recheck_now_and_then())

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def subscribe(self, wanted: set[str]) -> None:
        for name in wanted - self.subscribed:
            await self.channel_layer.group_add(name, self.channel_name)
        for name in self.subscribed - wanted:
            await self.channel_layer.group_discard(name, self.channel_name)
        self.subscribed = frozenset(wanted)

    def own_groups(self) -> set[str]:
        """The groups every socket of this person and login joins, whatever its feed."""
        names = {groups.person(self.scope["user"].pk)}
        if self.session_group is not None:
            names.add(self.session_group)
        return names

    async def disconnect(self, code: int) -> None:
        if self.rechecks is not None:
            self.rechecks.cancel()
        await self.subscribe(set())

    async def send(self, text_data=None, bytes_data=None, close=False) -> None:
        """Nothing reaches a socket whose login has ended, not even a push queued
        before the end was heard."""
        if self.ended:
            return
        await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    async def session_end(self, event: dict) -> None:
        """The login this socket was opened with ended (logged out, deactivated,
        password changed, session deleted): close, and the page says so."""
        await self.end_login()

    async def end_login(self) -> None:
        if self.ended:
            return
        self.ended = True
        await self.subscribe(set())
        await self.close(code=CLOSE_NOT_LOGGED_IN)

    async def recheck_now_and_then(self) -> None:
        """The safety net under the signals: now and then (jittered, so sockets opened
        together do not check together) the login is checked, and the feeds."""
        with contextlib.suppress(asyncio.CancelledError):
            while not self.ended:
                interval = settings.SOCKET_RECHECK_SECONDS
                await asyncio.sleep(interval * random.uniform(0.75, 1.25))  # noqa: S311
                await self.session_recheck({})

    async def session_recheck(self, event: dict) -> None:
        """Does the login still hold? If not, close; if so, follow only the feeds the
        person may still read."""
        if self.ended:
            return
        session_key = self.scope["session"].session_key
        holds = await database_sync_to_async(sessions.login_holds)(session_key, self.scope["user"])
        if not holds:
            await self.end_login()
            return
        await self.access_changed(event)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        """Pages only listen; anything they send is ignored."""

    async def feed_html(self, event: dict) -> None:
        key = event.get("key")
        if key is not None:
            if key in self.recent_keys:
                return
            self.recent_keys.append(key)
        await self.send_shared(fragments.in_language(event["html"], self.language), key)

    async def send_shared(self, text: str, key: str | None) -> None:
        """Send a text that every socket of its event and language receives alike:
        the server may frame it once for all of them (``realtime.frames``)."""
        if self.ended:
            return
        if key is None or self.frame_send is None:
            await self.send(text_data=text)
            return
        await self.frame_send(
            {"type": "websocket.send", "text": text, FRAME_KEY: f"{key}:{self.language}"}
        )

    async def layer_reconnected(self, event: dict) -> None:
        await self.close(code=CLOSE_SERVICE_RESTART)

    async def notices_changed(self, event: dict) -> None:
        """The person's notifications changed: send the bell its new count."""
        count = database_sync_to_async(notice_count_message)
        await self.send(text_data=await count(self.scope["user"], self.language))

    async def access_changed(self, event: dict) -> None:
        """The person joined, left or lost a group, or follows something new:
        hear exactly what they may read now."""
        if self.ended:
            return
        user = self.scope["user"]
        wanted = await database_sync_to_async(self.feed_groups)(user)
        if wanted is None:
            await self.subscribe(set())
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.subscribe(wanted | self.own_groups())


def innermost_send(send):
    """The server's own send under channels' session middleware, which only looks at
    HTTP responses and the WebSocket accept (to save the session, set cookies)
    and passes a ``websocket.send`` on untouched: for a fragment sent to a
    thousand sockets, that pass is work for nothing."""
    while hasattr(wrapper := getattr(send, "__self__", None), "real_send"):
        send = wrapper.real_send
    return send


def page_language(scope: dict) -> str:
    """The language the page asked for (``?lang=``, which the page sets from its own),
    if the site speaks it; else the site's."""
    asked = parse_qs(scope.get("query_string", b"").decode()).get("lang", [""])[0]
    spoken = {code for code, _name in settings.LANGUAGES}
    return asked if asked in spoken else settings.LANGUAGE_CODE


class GroupFeedConsumer(FeedConsumer):
    def feed_groups(self, user) -> set[str] | None:
        group_id = queries.readable_group_id(user, self.scope["url_route"]["kwargs"]["slug"])
        return None if group_id is None else {groups.group_feed(group_id)}


def every_scope_of(user, feed_name) -> set[str]:
    """A feed shared by all (tags, profiles) comes in scopes: posts from open groups,
    and one per closed or secret group; a viewer hears the scopes they may read."""
    return {feed_name(None)} | {feed_name(group_id) for group_id in queries.private_group_ids(user)}


class TagFeedConsumer(FeedConsumer):
    def feed_groups(self, user) -> set[str] | None:
        name = queries.tag_name(self.scope["url_route"]["kwargs"]["name"])
        if name is None:
            return None
        return every_scope_of(user, lambda group_id: groups.tag_feed(name, group_id))


class HomeConsumer(FeedConsumer):
    """The home timeline hears the feeds it is made of (``queries.home_sources``), and
    the major incidents' widget (``realtime.incidents``)."""

    def feed_groups(self, user) -> set[str] | None:
        sources = queries.home_sources(user)
        return (
            {groups.group_feed(group_id) for group_id in sources.group_ids}
            | {groups.author_feed(author_id, None) for author_id in sources.author_ids}
            | {groups.tag_feed(name, None) for name in sources.tag_names}
            | live_incidents.home_groups(user)
        )


class PersonFeedConsumer(FeedConsumer):
    """A profile's posts: those in open groups, and in the viewer's private groups."""

    def feed_groups(self, user) -> set[str] | None:
        author_id = queries.person_id(self.scope["url_route"]["kwargs"]["username"])
        if author_id is None:
            return None
        return every_scope_of(user, lambda group_id: groups.author_feed(author_id, group_id))
