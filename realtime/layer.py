"""The channel layer for the scaled-out setup: channels-redis over Redis pub/sub.

Why pub/sub: a post to a feed is *one* PUBLISH; every Daphne process that has
a socket on that feed receives it once and hands it to its own sockets. The
list-based layer (``channels_redis.core``) instead copies the message into a
queue per socket and each process pops the copies one round trip at a time,
so its cost grows with the audience (see docs/BENCHMARKS.md).

What pub/sub gives up is storage: a message published while a process is cut
off from Redis is gone. Kring's pages already repair that: whenever their
socket (re)connects they fetch what they missed. So this layer makes sure they
do reconnect: when its subscription connection comes back after a loss, every
socket of the process is told (``layer.reconnected``) and closes with 1012
("service restart"), which the htmx WebSocket extension answers by
reconnecting, and the page by catching up.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from channels_redis import pubsub
from channels_redis.utils import _wrap_close
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

#: Sent to every socket of a process whose Redis subscription came back.
RECONNECTED = {"type": "layer.reconnected"}


class _NoticingPubSub(PubSub):
    """redis-py's PubSub resubscribes on reconnect; this one also says so."""

    def __init__(self, *args, on_reconnect, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_reconnect = on_reconnect

    async def on_connect(self, connection) -> None:
        # Called by the connection on every reconnect (not the first connect).
        await super().on_connect(connection)
        self._on_reconnect()


class _Shard(pubsub.RedisSingleShardConnection):
    def _ensure_redis(self) -> None:
        if self._redis is None:
            super()._ensure_redis()
            self._pubsub = _NoticingPubSub(
                self._redis.connection_pool,
                event_dispatcher=self._redis._event_dispatcher,
                on_reconnect=self._tell_every_channel,
            )

    def _tell_every_channel(self) -> None:
        loop_layer = self.channel_layer
        logger.warning(
            "Redis subscription restored; %d sockets reconnect to catch up",
            len(loop_layer.channels),
        )
        notice = loop_layer.channel_layer.serialize(RECONNECTED)
        for queue in loop_layer.channels.values():
            queue.put_nowait(notice)


class _LoopLayer(pubsub.RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


# Messages whose decoded form is kept: a group's message is handed to each of
# the process's sockets on it within a few turns of the event loop.
DECODED_KEPT = 32


class PubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    """``channels_redis.pubsub.RedisPubSubChannelLayer`` that reports lost subscriptions,
    and decodes a group's message once for all the process's sockets on it.

    channels-redis hands the bytes that came from Redis to every channel of the
    group and each receiver decodes them again (msgpack, a few KB of HTML per
    language): a thousand times for one post on a watched feed. The same bytes
    decode to the same message, so the decoded form of the last few is kept;
    each receiver gets its own copy of the outer dict (a handler may add keys)
    whose values are shared and only read.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._decoded: OrderedDict[bytes, dict] = OrderedDict()

    def deserialize(self, message: bytes) -> dict:
        decoded = self._decoded.get(message)
        if decoded is None:
            decoded = super().deserialize(message)
            self._decoded[message] = decoded
            if len(self._decoded) > DECODED_KEPT:
                self._decoded.popitem(last=False)
        return dict(decoded)

    def _get_layer(self) -> _LoopLayer:
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return self._layers[loop]
