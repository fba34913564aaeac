import os
import shutil
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import sync_playwright

from communities.models import Group, Person
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
def _posts_announced_in_process(settings):
    """No worker runs beside a test unless it starts one: posts are announced where
    they are made, on the scaled-out run too (a test that starts a worker says so)."""
    settings.ANNOUNCE_POSTS_IN_WORKER = False


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language and leaves no other behind. A request
    (LocaleMiddleware) or a test that activates Dutch leaves it active in the thread,
    and the next test's notices, emails and fragments would speak it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _rate_limits_count_afresh(settings, monkeypatch):
    """Each test counts its rate limits and lock-outs from zero, on the embedded
    cache and in Redis alike: the defaults stay in force (a test posting more
    than a person would is a test to fix), but no test inherits another's count
    from the same address. A server a test starts counts with it (the environment)."""
    prefix = f"rl:{uuid.uuid4().hex}:"
    settings.RATELIMIT_CACHE_PREFIX = prefix
    monkeypatch.setenv("RATE_LIMITS_KEY_PREFIX", prefix)


@pytest.fixture(autouse=True)
def _cards_afresh(monkeypatch):
    """Each test renders its own post cards: none kept by another test (whose post
    may have had the same id) is found, in this process's cache or in Redis."""
    from communities import post_cards

    monkeypatch.setattr(post_cards, "KEY_PREFIX", f"card:{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _integration_needs_services(request):
    if request.node.get_closest_marker("integration") and not SCALED_OUT:
        missing("the integration suite needs DATABASE_URL and REDIS_URL (make test-integration)")


@dataclass(frozen=True)
class Team:
    """Colleagues in one open group, as most tests meet them: Alice de Vries, Bob Jansen
    and Carol Smit (mail at <username>@k.test), members of "Kenniskring wondzorg" (slug
    ``wondzorg``). A module that needs more extends the team (another group, a post,
    preferences) instead of making people of its own."""

    alice: Person
    bob: Person
    carol: Person
    group: Group

    @property
    def people(self) -> tuple[Person, Person, Person]:
        return (self.alice, self.bob, self.carol)


def build_team(group_name: str = "Kenniskring wondzorg") -> Team:
    """The one way the team is made, for ``team``, ``team_committed`` and what extends them."""
    alice = PersonFactory(username="alice", display_name="Alice de Vries", email="alice@k.test")
    bob = PersonFactory(username="bob", display_name="Bob Jansen", email="bob@k.test")
    carol = PersonFactory(username="carol", display_name="Carol Smit", email="carol@k.test")
    group = GroupFactory(name=group_name, slug="wondzorg", members=[alice, bob, carol])
    return Team(alice=alice, bob=bob, carol=carol, group=group)


@pytest.fixture
def team(db) -> Team:
    """The team, in the test's own transaction (a test marked
    ``django_db(transaction=True)`` gets it committed)."""
    return build_team()


@pytest.fixture
def team_committed(transactional_db) -> Team:
    """The team, committed: for what another process must see (a live server, a worker)."""
    return build_team()


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
    """Uploaded files of a test go to a folder of its own; so do data downloads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_EXPORT_ROOT = tmp_path / "exports"


# Playwright's ``wait_for_function`` takes an arrow function ("() => ..."): a bare
# expression is eval'd again at every poll, which Kring's content security policy
# refuses (no 'unsafe-eval'); a function's source is eval'd once, on the first call.
@pytest.fixture
def browser(chromium_path, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are ordinary blocking calls all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
