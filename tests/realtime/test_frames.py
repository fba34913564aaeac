"""What a socket receives from Daphne (``realtime.daphne_server``): a fragment sent to
many sockets is framed once and the same bytes go to each; fragments sent to one
socket in one turn of the event loop leave as one frame, in order; and a browser's
page swaps in every fragment of such a frame."""

import asyncio
import re

import pytest
from playwright.sync_api import expect
from twisted.internet.testing import StringTransport

from realtime import daphne_server
from realtime.frames import FRAME_KEY
from tests.factories import GroupFactory, PersonFactory
from tests.live import post_over_htmx, session_cookie
from tests.pages import logged_in


def open_socket() -> tuple[daphne_server.LiveWebSocketProtocol, StringTransport]:
    """Daphne's WebSocket protocol on a transport that keeps what is written, its
    handshake done."""
    protocol = daphne_server.LiveWebSocketFactory(None).buildProtocol(None)
    transport = StringTransport()
    protocol.makeConnection(transport)
    protocol.state = protocol.STATE_OPEN
    return protocol, transport


def frames(wire: bytes) -> list[tuple[int, bytes]]:
    """(opcode, payload) of each unmasked frame a server wrote."""
    found = []
    while wire:
        opcode, length, at = wire[0] & 0x0F, wire[1] & 0x7F, 2
        assert wire[0] & 0x80, "every frame is a whole message (FIN)"
        if length == 126:
            length, at = int.from_bytes(wire[2:4]), 4
        elif length == 127:
            length, at = int.from_bytes(wire[2:10]), 10
        found.append((opcode, wire[at : at + length]))
        wire = wire[at + length :]
    return found


def send(protocol, text: str, key: str | None = None) -> None:
    message = {"type": "websocket.send", "text": text}
    if key is not None:
        message[FRAME_KEY] = key
    protocol.handle_reply(message)


TEXT = 1
CLOSE = 8


async def test_fragments_sent_to_one_socket_in_one_turn_leave_as_one_frame_in_order():
    protocol, transport = open_socket()
    send(protocol, '<article id="post-1" hx-swap-oob="afterbegin:#feed">Eerste</article>', "a:nl")
    send(protocol, '<article id="post-2" hx-swap-oob="afterbegin:#feed">Tweede</article>', "b:nl")
    assert transport.value() == b""  # nothing before the turn ends
    await asyncio.sleep(0)

    assert frames(transport.value()) == [
        (
            TEXT,
            b'<article id="post-1" hx-swap-oob="afterbegin:#feed">Eerste</article>'
            b'<article id="post-2" hx-swap-oob="afterbegin:#feed">Tweede</article>',
        )
    ]
    # The next turn's fragment is a frame of its own.
    send(protocol, "<p>Derde ünicode</p>", "c:nl")
    await asyncio.sleep(0)
    assert frames(transport.value())[1:] == [(TEXT, "<p>Derde ünicode</p>".encode())]


async def test_sockets_sent_one_fragment_in_one_language_get_the_same_bytes_framed_once():
    sockets = [open_socket() for _ in range(3)]
    for protocol, _transport in sockets[:2]:
        send(protocol, "<p>Overdracht om 14:00</p>", "event-1:nl")
    send(sockets[2][0], "<p>Handover at 14:00</p>", "event-1:en")
    await asyncio.sleep(0)

    dutch, also_dutch, english = (transport.value() for _protocol, transport in sockets)
    assert frames(dutch) == [(TEXT, b"<p>Overdracht om 14:00</p>")]
    assert also_dutch == dutch
    assert frames(english) == [(TEXT, b"<p>Handover at 14:00</p>")]
    frame = daphne_server.prepared_frames.frames["event-1:nl"]
    assert frame.payloadHybi == dutch


async def test_a_close_after_fragments_reaches_the_socket_after_them():
    protocol, transport = open_socket()
    send(protocol, "<p>Laatste bericht</p>")
    protocol.handle_reply({"type": "websocket.close", "code": 4401})

    sent = frames(transport.value())
    assert [opcode for opcode, _payload in sent] == [TEXT, CLOSE]
    assert sent[0][1] == b"<p>Laatste bericht</p>"
    assert int.from_bytes(sent[1][1][:2]) == 4401
    await asyncio.sleep(0)
    assert len(frames(transport.value())) == 2  # nothing more after the close


async def test_nothing_is_written_to_a_socket_that_closed_before_the_turn_ended():
    protocol, transport = open_socket()
    send(protocol, "<p>Te laat</p>", "late:nl")
    protocol.state = protocol.STATE_CLOSED
    await asyncio.sleep(0)
    assert transport.value() == b""


class BrokenTransport(StringTransport):
    def write(self, data: bytes) -> None:
        raise OSError("the peer is gone")


async def test_a_socket_whose_write_fails_holds_up_no_other_socket(caplog):
    broken, _ = open_socket()
    broken.transport = BrokenTransport()
    fine, transport = open_socket()
    send(broken, "<p>Eén</p>", "one:nl")
    send(fine, "<p>Eén</p>", "one:nl")
    await asyncio.sleep(0)
    assert frames(transport.value()) == [(TEXT, "<p>Eén</p>".encode())]
    assert "Writing a WebSocket frame failed" in caplog.text
    # And the next turn's fragments still go out, to both.
    broken.transport = StringTransport()
    send(broken, "<p>Twee</p>", "two:nl")
    send(fine, "<p>Twee</p>", "two:nl")
    await asyncio.sleep(0)
    assert frames(broken.transport.value()) == [(TEXT, b"<p>Twee</p>")]
    assert frames(transport.value())[1:] == [(TEXT, b"<p>Twee</p>")]


@pytest.mark.browser
def test_a_page_shows_every_post_of_a_frame_that_carries_several(
    browser, live_servers, transactional_db
):
    """The server's real fragments of two posts, reaching the page as one WebSocket
    message (what a burst for one socket becomes): both show, newest first."""
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    bob = PersonFactory(username="bob", display_name="Bob Jansen")
    GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice, bob])
    page = logged_in(browser, live_servers[-1], "bob", "/")
    held: list[str] = []
    sent: list[str] = []

    def one_frame_for_both(socket) -> None:
        server = socket.connect_to_server()

        def from_server(message) -> None:
            held.append(message)
            if "Tweede bericht" in message:  # the burst is complete
                sent.append("".join(held))
                socket.send(sent[-1])
                held.clear()

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws/groups/wondzorg/"), one_frame_for_both)
    page.goto(f"{live_servers[-1].url}/groups/wondzorg/")
    page.wait_for_selector("section.feed[data-state=live]", state="attached", timeout=10_000)

    cookie = session_cookie(alice)
    for body in ("Eerste bericht", "Tweede bericht"):
        assert post_over_htmx(live_servers[0].url, cookie, "wondzorg", body) == 200

    posts = page.locator("article.post")
    expect(posts.filter(has_text="Tweede bericht")).to_be_visible()
    expect(posts.filter(has_text="Eerste bericht")).to_be_visible()
    expect(posts).to_have_count(2)
    assert "Tweede bericht" in posts.nth(0).inner_text()
    assert len(sent) == 1 and "Eerste bericht" in sent[0]  # both came in the one frame
