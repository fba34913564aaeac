"""Open event pages hear the places left, and a person moved up hears their own answer."""

import pytest
from channels.db import database_sync_to_async

from agenda import actions
from communities import actions as community_actions
from communities.models import Group
from realtime.consumers import CLOSE_FORBIDDEN
from tests.agenda.helpers import make_event
from tests.factories import GroupFactory
from tests.sockets import open_socket, session_cookie, settled, socket_of

pytestmark = pytest.mark.django_db(transaction=True)

sync = database_sync_to_async


async def test_the_places_left_reach_every_open_page_and_the_one_moved_up_hears_it(team):
    event = await sync(make_event)(team.alice, team.group, capacity=1)
    await sync(actions.sign_up)(team.bob, event)
    await sync(actions.sign_up)(team.carol, event)
    path = f"/ws/agenda/{event.pk}/"
    carol = await socket_of(team.carol, path)
    alice = await socket_of(team.alice, path + "?lang=nl")
    await sync(actions.decline)(team.bob, event)
    for_carol = await settled(carol, team.carol)
    assert any(
        f'hx-swap-oob="innerHTML:#event-{event.pk}-places">Full</span>' in m for m in for_carol
    )
    own = [m for m in for_carol if f'id="event-{event.pk}-status"' in m]
    assert len(own) == 1 and "You are going." in own[0]
    for_alice = await settled(alice, team.alice)
    assert any(">Vol</span>" in m or "Full" in m for m in for_alice)
    # Alice's page hears the count, never Carol's own answer.
    assert not any("event-status" in m for m in for_alice)
    await carol.disconnect()
    await alice.disconnect()


async def test_a_socket_for_an_event_one_may_not_see_is_refused(team):
    secret = await sync(GroupFactory)(
        slug="geheim", privacy=Group.Privacy.SECRET, members=[team.alice]
    )
    event = await sync(make_event)(team.alice, secret)
    cookie = await sync(session_cookie)(team.bob)
    for path in [f"/ws/agenda/{event.pk}/", "/ws/agenda/999999/"]:
        communicator, _connected = await open_socket(path, cookie)
        assert await communicator.receive_output() == {
            "type": "websocket.close",
            "code": CLOSE_FORBIDDEN,
        }


async def test_leaving_the_group_stops_the_events_socket_at_once(team):
    closed = await sync(GroupFactory)(
        slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice, team.bob]
    )
    event = await sync(make_event)(team.alice, closed, capacity=3)
    bob = await socket_of(team.bob, f"/ws/agenda/{event.pk}/")
    await sync(community_actions.leave_group)(team.bob, closed)
    output = await bob.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
