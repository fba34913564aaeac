"""Editing one's profile with a photo, in Chromium, and seeing the avatar on a post."""

import pytest
from playwright.sync_api import expect

from tests.live import DaphneProcess, server_environment
from tests.pages import feed_state, logged_in
from tests.people.helpers import photo_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def server(transactional_db, server_logs, settings):
    """A Daphne process keeping uploads in this test's media folder."""
    process = DaphneProcess(
        "people", server_logs, {**server_environment(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    ).start()
    yield process
    process.stop()


def loaded(image) -> bool:
    """The image has arrived and decoded (waiting for it: visible comes first)."""
    image.page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_someone_adds_a_photo_and_expertise_and_their_post_shows_the_avatar(
    browser, server, team_committed
):
    page = logged_in(browser, server, "alice", "/people/alice/")
    hint = page.get_by_role("complementary")
    expect(hint).to_contain_text("complete")
    hint.get_by_role("link", name="Complete your profile").click()

    # A text file named .png is refused; what was typed stays.
    page.get_by_label("Job title").fill("Wondverpleegkundige")
    page.get_by_label("Ask me about").fill("wondzorg, decubitus")
    page.get_by_label("New photo").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": b"not a photo"}
    )
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("not saved yet")
    expect(page.locator(".errorlist")).to_contain_text("me.png is not a photo")
    expect(page.get_by_label("Job title")).to_have_value("Wondverpleegkundige")
    expect(page.get_by_label("Ask me about")).to_have_value("wondzorg, decubitus")

    page.get_by_label("New photo").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
    )
    page.get_by_label("Phone").fill("06 12345678")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(f"{server.url}/people/alice/")
    expect(page.get_by_role("heading", name="Alice de Vries")).to_be_visible()
    expect(page.get_by_role("link", name="06 12345678")).to_have_attribute("href", "tel:0612345678")
    expect(page.locator(".profile-head img.avatar")).to_be_visible()
    assert loaded(page.locator(".profile-head img.avatar"))
    # All but a bio now: the hint says so.
    expect(page.get_by_role("complementary")).to_contain_text("86% complete")
    expect(page.get_by_role("complementary")).to_contain_text("Still missing: a few words")
    # The header's link to oneself shows the photo too.
    assert loaded(page.locator(".site-header img.avatar"))

    # Her expertise leads to everyone who has it.
    page.locator(".expertise-list").get_by_role("link", name="wondzorg").click()
    expect(page.locator(".person-card")).to_have_count(1)
    expect(page.locator(".person-card")).to_contain_text("Alice de Vries")

    page.goto(f"{server.url}/groups/wondzorg/")
    feed_state(page)
    page.get_by_label("Post in Kenniskring wondzorg").fill("Met foto!")
    page.get_by_role("button", name="Post", exact=True).click()
    post = page.locator("article.post", has_text="Met foto!")
    expect(post.locator("img.avatar")).to_be_visible()
    assert loaded(post.locator("img.avatar"))

    # Bob, reading the group, sees her avatar and his own initials.
    bob = logged_in(browser, server, "bob", "/groups/wondzorg/")
    expect(bob.locator("article.post", has_text="Met foto!").locator("img.avatar")).to_be_visible()
    expect(bob.locator(".site-header .avatar")).to_have_text("BJ")
