"""A request body over UPLOAD_BODY_MAX_BYTES is refused before it is read: by a real
Daphne process (realtime.daphne_server) as soon as the headers are in, and by the ASGI
middleware in front of Django (project.body_limit) for any server."""

from __future__ import annotations

import socket

import pytest

from project.body_limit import REFUSED, BodyLimit
from tests.live import DaphneProcess, server_environment, session_cookie

MB = 1024 * 1024


@pytest.fixture
def small_limit_server(transactional_db, server_logs):
    """Daphne as ``make run`` starts it, refusing bodies over 10 MB."""
    env = {**server_environment(), "UPLOAD_BODY_MAX_MB": "10"}
    server = DaphneProcess("bounded", server_logs, env=env).start()
    yield server
    server.stop()


def read_response(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (10 s at most)."""
    sock.settimeout(10)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


def headers(port: int, *lines: str) -> bytes:
    return (
        "\r\n".join(["POST /settings/profile/ HTTP/1.1", f"Host: 127.0.0.1:{port}", *lines])
        + "\r\n\r\n"
    ).encode()


def test_daphne_answers_a_12_mb_body_413_after_its_first_chunk(small_limit_server, team_committed):
    cookie = session_cookie(team_committed.alice)
    port = small_limit_server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            headers(
                port,
                f"Cookie: {cookie}",
                "Content-Type: multipart/form-data; boundary=grens",
                f"Content-Length: {12 * MB}",
                "Accept-Language: nl",
            )
        )
        sock.sendall(b"--grens\r\n" + b"\xff" * 64 * 1024)  # the rest is never sent
        answer = read_response(sock)
    head, _, page = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert b"Connection: close" in head
    assert "Te veel om in één keer te versturen" in page.decode()  # the page, in Dutch

    # Over htmx, with Expect: 100-continue: the headers alone are answered, no body
    # asked for, and the message goes where the form shows refusals.
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            headers(
                port,
                f"Cookie: {cookie}",
                "HX-Request: true",
                "Content-Type: multipart/form-data; boundary=grens",
                f"Content-Length: {50 * MB}",
                "Expect: 100-continue",
            )
        )
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"100 Continue" not in answer
    assert b"hx-retarget: find [data-refusal]" in answer.lower()
    assert b"Your text is still here" in answer

    # Chunked, with no length declared: cut off once past the limit, the end never sent.
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            headers(
                port,
                f"Cookie: {cookie}",
                "Content-Type: multipart/form-data; boundary=grens",
                "Transfer-Encoding: chunked",
            )
        )
        for _ in range(11):
            sock.sendall(b"%x\r\n" % MB + b"\xff" * MB + b"\r\n")
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]

    # What fits is read as before: a profile saved.
    body = b"job_title=Wondverpleegkundige"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            headers(
                port,
                f"Cookie: {cookie}; csrftoken={'a' * 32}",
                f"X-CSRFToken: {'a' * 32}",
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                "Connection: close",
            )
            + body
        )
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 302 "), answer[:300]
    team_committed.alice.refresh_from_db()
    assert team_committed.alice.job_title == "Wondverpleegkundige"


# The ASGI middleware, for any server ------------------------------------------------


class Recorder:
    """An inner app that records the scope and the body it got, and answers 200."""

    def __init__(self) -> None:
        self.scope: dict = {}
        self.body = b""

    async def __call__(self, scope, receive, send):
        self.scope = scope
        while True:
            message = await receive()
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def client_body(chunks: list[bytes]):
    """A client's receive: the chunks, counting how many were asked for."""
    asked = []

    async def receive():
        if len(asked) == len(chunks):
            raise AssertionError("asked for more than the client sent")
        asked.append(chunks[len(asked)])
        return {"type": "http.request", "body": asked[-1], "more_body": len(asked) < len(chunks)}

    return receive, asked


async def noop_send(message):
    pass


def http_scope(*headers: tuple[bytes, bytes]) -> dict:
    return {"type": "http", "method": "POST", "path": "/", "headers": list(headers)}


async def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body():
    app = Recorder()
    receive, asked = client_body([b"x" * 1000] * 20)
    scope = http_scope((b"content-length", b"20000"))
    await BodyLimit(app, limit=lambda scope: 5000)(scope, receive, noop_send)
    assert asked == []
    assert app.scope[REFUSED] == 20000
    assert app.body == b""


async def test_a_chunked_body_is_cut_off_where_it_passes_the_limit():
    app = Recorder()
    receive, asked = client_body([b"x" * 1000] * 20)
    await BodyLimit(app, limit=lambda scope: 5000)(http_scope(), receive, noop_send)
    assert len(asked) == 6  # the sixth thousand passed 5000: nothing after it is read
    assert app.scope[REFUSED] == 6000
    assert len(app.body) == 5000


async def test_a_body_within_the_limit_passes_whole():
    app = Recorder()
    receive, asked = client_body([b"x" * 1000] * 5)
    scope = http_scope((b"content-length", b"5000"))
    await BodyLimit(app, limit=lambda scope: 5000)(scope, receive, noop_send)
    assert REFUSED not in app.scope
    assert app.body == b"x" * 5000


def test_a_form_without_files_may_send_no_more_than_form_fields(small_limit_server, team_committed):
    """4 MB to the language setting: far under the upload limit, but that form carries
    no file, so Daphne refuses it from its headers all the same."""
    cookie = session_cookie(team_committed.alice)
    port = small_limit_server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            (
                "\r\n".join(
                    [
                        "POST /settings/language/ HTTP/1.1",
                        f"Host: 127.0.0.1:{port}",
                        f"Cookie: {cookie}",
                        "Content-Type: application/x-www-form-urlencoded",
                        f"Content-Length: {4 * MB}",
                    ]
                )
                + "\r\n\r\n"
            ).encode()
        )
        sock.sendall(b"language=" + b"n" * 64 * 1024)  # the rest is never sent
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]


def test_each_place_has_its_limit(settings):
    """A post may carry all its files; the profile one photo; the admin one logo;
    everything else only its form fields."""
    from limits.bodies import body_limit

    settings.UPLOAD_BODY_MAX_BYTES = 101 * MB
    settings.UPLOAD_BODY_LIMITS = {
        "post_create": 101 * MB,
        "post_create_home": 101 * MB,
        "profile_edit": 11 * MB,
        "admin": 11 * MB,
    }
    settings.FORM_BODY_MAX_BYTES = 3 * MB
    assert body_limit("/groups/wondzorg/posts/") == 101 * MB
    assert body_limit("/posts/new/?x=1") == 101 * MB
    assert body_limit("/settings/profile/") == 11 * MB
    assert body_limit("/admin/organisation/style/1/change/") == 11 * MB
    assert body_limit("/settings/language/") == 3 * MB
    assert body_limit("/no/such/place/") == 3 * MB
    settings.UPLOAD_BODY_MAX_BYTES = 10 * MB  # never more than the body limit
    assert body_limit("/settings/profile/") == 10 * MB
