"""Daphne, refusing a request body larger than its place allows before reading it.

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

Usage: ``python -m realtime.daphne_server`` with Daphne's own arguments.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

import daphne.server
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest

from limits.bodies import body_limit

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


def main(argv: Sequence[str] | None = None) -> None:
    # Daphne's Server.run builds its HTTP factory from this name; ours differs
    # only in the request it makes.
    daphne.server.HTTPFactory = BoundedHTTPFactory
    CommandLineInterface().run(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
