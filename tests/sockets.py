"""WebSockets through the real ASGI stack (origin check, session auth), for tests."""

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from project.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


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
