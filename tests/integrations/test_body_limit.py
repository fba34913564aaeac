"""An incoming webhook's body over WEBHOOK_MAX_BYTES is refused unread by Daphne
itself (limits.bodies knows the hook's address), and nothing is posted."""

from __future__ import annotations

import socket

import pytest

from communities.models import Post
from limits.bodies import body_limit
from tests.integrations.helpers import make_hook
from tests.live import DaphneProcess, server_environment
from tests.project.test_body_limit import read_response


def test_the_hooks_address_has_the_webhook_limit(db, settings):
    assert body_limit("/hooks/in/abc/") == settings.WEBHOOK_MAX_BYTES


@pytest.fixture
def server(transactional_db, server_logs):
    process = DaphneProcess("hooks", server_logs, env=server_environment()).start()
    yield process
    process.stop()


def test_daphne_refuses_an_oversized_delivery_before_reading_it(server, team_committed):
    hook = make_hook(team_committed.group)
    port = server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            (
                f"POST /hooks/in/{hook.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {1024 * 1024}\r\n\r\n"
            ).encode()
            + b'{"text": "'
            + b"x" * 8192  # the rest is never sent
        )
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert not Post.objects.exists()
