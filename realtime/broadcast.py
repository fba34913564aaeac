"""Pushes domain events to open sockets: rendered once, sent to every entitled socket."""

import asyncio
import os
import threading
import uuid

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.dispatch import receiver

from communities import fragments, queries, signals
from realtime import groups


@receiver(signals.post_goes_live)
def push_new_post(sender, post, **kwargs) -> None:
    """Send the new post, rendered once, to every feed that shows it.

    Each feed is one channel-layer group that only the post's readers join
    (``queries.delivery_of`` gives its scope): the group's page, its #tags'
    pages, the author's profile. Home timelines listen to those same feeds
    (``queries.home_sources``), so the cost of a post does not grow with the
    number of people whose timeline it reaches. It is rendered once per language;
    each socket passes on the one of its page.
    """
    message = fragments.published_post_messages(post)
    send_to_groups(feeds_showing(post), feed_message(message))


@receiver(signals.post_changed)
def push_post_change(sender, post, change, reply=None, **kwargs) -> None:
    """A reply, a reaction, an edit, a deletion or a pin reaches every feed that shows
    the post."""
    message = fragments.post_changed_messages(post, change, reply)
    if message:
        send_to_groups(feeds_showing(post), feed_message(message))


def feed_message(html: fragments.Rendered) -> dict:
    """A fragment for sockets, in each language. A home timeline may hear it through
    several feeds (a followed person's post in one of the reader's groups): the
    ``key`` lets it pass the fragment on once."""
    return {"type": "feed.html", "html": html, "key": uuid.uuid4().hex}


def feeds_showing(post) -> list[str]:
    """The channel-layer groups of every open page that may show this post."""
    delivery = queries.delivery_of(post)
    private_group = None if delivery.open_to_all else post.group_id
    names = [groups.group_feed(post.group_id)]
    names += [groups.tag_feed(tag, private_group) for tag in delivery.tag_names]
    names.append(groups.author_feed(post.author_id, private_group))
    return names


@receiver(signals.connections_changed)
def push_connections(sender, person_ids, **kwargs) -> None:
    """A follow or unfollow: the follower and following counts (and lists) on every
    open profile of both people. Profiles are open to every logged-in person, so
    every socket of a profile hears its feed's open scope."""
    for person_id in person_ids:
        message = fragments.connections_messages(person_id)
        if message:
            send_to_groups([groups.author_feed(person_id, None)], feed_message(message))


@receiver(signals.access_changed)
@receiver(signals.follows_changed)
def recheck_access(sender, person_id, **kwargs) -> None:
    """Ask that person's open sockets to check what they may read, and follow, now."""
    send_to_groups([groups.person(person_id)], {"type": "access.changed"})


# Sends in flight at once: overlapping them hides Redis round trips, but each
# holds a connection from the channel layer's pool, which is bounded.
CONCURRENT_SENDS = 20


def send_to_groups(names: list[str], message: dict) -> None:
    """One message to many channel-layer groups, a bounded number at a time."""
    layer = get_channel_layer()

    async def send_all() -> None:
        slots = asyncio.Semaphore(CONCURRENT_SENDS)

        async def send(name: str) -> None:
            async with slots:
                await layer.group_send(name, message)

        await asyncio.gather(*(send(name) for name in names))

    if os.environ.get(IN_WORKER) == "1" and not isinstance(layer, InMemoryChannelLayer):
        asyncio.run_coroutine_threadsafe(send_all(), _publishing_loop()).result(SEND_TIMEOUT)
    else:
        async_to_sync(send_all)()


#: The environment variable a Celery worker sets to "1" (``project.celery``): it has
#: no event loop of its own, and ``async_to_sync`` would make one per send, with a
#: new Redis connection each time. There, every send of the process goes through
#: one loop kept running in a thread, whose connections stay open.
IN_WORKER = "KRING_CELERY_WORKER"
SEND_TIMEOUT = 30
_publishing: tuple[int, asyncio.AbstractEventLoop] | None = None
_publishing_lock = threading.Lock()


def _publishing_loop() -> asyncio.AbstractEventLoop:
    """This process's publishing loop (made again in a forked child)."""
    global _publishing
    with _publishing_lock:
        if _publishing is None or _publishing[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="kring-publish", daemon=True).start()
            _publishing = (os.getpid(), loop)
        return _publishing[1]
