"""WebSockets through the real ASGI stack (origin check, session auth), for tests."""

import uuid

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from project.asgi import application
from realtime import groups

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
MARKER = "<!-- settled "


def session_cookie(person) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(person)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def open_socket(path, *headers):
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    connected, _ = await communicator.connect()
    return communicator, connected


async def socket_of(person, path):
    """A connected socket of ``person`` on ``path``."""
    communicator, connected = await open_socket(
        path, await database_sync_to_async(session_cookie)(person)
    )
    assert connected
    return communicator


async def settled(communicator, person, *, may_close: bool = False) -> list[str]:
    """Everything the socket of ``person`` sends until it has handled all that was sent
    to it so far: the proof that something did *not* come, without waiting a while.

    A marker goes to ``person``'s channel-layer group, which every socket of theirs
    joins. The layer delivers to a socket in order and the consumer handles one message
    at a time, so when the marker comes back, whatever reached the socket before it (a
    post's fragment, an access change) has been handled: the messages before the marker
    are all there were. A socket that closes instead fails, unless ``may_close`` (a
    refused socket, which joined no group) returns what it sent before closing. Markers
    of other sockets of the same person (they reach all of them) are passed over."""
    marker = f"{MARKER}{uuid.uuid4().hex} -->"
    await get_channel_layer().group_send(
        groups.person(person.pk), {"type": "feed.html", "html": {settings.LANGUAGE_CODE: marker}}
    )
    messages = []
    while True:
        output = await communicator.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            assert may_close, f"closed with {output.get('code')} after {messages}"
            return messages
        text = output.get("text")
        if text == marker:
            return messages
        if not text.startswith(MARKER):
            messages.append(text)
