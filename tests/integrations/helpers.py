"""Integrations as tests meet them: an administrator, an integration with its
account, a hook to post through, and real receivers on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import Client

from communities.models import Group, Person
from integrations import actions, signing
from integrations.models import IncomingHook, Integration, Subscription
from tests.factories import PersonFactory


def administrator() -> Person:
    return PersonFactory(username="it", display_name="Ina de IT", is_staff=True, is_superuser=True)


def make_integration(name: str = "Servicedesk") -> Integration:
    return actions.create_integration(administrator(), name=name)


def make_hook(group: Group, integration: Integration | None = None) -> IncomingHook:
    integration = integration or make_integration()
    return actions.save_hook(administrator(), IncomingHook(integration=integration, group=group))


def deliver_to_hook(
    hook: IncomingHook,
    body: dict | bytes,
    *,
    secret: str | None = None,
    timestamp: int | None = None,
    signature: str | None = None,
    client: Client | None = None,
):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    header = signature or signing.sign(secret or hook.secret, raw, timestamp)
    return (client or Client()).post(
        f"/hooks/in/{hook.token}/",
        raw,
        content_type="application/json",
        headers={signing.HEADER: header},
    )


@dataclass
class Received:
    """One request a receiver got."""

    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server answering webhooks with the codes in ``answers`` (then 200)."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/kring"


@contextmanager
def receiver(answers: list[int] | None = None) -> Iterator[Receiver]:
    """A receiver in a thread of its own, on a free port of 127.0.0.1."""
    state = Receiver(answers=list(answers or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.received.append(Received(body, dict(self.headers.items())))
                code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def subscribe(integration: Integration, url: str, events: list[str] | None = None) -> Subscription:
    return actions.save_subscription(
        administrator(),
        Subscription(integration=integration, url=url, events=events or ["post.created"]),
    )
