"""Where the keyboard focus lands after each htmx action, and what a screen reader
hears of live arrivals: once, through #live-status, and the bell saying what
arrived (Debian's Chromium through Playwright)."""

import pytest
from playwright.sync_api import expect

from communities import actions
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Every text #live-status is given, in order, kept by the page itself.
RECORD_LIVE_STATUS = """
window.liveSaid = [];
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("live-status");
  new MutationObserver(() => {
    if (status.textContent) window.liveSaid.push(status.textContent);
  }).observe(status, {childList: true, characterData: true, subtree: true});
});
"""


def reader(browser, server, username, path, language="en"):
    context = browser.new_context()
    context.add_init_script(RECORD_LIVE_STATUS)
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}{path}")
    if page.locator("section.feed").count():
        page.wait_for_selector("section.feed[data-state=live]", state="attached", timeout=10_000)
    return page


@pytest.fixture
def posts(team_committed):
    """Bob's post, then two of Alice's (newest last)."""
    team = team_committed
    return (
        actions.post_to_group(team.bob, team.group, "Wie heeft de sleutel?"),
        actions.post_to_group(team.alice, team.group, "Overdracht om 14:00"),
        actions.post_to_group(team.alice, team.group, "Koffie staat klaar"),
    )


def test_after_posting_the_focus_is_in_the_emptied_compose_box_and_others_hear_it_once(
    team_committed, live_servers, browser
):
    alices = reader(browser, live_servers[0], "alice", "/groups/wondzorg/")
    bobs = reader(browser, live_servers[-1], "bob", "/groups/wondzorg/")
    box = alices.get_by_label("Post in Kenniskring wondzorg")
    box.fill("Nieuwe richtlijn wondzorg")
    alices.get_by_role("button", name="Post", exact=True).click()

    expect(alices.locator("article.post", has_text="Nieuwe richtlijn")).to_have_count(1)
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    expect(bobs.locator("#live-status")).to_have_text("New post by Alice de Vries")
    # The post reached Alice's page twice (response and socket) and Bob's once:
    # Bob heard of it once, Alice (who wrote it) not at all.
    expect(bobs.locator("article.post", has_text="Nieuwe richtlijn")).to_have_count(1)
    assert bobs.evaluate("window.liveSaid") == ["New post by Alice de Vries"]
    assert alices.evaluate("window.liveSaid") == []


def test_after_reacting_the_focus_stays_on_the_reaction_button(posts, live_servers, browser):
    bobs_post, _, _ = posts
    alices = reader(browser, live_servers[0], "alice", "/groups/wondzorg/")
    bobs = reader(browser, live_servers[-1], "bob", "/groups/wondzorg/")
    post = alices.locator(f"#post-{bobs_post.pk}")
    post.get_by_role("button", name="Like: 0").click()

    # The response replaced the buttons, and so did the push that followed it.
    expect(
        bobs.locator(f"#post-{bobs_post.pk}").get_by_role("button", name="Like: 1")
    ).to_be_visible()
    expect(post.get_by_role("button", name="Like: 1")).to_be_focused()
    post.get_by_role("button", name="Like: 1").press("Enter")
    expect(post.get_by_role("button", name="Like: 0")).to_be_focused()


def test_after_replying_the_focus_is_in_the_reply_box_and_others_hear_of_the_reply_once(
    posts, live_servers, browser
):
    bobs_post, _, _ = posts
    alices = reader(browser, live_servers[0], "alice", "/groups/wondzorg/")
    bobs = reader(browser, live_servers[-1], "bob", "/groups/wondzorg/")
    post = alices.locator(f"#post-{bobs_post.pk}")
    post.get_by_label("Reply to Bob Jansen").fill("Ik heb hem")
    post.get_by_role("button", name="Reply", exact=True).click()

    expect(post.locator(".reply", has_text="Ik heb hem")).to_have_count(1)
    expect(post.get_by_label("Reply to Bob Jansen")).to_be_focused()
    expect(post.get_by_label("Reply to Bob Jansen")).to_have_value("")
    expect(bobs.locator(".reply", has_text="Ik heb hem")).to_have_count(1)
    expect(bobs.locator("#live-status")).to_have_text("New reply by Alice de Vries")
    assert bobs.evaluate("window.liveSaid") == ["New reply by Alice de Vries"]
    assert alices.evaluate("window.liveSaid") == []

    # An empty reply is refused, and the focus stays in the box with the message.
    post.get_by_role("button", name="Reply", exact=True).click()
    expect(post.get_by_role("alert")).to_be_visible()
    expect(post.get_by_label("Reply to Bob Jansen")).to_be_focused()


def test_the_edit_form_takes_the_focus_and_gives_it_to_the_post_when_saved(
    posts, live_servers, browser
):
    _, handover, _ = posts
    page = reader(browser, live_servers[0], "alice", "/groups/wondzorg/")
    post = page.locator(f"#post-{handover.pk}")
    post.get_by_role("button", name="Edit post").click()
    expect(post.get_by_label("Edit your post")).to_be_focused()
    post.get_by_role("button", name="Cancel").click()
    expect(post.get_by_role("button", name="Edit post")).to_be_focused()

    post.get_by_role("button", name="Edit post").click()
    post.get_by_label("Edit your post").fill("Overdracht om 14:30")
    post.get_by_role("button", name="Save").click()
    expect(post.locator(".post-body")).to_have_text("Overdracht om 14:30")
    expect(post).to_be_focused()


def test_after_deleting_a_post_the_focus_is_on_the_next_or_the_feeds_heading(
    posts, live_servers, browser
):
    _, handover, coffee = posts
    # Her profile's feed: her two posts alone.
    page = reader(browser, live_servers[0], "alice", "/people/alice/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"#post-{coffee.pk}").get_by_role("button", name="Delete post").click()
    expect(page.locator(f"#post-{coffee.pk}")).to_have_count(0)
    expect(page.locator(f"#post-{handover.pk}")).to_be_focused()

    page.locator(f"#post-{handover.pk}").get_by_role("button", name="Delete post").click()
    expect(page.locator("article.post")).to_have_count(0)
    page.wait_for_function("() => document.activeElement.id === 'feed-title'")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Bob Jansen replied to your post. 1 unread notification"),
        ("nl", "Bob Jansen antwoordde op je bericht. 1 ongelezen melding"),
    ],
)
def test_the_bell_says_what_arrived_in_the_readers_language(
    posts, live_servers, browser, language, said
):
    page = reader(browser, live_servers[-1], "alice", "/groups/", language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    bobs = reader(browser, live_servers[0], "bob", "/groups/wondzorg/")
    bobs.get_by_label("Reply to Alice de Vries").first.fill("Doe ik")
    bobs.get_by_role("button", name="Reply", exact=True).first.click()
    expect(page.locator("#notice-count")).to_have_text("1")
    expect(page.locator("#notice-status")).to_have_text(said)
