"""The WebSocket consumer behind the real ASGI stack (origin check, session auth)."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from communities import actions
from communities.models import Group
from project.asgi import application
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_LOGGED_IN
from tests.factories import GroupFactory
from tests.sockets import open_socket, session_cookie, settled

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secret(team):
    """Beside the team's open group, a secret group of Alice's alone."""
    return GroupFactory(slug="secret", privacy=Group.Privacy.SECRET, members=[team.alice])


async def test_a_socket_without_a_session_is_closed(team):
    communicator, connected = await open_socket("/ws/groups/wondzorg/")
    assert connected
    assert await communicator.receive_output() == {
        "type": "websocket.close",
        "code": CLOSE_NOT_LOGGED_IN,
    }


async def test_a_socket_from_another_site_is_refused(team):
    cookie = await database_sync_to_async(session_cookie)(team.alice)
    communicator = WebsocketCommunicator(
        application, "/ws/groups/wondzorg/", headers=[(b"origin", b"https://evil.example"), cookie]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_a_socket_for_a_group_the_person_may_not_read_is_closed(team, secret):
    cookie = await database_sync_to_async(session_cookie)(team.bob)
    for path in ["/ws/groups/secret/", "/ws/groups/no-such-group/"]:
        communicator, connected = await open_socket(path, cookie)
        assert await communicator.receive_output() == {
            "type": "websocket.close",
            "code": CLOSE_FORBIDDEN,
        }


async def test_a_member_receives_a_new_post_once(team, secret):
    alice_socket, connected = await open_socket(
        "/ws/groups/secret/", await database_sync_to_async(session_cookie)(team.alice)
    )
    assert connected
    reader_socket, connected = await open_socket(
        "/ws/groups/wondzorg/", await database_sync_to_async(session_cookie)(team.bob)
    )
    assert connected

    post = await database_sync_to_async(actions.post_to_group)(team.alice, secret, "Geheim overleg")
    message = await alice_socket.receive_from(timeout=2)
    assert 'hx-swap-oob="afterbegin:#feed-posts"' in message
    assert f'id="post-{post.pk}"' in message and "Geheim overleg" in message
    assert await settled(alice_socket, team.alice) == []  # once
    # A socket on another feed hears nothing of it.
    assert await settled(reader_socket, team.bob) == []

    await database_sync_to_async(actions.post_to_group)(team.alice, team.group, "Voor iedereen")
    assert "Voor iedereen" in await reader_socket.receive_from(timeout=2)
    await alice_socket.disconnect()
    await reader_socket.disconnect()


async def test_leaving_a_secret_group_closes_its_open_feed_at_once(team, secret):
    cookie = await database_sync_to_async(session_cookie)(team.alice)
    secret_socket, _ = await open_socket("/ws/groups/secret/", cookie)
    open_socket_, _ = await open_socket("/ws/groups/wondzorg/", cookie)

    await database_sync_to_async(actions.leave_group)(team.alice, secret)
    assert await secret_socket.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    # Leaving one group leaves the other feed alone; an open group stays readable.
    await database_sync_to_async(actions.leave_group)(team.alice, team.group)
    assert await settled(open_socket_, team.alice) == []  # handled, and still open
    await open_socket_.disconnect()
