import os
import shutil

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.factories import GroupFactory, PersonFactory
from tests.live import CHROMIUM_FLAGS, DaphneProcess
from tests.mail import smtp_server

IN_CI = os.environ.get("CI") == "true"
SCALED_OUT = bool(os.environ.get("REDIS_URL"))


def missing(what: str) -> None:
    """Outside CI a missing service skips a test; in CI it fails it, never skips."""
    if IN_CI:
        pytest.fail(f"CI must run this test, but {what}", pytrace=False)
    pytest.skip(what)


@pytest.fixture(autouse=True, scope="session")
def _tasks_in_process():
    """On the embedded default the tests' stand-in for the worker: tasks run where
    they are queued. (The scaled-out run has a real worker on Redis where it needs
    one; tests/notices/test_embedded_worker.py runs one on the folder broker.)"""
    if not SCALED_OUT:
        from project.celery import app

        app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _integration_needs_services(request):
    if request.node.get_closest_marker("integration") and not SCALED_OUT:
        missing("the integration suite needs DATABASE_URL and REDIS_URL (make test-integration)")


@pytest.fixture
def alice(db):
    return PersonFactory(username="alice", display_name="Alice de Vries")


@pytest.fixture
def bob(db):
    return PersonFactory(username="bob", display_name="Bob Jansen")


@pytest.fixture
def open_group(db, alice, bob):
    return GroupFactory(name="Kenniskring wondzorg", slug="wondzorg", members=[alice, bob])


@pytest.fixture
def client_for():
    def login(person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return login


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free local port: ``(port, mailbox)``."""
    yield from smtp_server()


@pytest.fixture
def server_logs(tmp_path_factory):
    return tmp_path_factory.mktemp("servers")


@pytest.fixture
def live_servers(transactional_db, server_logs):
    """Daphne processes sharing this run's database: one on the embedded
    default (in-memory channel layer), two when REDIS_URL makes the setup
    scaled out, so a post made on one must travel through Redis to the other."""
    servers = [
        DaphneProcess(name, server_logs).start() for name in ("a", "b")[: 2 if SCALED_OUT else 1]
    ]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if not path:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files of a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def browser(chromium_path, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are ordinary blocking calls all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
