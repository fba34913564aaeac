"""Live pushes render the same fragments, avatars included."""

import pytest
from channels.db import database_sync_to_async

from communities import actions
from communities.uploads import prepare_profile_photo
from tests.people.helpers import upload
from tests.sockets import open_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_pushed_post_and_reply_show_their_authors_avatars(team):
    await database_sync_to_async(actions.set_person_photo)(
        team.alice, prepare_profile_photo(upload())
    )
    socket, connected = await open_socket(
        "/ws/groups/wondzorg/", await database_sync_to_async(session_cookie)(team.bob)
    )
    assert connected
    post = await database_sync_to_async(actions.post_to_group)(team.alice, team.group, "Hallo")
    message = await socket.receive_from(timeout=2)
    assert f'id="post-{post.pk}"' in message
    assert f'<img class="avatar avatar-sm" src="{team.alice.photo_url()}" alt=""' in message
    await database_sync_to_async(actions.reply_to_post)(team.bob, post, "Dag!")
    message = await socket.receive_from(timeout=2)
    while "Dag!" not in message:
        message = await socket.receive_from(timeout=2)
    assert 'class="avatar avatar-xs avatar-c' in message and 'aria-hidden="true"' in message
