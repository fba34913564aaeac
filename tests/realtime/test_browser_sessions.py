"""An open page whose account is deactivated says at once that it is logged out
(Debian's Chromium through Playwright).

Scaled out only: the deactivation happens in the test's process, which reaches the
servers' sockets through Redis; on the embedded default (an in-memory channel layer
per process) only an act inside the server reaches them, and the re-check catches
the rest (tests/realtime/test_sessions.py)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect

from communities import actions
from tests.factories import GroupFactory, PersonFactory
from tests.pages import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def deactivate(admin, person) -> None:
    try:
        actions.deactivate_person(admin, person)
    finally:
        connection.close()  # this thread's own


@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_open_page_says_it_is_logged_out_when_the_account_is_deactivated(
    browser, live_servers, transactional_db, language
):
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice])
    admin = PersonFactory(username="beheer", is_staff=True, is_superuser=True)
    page = logged_in(browser, live_servers[-1], "alice", "/groups/wondzorg/", language)
    banner = page.locator("#logged-out")
    expect(banner).to_be_hidden()

    # As an administrator's request would (Playwright's loop holds this thread).
    with ThreadPoolExecutor(1) as worker:
        worker.submit(deactivate, admin, alice).result()

    text, link = {
        "en": ("You are logged out.", "Log in again"),
        "nl": ("Je bent uitgelogd.", "Opnieuw inloggen"),
    }[language]
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(text)
    expect(banner).to_have_attribute("role", "status")  # announced
    expect(banner.get_by_role("link", name=link)).to_have_attribute(
        "href", "/login/?next=/groups/wondzorg/"
    )
