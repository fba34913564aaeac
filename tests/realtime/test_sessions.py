"""An open socket follows the login it was opened with: when the login ends, the
socket closes with 4401 ("not logged in") and hears nothing more."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from communities import actions
from communities.models import Group, Membership
from realtime import groups
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_LOGGED_IN
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import MARKER, open_socket, settled

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secret(team):
    return GroupFactory(slug="secret", privacy=Group.Privacy.SECRET, members=[team.alice])


def logged_in(person) -> tuple[Client, tuple[bytes, bytes]]:
    client = Client()
    client.force_login(person)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return client, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def secret_socket(person):
    client, cookie = await database_sync_to_async(logged_in)(person)
    socket, connected = await open_socket("/ws/groups/secret/", cookie)
    assert connected
    assert await settled(socket, person) == []  # accepted and listening
    return client, socket


async def close_code(socket) -> int:
    """The code the socket closes with; the markers of other sockets of the same
    person (``settled``) that reached it before are passed over, anything else fails."""
    while True:
        output = await socket.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            return output["code"]
        assert output["text"].startswith(MARKER), output


async def hears_nothing_more(socket, team, secret) -> None:
    """Closed, and a new secret post does not reach it."""
    await database_sync_to_async(actions.post_to_group)(team.alice, secret, "Na het einde")
    assert await socket.receive_nothing(timeout=0.2)


async def test_logging_out_closes_the_sockets_of_that_login(team, secret):
    client, socket = await secret_socket(team.alice)
    _other_client, other_login = await secret_socket(team.alice)

    response = await database_sync_to_async(client.post)("/logout/")
    assert response.status_code == 302
    assert await close_code(socket) == CLOSE_NOT_LOGGED_IN
    await hears_nothing_more(socket, team, secret)
    # A login elsewhere goes on, and hears the post.
    assert "Na het einde" in await other_login.receive_from(timeout=2)
    await other_login.disconnect()


async def test_a_new_password_closes_every_socket_of_the_person(team, secret):
    _client, socket = await secret_socket(team.alice)

    def change_password():
        team.alice.set_password("een nieuw wachtwoord 42")
        team.alice.save()

    await database_sync_to_async(change_password)()
    assert await close_code(socket) == CLOSE_NOT_LOGGED_IN
    await hears_nothing_more(socket, team, secret)


async def test_deactivating_the_account_closes_its_sockets(team, secret):
    _client, socket = await secret_socket(team.alice)
    _client, bob_socket = await secret_socket_of_bob(team)

    admin = await database_sync_to_async(PersonFactory)(is_staff=True, is_superuser=True)
    await database_sync_to_async(actions.deactivate_person)(admin, team.alice)
    assert await close_code(socket) == CLOSE_NOT_LOGGED_IN
    await hears_nothing_more(socket, team, secret)
    # Someone else's socket stays open.
    assert await settled(bob_socket, team.bob) == []
    await bob_socket.disconnect()


async def secret_socket_of_bob(team):
    client, cookie = await database_sync_to_async(logged_in)(team.bob)
    socket, connected = await open_socket("/ws/groups/wondzorg/", cookie)
    assert connected
    return client, socket


async def test_a_deleted_session_closes_its_sockets(team, secret):
    client, socket = await secret_socket(team.alice)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
    assert await close_code(socket) == CLOSE_NOT_LOGGED_IN
    await hears_nothing_more(socket, team, secret)


async def recheck(person) -> None:
    """What each socket does by itself every SOCKET_RECHECK_SECONDS, now."""
    await get_channel_layer().group_send(groups.person(person.pk), {"type": "session.recheck"})


async def test_the_recheck_closes_a_socket_whose_session_expired(team, secret):
    client, socket = await secret_socket(team.alice)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Expired, and nothing told the socket (no signal: time just passed).
    await database_sync_to_async(Session.objects.filter(session_key=key).update)(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    await recheck(team.alice)
    assert await close_code(socket) == CLOSE_NOT_LOGGED_IN
    await hears_nothing_more(socket, team, secret)


async def test_the_recheck_drops_a_feed_the_person_may_no_longer_read(team, secret):
    _client, socket = await secret_socket(team.alice)
    _client, open_feed = await secret_socket_of_bob(team)
    # Out of the group without the action's signal (say, a change made in the database).
    await database_sync_to_async(
        Membership.objects.filter(person=team.alice, group=secret).delete
    )()

    await recheck(team.alice)
    assert await close_code(socket) == CLOSE_FORBIDDEN
    await recheck(team.bob)
    assert await settled(open_feed, team.bob) == []  # still readable, still open
    await open_feed.disconnect()


async def test_erasing_a_person_closes_their_sockets(team, secret):
    from privacy.actions import erase_person

    _client, socket = await secret_socket(team.alice)
    admin = await database_sync_to_async(PersonFactory)(is_staff=True, is_superuser=True)

    await database_sync_to_async(erase_person)(admin, team.alice)
    # Her memberships go first in the same commit: the feed may close as forbidden
    # before her sessions' end arrives. Either way it closes, as a refusal (no retry).
    assert await close_code(socket) in {CLOSE_NOT_LOGGED_IN, CLOSE_FORBIDDEN}
