"""Helpers the audit tests share: a browser from a known address, and the one entry."""

from django.test import Client

from audit.models import Entry

ADDRESS = "203.0.113.7"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) KringTest/1.0"


def client_from_address(person) -> Client:
    """A logged-in client whose every request comes from ADDRESS with BROWSER."""
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    client.force_login(person)
    return client


def only_entry() -> Entry:
    entries = list(Entry.objects.all())
    assert len(entries) == 1, [str(e) for e in entries]
    return entries[0]


def assert_from_the_browser(entry: Entry) -> None:
    assert entry.ip_address == ADDRESS
    assert entry.user_agent == BROWSER
