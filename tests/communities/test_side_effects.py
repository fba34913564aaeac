"""The side effects of a write are independent: one that fails takes nothing else down."""

import logging

import pytest
from channels.db import database_sync_to_async

from communities import actions, signals
from notices import queries as notice_queries
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import socket_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def a_failing_receiver():
    """A listener of new posts that always raises, heard before the others."""

    def explode(sender, **kwargs):
        raise RuntimeError("this listener is broken")

    signal = signals.post_published
    signal.connect(explode, weak=False, dispatch_uid="explode")
    # Connected last; moved first, so the push and the notification come after it.
    signal.receivers.insert(0, signal.receivers.pop())
    signal.sender_receivers_cache.clear()
    yield explode
    signal.disconnect(dispatch_uid="explode")


async def test_a_failing_receiver_drops_neither_the_live_push_nor_the_notification(
    a_failing_receiver, caplog
):
    alice = await database_sync_to_async(PersonFactory)(username="alice", display_name="Alice")
    bob = await database_sync_to_async(PersonFactory)(username="bob")
    group = await database_sync_to_async(GroupFactory)(
        name="Wondzorg", slug="wondzorg", members=[alice, bob]
    )
    bobs_page = await socket_of(bob, "/ws/groups/wondzorg/")

    with caplog.at_level(logging.ERROR, logger="django.dispatch"):
        post = await database_sync_to_async(actions.post_to_group)(
            alice, group, "Overdracht om 14:00, @bob"
        )

    # The bell's new count and the post, in either order.
    arrived = [await bobs_page.receive_from(timeout=2) for _ in range(2)]
    assert sum(f'id="post-{post.pk}"' in message for message in arrived) == 1
    assert sum('id="notice-count"' in message for message in arrived) == 1
    texts = [n.text for n in await database_sync_to_async(notice_queries.latest)(bob)]
    assert texts == ["Alice mentioned you in Wondzorg"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1 and "explode" in failures[0].getMessage()
    assert failures[0].name == "django.dispatch"
    assert failures[0].exc_info[1].args == ("this listener is broken",)
    await bobs_page.disconnect()
