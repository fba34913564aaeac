"""Daphne, refusing a request body larger than its place allows before reading it;
framing a live fragment once for every socket that gets it; and a garbage
collector that does not pause a process holding thousands of sockets.

Daphne (on Twisted) reads a request's whole body into memory or a temporary
file before it calls the application, so a limit in Django comes too late: a
12 MB photo, or a gigabyte, would already be on the server. Twisted tells the
request its ``Content-Length`` as soon as the headers are in
(``Request.gotLength``): here a body declared (or, chunked, arriving) larger
than the limit for its path (``limits.bodies``) is not read. The application
is called at once with an empty body, and ``project.body_limit`` in front of
Django answers 413 with a page (or, over htmx, a message for the form) in the
person's language. The
connection closes after the answer; what the client still sends meanwhile is
dropped unread for a few seconds (so a browser, still sending, reads the
answer instead of a reset connection), then the connection is cut.

Live fragments (``realtime.consumers``) are most of what Daphne writes, and
one post is the same fragment, in one language, on a thousand sockets. A
WebSocket send that carries a frame key (``FRAME_KEY``: the event and the
language, given only when every socket would send the identical text) is
framed once per process (autobahn's prepared messages) and the same bytes go
to every socket. Sends that arrive for one socket in one turn of the event
loop (a burst of posts) leave as one frame: the htmx WebSocket extension
swaps every out-of-band element of a message. And a frame is written to the
socket at once when nothing waits before it, instead of through Twisted's
buffer, which registers and unregisters the socket with the event loop for
every write.

Usage: ``python -m realtime.daphne_server`` with Daphne's own arguments.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections import OrderedDict
from collections.abc import Sequence

import daphne.server
from autobahn.websocket.protocol import PreparedMessage
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
from twisted.internet import tcp

from limits.bodies import body_limit
from realtime import collector
from realtime.frames import FRAME_KEY

logger = logging.getLogger(__name__)

# How long a refused connection still takes (and drops) what the client sends.
LINGER_SECONDS = 5


class BoundedRequest(WebRequest):
    """Daphne's request, which does not take in a body beyond the limit."""

    body_refused = False
    received = 0
    limit = 0

    def gotLength(self, length: int | None) -> None:  # noqa: N802 (Twisted's name)
        # The request line is in (the channel holds its path until the body is).
        self.limit = body_limit(self.channel._path.decode("latin-1"))
        if length is not None and length > self.limit:
            # A body of no length: the channel answers at once instead of reading it.
            self.channel.length = 0
            self.requestHeaders.removeHeader(b"Expect")  # no "100 Continue": do not send it
            self._refuse_body()
            return
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:  # noqa: N802
        if self.body_refused:
            return
        self.received += len(data)
        if self.received > self.limit:
            # A chunked body, no length declared, grown past the limit: stop reading
            # it, and tell the application the length that came, which is too much.
            decoder = self.channel._transferDecoder
            decoder.dataCallback = decoder.finishCallback = lambda data: None
            self.requestHeaders.removeHeader(b"Transfer-Encoding")
            self.requestHeaders.setRawHeaders(b"Content-Length", [b"%d" % self.received])
            self._refuse_body()
            self.channel.allContentReceived()
            return
        super().handleContentChunk(data)

    def _refuse_body(self) -> None:
        self.body_refused = True
        self.content = io.BytesIO()
        # The rest of the body would be read as the next request: this is the last.
        self.channel.persistent = False
        self.responseHeaders.setRawHeaders(b"Connection", [b"close"])
        channel = self.channel
        channel.loseConnection = lambda: _linger(channel)


def _linger(channel) -> None:
    """Close once the answer is out, while dropping what the client still sends.
    Closing at once with unread data would reset the connection, and a browser
    shows a reset instead of the answer it already has."""
    from twisted.internet import reactor  # Daphne's (asyncio) reactor, installed by now

    channel.dataReceived = lambda data: None
    channel.setTimeout(None)
    transport = channel.transport
    transport.loseWriteConnection()
    reactor.callLater(LINGER_SECONDS, transport.abortConnection)  # type: ignore[arg-type]  # a zope interface, seen unbound


class BoundedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):  # noqa: N802
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BoundedRequest
        return protocol


# Prepared frames kept per process: a post's fragment goes out to all its
# sockets within a few turns of the loop, so a few dozen cover every burst.
PREPARED_FRAMES = 64


class PreparedFrames:
    """Frames made once and written to many sockets, by (event, language)."""

    def __init__(self, size: int = PREPARED_FRAMES) -> None:
        self.size = size
        self.frames: OrderedDict[object, PreparedMessage] = OrderedDict()

    def get(self, key: object, text: str) -> PreparedMessage:
        frame = self.frames.get(key)
        if frame is None:
            # A server's frames are not masked; Daphne negotiates no compression.
            frame = PreparedMessage(text.encode(), False, False, True)
            self.frames[key] = frame
            if len(self.frames) > self.size:
                self.frames.popitem(last=False)
        return frame


prepared_frames = PreparedFrames()


class Outbox:
    """Texts waiting for the end of this turn of the event loop, per socket: all of
    a turn's texts for one socket leave together, once per turn."""

    def __init__(self) -> None:
        self.waiting: list[LiveWebSocketProtocol] = []
        self.scheduled = False

    def add(self, protocol: LiveWebSocketProtocol) -> None:
        self.waiting.append(protocol)
        if not self.scheduled:
            self.scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        waiting, self.waiting, self.scheduled = self.waiting, [], False
        for protocol in waiting:
            # One socket's failure must not leave the others' texts waiting for good.
            try:
                protocol.flush_texts()
            except Exception:
                logger.exception("Writing a WebSocket frame failed")


outbox = Outbox()


def write_now(transport, data: bytes) -> None:
    """Write to the socket at once when Twisted holds nothing for it yet (the usual
    case: a fragment is a few KB); else, or for what the socket did not take, through
    Twisted's buffer, which keeps the order."""
    if (
        type(transport) is tcp.Server
        and transport.connected
        and not transport.disconnecting
        and not transport._tempDataLen
        and transport.offset == len(transport.dataBuffer)
    ):
        sent = transport.writeSomeData(data)
        if isinstance(sent, int) and sent >= 0:
            if sent == len(data):
                return
            data = data[sent:]
    transport.write(data)


class LiveWebSocketProtocol(WebSocketProtocol):
    """Daphne's WebSocket protocol, with shared and coalesced frames (module docstring)."""

    texts: list[tuple[str, object]] | None = None

    def handle_reply(self, message: dict) -> None:
        if (
            message.get("type") == "websocket.send"
            and self.state == self.STATE_OPEN
            and isinstance(message.get("text"), str)
            and not message.get("bytes")
        ):
            if self.texts is None:
                self.texts = []
                outbox.add(self)
            self.texts.append((message["text"], message.get(FRAME_KEY)))
            return
        # Anything else (a close) comes after the texts sent before it.
        self.flush_texts()
        super().handle_reply(message)

    def flush_texts(self) -> None:
        texts, self.texts = self.texts, None
        if not texts or self.state != self.STATE_OPEN:
            return
        if len(texts) == 1 and texts[0][1] is not None:
            data = prepared_frames.get(texts[0][1], texts[0][0]).payloadHybi
        else:
            text = "".join(text for text, _key in texts)
            data = PreparedMessage(text.encode(), False, False, True).payloadHybi
        if self.send_queue:  # autobahn's own queue (a chopped or synchronous send)
            self.sendData(data)
        else:
            write_now(self.transport, data)

    def connectionLost(self, reason) -> None:  # noqa: N802 (Twisted's name)
        self.texts = None
        super().connectionLost(reason)


class LiveWebSocketFactory(WebSocketFactory):
    protocol = LiveWebSocketProtocol


def main(argv: Sequence[str] | None = None) -> None:
    # Daphne's Server.run builds its factories from these names; ours differ
    # only in the request and the WebSocket protocol they make.
    daphne.server.HTTPFactory = BoundedHTTPFactory
    daphne.server.WebSocketFactory = LiveWebSocketFactory
    collector.tune_after_start_up()
    CommandLineInterface().run(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
