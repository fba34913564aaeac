"""The home page's socket hears the widget, rendered once per language; a socket
without a login hears nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from incidents import actions, tasks
from incidents.models import Incident
from realtime.consumers import CLOSE_NOT_LOGGED_IN
from tests.sockets import open_socket, settled, socket_of

pytestmark = pytest.mark.django_db(transaction=True)


def report(external_id="TD-1", **fields):
    fields.setdefault("title", "Email is down")
    return actions.record_incident("topdesk", external_id, **fields)


async def test_every_open_home_page_hears_an_incident_in_its_own_language(team):
    english = await socket_of(team.alice, "/ws/home/?lang=en")
    dutch = await socket_of(team.bob, "/ws/home/?lang=nl")
    await database_sync_to_async(report)(status="open")
    heard_en = await settled(english, team.alice)
    heard_nl = await settled(dutch, team.bob)
    assert len(heard_en) == 1 and len(heard_nl) == 1
    assert 'id="incidents-live" hx-swap-oob="innerHTML"' in heard_en[0]
    assert "Email is down" in heard_en[0] and "Email is down" in heard_nl[0]
    assert ">Follow<" in heard_en[0]
    assert ">Volgen<" in heard_nl[0] and ">Follow<" not in heard_nl[0]
    # The poller's same answer again: nothing pushed.
    await database_sync_to_async(report)(status="open")
    assert await settled(english, team.alice) == []
    await english.disconnect()
    await dutch.disconnect()


async def test_a_resolved_incident_whose_time_is_up_is_pushed_away(team, settings):
    settings.INCIDENTS_SHOW_RESOLVED_SECONDS = 60
    incident, _ = await database_sync_to_async(report)(status="resolved")
    socket = await socket_of(team.alice, "/ws/home/")
    # Not yet: nothing to push.
    assert await database_sync_to_async(tasks.expire_resolved)() is False
    assert await settled(socket, team.alice) == []
    await database_sync_to_async(Incident.objects.filter(pk=incident.pk).update)(
        resolved_at=timezone.now() - timedelta(seconds=61)
    )
    assert await database_sync_to_async(tasks.expire_resolved)() is True
    heard = await settled(socket, team.alice)
    assert len(heard) == 1 and "Email is down" not in heard[0]
    await socket.disconnect()


async def test_a_socket_without_a_login_is_closed_and_hears_nothing(team):
    socket, connected = await open_socket("/ws/home/")
    assert connected
    output = await socket.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": CLOSE_NOT_LOGGED_IN}
    await database_sync_to_async(report)(status="open")
    assert await socket.receive_nothing(timeout=0.2)
