"""A kept post card in Chromium: the same HTML for every reader, and each reader
still sees their own reaction pressed and the edit button on their own posts alone
(the browser decides it from the card's data attributes)."""

import os

import pytest
from playwright.sync_api import expect

from communities import actions
from tests.pages import feed_state, open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/groups/wondzorg/"])
def test_a_kept_card_shows_each_reader_their_own_reaction_and_controls(
    browser, live_servers, team_committed, path
):
    team = team_committed
    actions.follow_group(team.bob, team.group)
    actions.follow_group(team.alice, team.group)
    post = actions.post_to_group(team.alice, team.group, "Nieuwe richtlijn wondzorg")
    actions.toggle_reaction(team.bob, post, "thanks")
    server = live_servers[0]
    # Carol reads first: the card is rendered for her and kept.
    feed_state(open_page(browser, server, "carol", path))
    pages = {name: open_page(browser, server, name, path) for name in ("alice", "bob")}
    for page in pages.values():
        feed_state(page)
    cards = {name: page.locator(f"#post-{post.pk}") for name, page in pages.items()}
    thanks = {name: card.get_by_role("button", name="Thanks: 1") for name, card in cards.items()}
    expect(thanks["bob"]).to_have_attribute("aria-pressed", "true")
    expect(thanks["alice"]).to_have_attribute("aria-pressed", "false")
    expect(cards["alice"].get_by_role("button", name="Edit post")).to_be_visible()
    expect(cards["bob"].get_by_role("button", name="Edit post")).to_be_hidden()
    expect(cards["bob"].get_by_role("button", name="Delete post")).to_be_hidden()
    # A reaction made on the kept card counts, and the page shows it at once.
    cards["alice"].get_by_role("button", name="Like: 0").click()
    expect(cards["alice"].get_by_role("button", name="Like: 1")).to_have_attribute(
        "aria-pressed", "true"
    )
    shots = os.environ.get("KRING_SCREENSHOTS")
    if shots:
        pages["bob"].screenshot(path=f"{shots}/bob{path.replace('/', '_')}.png", full_page=True)
