"""Real local processes and clients: used by the integration and browser
tests, the benchmarks and the screenshot script alike. Everything here talks
to 127.0.0.1 only."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# Debian's Chromium, headless, with nothing that reaches outside this machine.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end_process(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a child process: ``sig``, then, if it has not gone in 10 s, SIGKILL."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_environment() -> dict[str, str]:
    """The environment a server needs to share this test run's database and channel layer."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        # The test database pytest-django made, on the server DATABASE_URL named.
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{db['NAME']}"))
    env["SECRET_KEY"] = settings.SECRET_KEY
    env["DJANGO_SETTINGS_MODULE"] = "project.settings"
    if os.environ.get("REDIS_URL"):
        # No worker runs beside a test's server unless the test starts one: the
        # server announces its posts itself (tests/communities/test_announcement.py
        # runs them through a real worker).
        env.setdefault("ANNOUNCE_POSTS_IN_WORKER", "false")
    else:
        # No worker runs beside a test's server: its emails go in-process, and
        # nothing piles up in a folder broker (tests/notices/test_embedded_worker.py
        # runs a real worker on the embedded setup).
        env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    return env


class DaphneProcess:
    """One Daphne serving ``project.asgi:application`` on a free local port, as
    ``make run`` starts it (``realtime.daphne_server``: bodies too large refused unread)."""

    def __init__(self, name: str, log_dir: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_dir / f"daphne-{name}.log"
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DaphneProcess:
        log = self.log_path.open("ab")  # the child keeps its own handle
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "realtime.daphne_server",
                # Daphne drops a handshake not done in 5 s: too short for a
                # reconnect storm on a busy process (docs/BENCHMARKS.md).
                "--websocket_connect_timeout",
                "30",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "project.asgi:application",
            ],
            cwd=ROOT,
            env=self.env or server_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne {self.name} exited: {self.log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()  # not left running after the test that gave up on it
        raise RuntimeError(f"daphne {self.name} did not listen: {self.log_path.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        end_process(self.process, sig)
        self.process = None


def session_cookie(person) -> str:
    """A ``Cookie`` header's value that logs ``person`` in on a live server."""
    from django.test import Client

    client = Client()
    client.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def post_over_htmx(base_url: str, cookie: str, slug: str, body: str, **fields: str) -> int:
    """Post into a group as the compose form does (``fields``: more of the form, such as
    its ``idempotency_key``); returns the HTTP status."""
    token = secrets.token_hex(16)  # a CSRF secret: cookie and header must match
    request = urllib.request.Request(
        f"{base_url}/groups/{slug}/posts/",
        data=urlencode({"body": body, **fields}).encode(),
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status
