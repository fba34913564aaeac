"""Faults the live loop survives, with real processes: Redis restarted under open
pages, a Daphne process killed outright, and one submission sent twice at once."""

import shutil
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from communities.models import Post
from tests.conftest import missing
from tests.live import (
    DaphneProcess,
    free_port,
    post_over_htmx,
    server_environment,
    session_cookie,
)
from tests.pages import feed_state, mark_page, open_group_page

pytestmark = [pytest.mark.integration, pytest.mark.browser]


class PrivateRedis:
    """A Redis of this test's own, so stopping it disturbs nothing else on the machine."""

    def __init__(self, folder) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        missing("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def test_a_redis_restart_loses_no_post_and_posting_keeps_working(
    browser,
    team_committed,
    private_redis,
    server_logs,
):
    env = {**server_environment(), "REDIS_URL": private_redis.url}
    servers = [DaphneProcess(name, server_logs, env=env).start() for name in ("a", "b")]
    try:
        bob_page = open_group_page(browser, servers[1], "bob")
        feed_state(bob_page)
        mark_page(bob_page)

        private_redis.stop()
        status = post_over_htmx(
            servers[0].url, session_cookie(team_committed.alice), "wondzorg", "Tijdens de storing"
        )
        assert status == 200  # saved; only the live push failed
        assert Post.objects.filter(body="Tijdens de storing").exists()
        private_redis.start()

        expect(bob_page.locator("article.post", has_text="Tijdens de storing")).to_have_count(
            1, timeout=30_000
        )
        feed_state(bob_page)  # the socket came back by itself
        post_over_htmx(
            servers[0].url, session_cookie(team_committed.alice), "wondzorg", "Na de storing"
        )
        expect(bob_page.locator("article.post", has_text="Na de storing")).to_have_count(1)
        assert bob_page.evaluate("window.notReloaded") is True
    finally:
        for server in servers:
            server.stop()


def test_a_killed_server_process_is_caught_up_after_its_restart(
    browser,
    team_committed,
    live_servers,
):
    server_a, server_b = live_servers
    bob_page = open_group_page(browser, server_b, "bob")
    feed_state(bob_page)
    mark_page(bob_page)

    server_b.stop(signal.SIGKILL)  # no goodbye to any socket
    feed_state(bob_page, "offline")
    assert (
        post_over_htmx(
            server_a.url, session_cookie(team_committed.alice), "wondzorg", "Terwijl B lag"
        )
        == 200
    )
    server_b.start()

    expect(bob_page.locator("article.post", has_text="Terwijl B lag")).to_have_count(
        1, timeout=30_000
    )
    feed_state(bob_page)
    assert bob_page.evaluate("window.notReloaded") is True


@pytest.fixture
def posting_unlimited(monkeypatch):
    """Twenty posts in a few seconds: more than a person's limit, which is not tested here."""
    monkeypatch.setenv("RATE_LIMITS", "post=off,post:address=off")


def test_the_same_submission_sent_to_both_processes_at_once_makes_one_post(
    team_committed, posting_unlimited, live_servers
):
    """A double click, or a request retried by a proxy, racing on two processes:
    PostgreSQL's unique key lets one post through and both answers show it."""
    cookie = session_cookie(team_committed.alice)
    for attempt in range(5):
        key = str(uuid.uuid4())
        body = f"Dubbel verstuurd {attempt}"
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(
                pool.map(
                    lambda server, body=body, key=key: post_over_htmx(
                        server.url, cookie, "wondzorg", body, idempotency_key=key
                    ),
                    live_servers * 2,
                )
            )
        assert statuses == [200, 200, 200, 200]
        assert Post.objects.filter(body=body).count() == 1
