"""`make run` as someone runs it: the address it serves is the one its emails link
to, and queuing a task on its folder broker logs no kombu warning."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from kombu import pools as kombu_pools

from project.celery import app
from project.settings import folder_broker
from tests.live import ROOT


def serve_line(*args: str, env: dict[str, str] | None = None) -> str:
    """The command `make run` would run to serve Kring (a dry run: nothing starts)."""
    dry = subprocess.run(
        ["make", "-s", "-n", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    ).stdout
    [line] = [line for line in dry.splitlines() if "project.serve" in line]
    return line


def email_link_under(site_url: str) -> str:
    """An email's link as Kring builds it in a process whose SITE_URL is ``site_url``."""
    code = (
        "import django; django.setup(); from notices import emails; "
        "print(emails.unsubscribe_url(1, 'digest'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "SECRET_KEY": "x",
            "SITE_URL": site_url,
            "KRING_VAR_DIR": str(settings.VAR_DIR),
        },
    ).stdout.strip()


def test_make_run_on_another_port_links_emails_to_that_port():
    line = serve_line("PORT=8100")
    assert "-p 8100" in line
    site_url = re.search(r'SITE_URL="([^"]+)"', line).group(1)
    assert site_url == "http://127.0.0.1:8100"
    assert email_link_under(site_url).startswith("http://127.0.0.1:8100/notifications/")


def test_make_run_keeps_a_site_url_that_is_set():
    line = serve_line("PORT=8100", env={"SITE_URL": "https://kring.example.org"})
    assert 'SITE_URL="https://kring.example.org"' in line


def fresh_producer_pool() -> None:
    """Celery keeps one pool of broker connections per app, kombu one per connection
    alike: the next task makes them anew."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def embedded_broker(tmp_path):
    """Tasks queued as `make run`'s web process queues them (through Celery's producer
    pool, not run where they are queued), on a folder broker of the test's own."""
    options = folder_broker(tmp_path)
    for folder in ("data_folder_in", "processed_folder", "control_folder"):
        Path(options[folder]).mkdir(parents=True, exist_ok=True)
    saved = app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager
    app.conf.broker_transport_options = options
    app.conf.task_always_eager = False

    def queue_a_task(url: str) -> None:
        from notices.tasks import send_waiting_emails

        app.conf.broker_url = url
        fresh_producer_pool()
        send_waiting_emails.delay()
        assert list(Path(options["data_folder_in"]).iterdir())  # it was queued

    yield queue_a_task
    app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = saved
    fresh_producer_pool()


def test_queuing_a_task_on_the_embedded_broker_logs_no_kombu_warning(embedded_broker, caplog):
    caplog.set_level(logging.WARNING, logger="kombu.connection")
    # The cause, in kombu: the producer pool clones the connection for each it
    # opens, and describing a connection whose URL names no host warns.
    embedded_broker("filesystem://")
    assert "No hostname was supplied" in caplog.text
    caplog.clear()

    embedded_broker(settings.FOLDER_BROKER_URL)  # what make run's settings say
    assert "No hostname was supplied" not in caplog.text
