"""A Dutch reader's page stays Dutch when things arrive live: their own post, a
colleague's post, replies and reactions (Debian's Chromium through Playwright)."""

import pytest
from playwright.sync_api import expect

from tests.factories import GroupFactory, PersonFactory
from tests.pages import logged_in

pytestmark = pytest.mark.browser


def test_a_dutch_page_gets_its_own_post_and_live_arrivals_in_dutch(
    browser, live_servers, transactional_db
):
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    bob = PersonFactory(username="bob", display_name="Bob Jansen")
    GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice, bob])
    # Alice reads in English; in the scaled-out run on the other process.
    alices = logged_in(browser, live_servers[0], "alice", "/groups/wondzorg/")
    page = logged_in(browser, live_servers[-1], "bob", "/groups/wondzorg/", "nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    # His own post, from the form's response.
    page.get_by_label("Plaats in Wondzorg").fill("Mijn eigen bericht")
    page.get_by_role("button", name="Plaatsen", exact=True).click()
    own = page.locator("article.post", has_text="Mijn eigen bericht")
    expect(own.get_by_role("button", name="Reageren")).to_be_visible()
    expect(own.get_by_role("button", name="Bewerken bericht")).to_be_visible()

    # A colleague's post, pushed over the socket.
    alices.get_by_label("Post in Wondzorg").fill("Overdracht om 14:00")
    alices.get_by_role("button", name="Post", exact=True).click()
    pushed = page.locator("article.post", has_text="Overdracht om 14:00")
    expect(pushed.get_by_role("button", name="Reageren")).to_be_visible()
    expect(pushed.get_by_role("button", name="Vind ik leuk: 0")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Nieuw bericht van Alice de Vries")

    # A reply and a reaction to it, pushed too.
    hers = alices.locator("article.post", has_text="Overdracht om 14:00")
    hers.get_by_label("Reply to Alice de Vries").fill("Ik neem het over")
    hers.get_by_role("button", name="Reply", exact=True).click()
    expect(pushed.locator(".reply-count")).to_have_text("1 reactie")
    hers.get_by_role("button", name="Thanks: 0").click()
    expect(pushed.get_by_role("button", name="Bedankt: 1")).to_be_visible()
    expect(pushed.get_by_text("Wie reageerde")).to_be_visible()
    assert "Who reacted" not in page.content() and "Reply</button>" not in page.content()
