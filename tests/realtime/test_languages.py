"""Live fragments reach each reader in the language of their page, rendered once per
language the site speaks, not once per reader."""

from unittest import mock

import pytest
from channels.db import database_sync_to_async

from communities import actions, fragments
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import socket_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wondzorg():
    alice = PersonFactory(username="alice", display_name="Alice")
    readers = [PersonFactory(username=f"reader{n}") for n in range(5)]
    group = GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice, *readers])
    return alice, readers, group


async def test_a_new_post_reaches_dutch_pages_in_dutch_and_english_pages_in_english(wondzorg):
    alice, readers, group = wondzorg
    dutch = await socket_of(readers[0], "/ws/groups/wondzorg/?lang=nl")
    english = await socket_of(readers[1], "/ws/groups/wondzorg/?lang=en")
    unknown = await socket_of(readers[2], "/ws/groups/wondzorg/?lang=xx")

    await database_sync_to_async(actions.post_to_group)(alice, group, "Overdracht 14:00")

    in_dutch = await dutch.receive_from(timeout=2)
    in_english = await english.receive_from(timeout=2)
    assert "Overdracht 14:00" in in_dutch and "Overdracht 14:00" in in_english
    # The reaction buttons' labels and the reply button.
    assert 'aria-label="Vind ik leuk: 0"' in in_dutch and ">Reageren</button>" in in_dutch
    assert 'aria-label="Like: 0"' in in_english and ">Reply</button>" in in_english
    assert "Vind ik leuk" not in in_english and "Like:" not in in_dutch
    # A language the site does not speak gets the site's.
    assert 'aria-label="Like: 0"' in await unknown.receive_from(timeout=2)
    for socket in (dutch, english, unknown):
        await socket.disconnect()


async def test_replies_and_reactions_reach_a_dutch_page_in_dutch(wondzorg):
    alice, readers, group = wondzorg
    post = await database_sync_to_async(actions.post_to_group)(alice, group, "Vraag")
    dutch = await socket_of(readers[0], "/ws/groups/wondzorg/?lang=nl")

    await database_sync_to_async(actions.reply_to_post)(readers[1], post, "Antwoord")
    assert "1 reactie" in await dutch.receive_from(timeout=2)
    await database_sync_to_async(actions.toggle_reaction)(readers[1], post, "thanks")
    reactions = await dutch.receive_from(timeout=2)
    assert "Wie reageerde" in reactions and 'aria-label="Bedankt: 1"' in reactions
    assert "Who reacted" not in reactions
    await dutch.disconnect()


async def test_a_post_is_rendered_once_per_language_whatever_the_number_of_readers(wondzorg):
    alice, readers, group = wondzorg
    sockets = [
        await socket_of(reader, f"/ws/groups/wondzorg/?lang={'nl' if n % 2 else 'en'}")
        for n, reader in enumerate(readers)
    ]
    render = fragments.render_to_string
    with mock.patch.object(fragments, "render_to_string", side_effect=render) as rendered:
        await database_sync_to_async(actions.post_to_group)(alice, group, "Eén keer")
        for socket in sockets:
            assert "Eén keer" in await socket.receive_from(timeout=2)
    feeds = [c for c in rendered.call_args_list if c.args[0].endswith("new_posts.html")]
    assert len(feeds) == 2  # English and Dutch, for five readers
    for socket in sockets:
        await socket.disconnect()
