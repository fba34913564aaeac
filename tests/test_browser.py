"""What a person sees, in Debian's Chromium driven by Playwright.

On the embedded default both people use one Daphne process; in the
scaled-out run Alice uses process A and Bob process B, so her post reaches
him through Redis.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from communities import actions
from tests.factories import GroupFactory, PersonFactory
from tests.live import DaphneProcess, server_environment
from tests.pages import feed_state, mark_page, open_group_page, open_page

pytestmark = pytest.mark.browser

#: How long a page may take to come back after its server restarted: the htmx ws
#: extension retries with full-jitter backoff (up to 64 s between tries), which
#: spreads a restart's reconnect storm; on a busy machine the tries pile up.
RECONNECT_MS = 70_000


def elsewhere(action, *args):
    """Act as another process would, outside Playwright's event loop."""

    def act():
        try:
            return action(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(act).result()


def post_elsewhere(author, group, body):
    return elsewhere(actions.post_to_group, author, group, body)


def test_a_post_appears_live_on_another_persons_page(browser, live_servers, team_committed):
    alice_page = open_group_page(browser, live_servers[0], "alice")
    bob_page = open_group_page(browser, live_servers[-1], "bob")
    for page in (alice_page, bob_page):
        feed_state(page)
        mark_page(page)

    alice_page.get_by_label("Post in Kenniskring wondzorg").fill("Nieuwe richtlijn wondzorg")
    alice_page.get_by_role("button", name="Post", exact=True).click()

    bobs_post = bob_page.locator("article.post", has_text="Nieuwe richtlijn wondzorg")
    expect(bobs_post).to_have_count(1)
    expect(bobs_post).to_contain_text("Alice de Vries")
    expect(bob_page.locator("article.post").first).to_contain_text("Nieuwe richtlijn wondzorg")
    expect(bob_page.locator("#live-status")).to_have_text("New post by Alice de Vries")
    # The poster sees it once, though it reached her page twice (form and socket).
    expect(alice_page.locator("article.post", has_text="Nieuwe richtlijn wondzorg")).to_have_count(
        1
    )
    expect(alice_page.get_by_label("Post in Kenniskring wondzorg")).to_have_value("")
    # Her own new post offers her the edit button at once; Bob's copy does not.
    expect(
        alice_page.locator("article.post", has_text="Nieuwe richtlijn wondzorg").get_by_role(
            "button", name="Edit post"
        )
    ).to_be_visible()
    expect(bobs_post.get_by_role("button", name="Edit post")).to_be_hidden()
    assert bob_page.evaluate("window.notReloaded") is True
    assert alice_page.evaluate("window.notReloaded") is True


def test_an_empty_post_is_refused_with_a_message(browser, live_servers, team_committed):
    page = open_group_page(browser, live_servers[0], "alice")
    feed_state(page)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Write something before posting.")
    expect(page.locator("article.post")).to_have_count(0)


def test_a_page_that_lost_its_socket_gets_what_it_missed_once_and_in_order(
    browser, live_servers, team_committed
):
    post_elsewhere(team_committed.alice, team_committed.group, "Al gezien")
    server = live_servers[-1]
    page = open_group_page(browser, server, "bob")
    feed_state(page)
    mark_page(page)

    server.stop()  # a restart: every socket on it drops
    feed_state(page, "offline")
    post_elsewhere(team_committed.alice, team_committed.group, "Gemist één")
    post_elsewhere(team_committed.alice, team_committed.group, "Gemist twee")
    server.start()

    posts = page.locator("article.post .post-body")
    # After a restart the socket comes back by the ws extension's full-jitter
    # backoff, up to 64 s between tries: what is asserted is what comes, not when.
    expect(posts).to_have_text(["Gemist twee", "Gemist één", "Al gezien"], timeout=RECONNECT_MS)
    feed_state(page)
    assert page.evaluate("window.notReloaded") is True


def test_a_page_that_lost_its_socket_gets_the_replies_reactions_edits_and_removals_it_missed(
    browser, live_servers, team_committed
):
    asked = post_elsewhere(
        team_committed.alice, team_committed.group, "Wie weet iets over verband?"
    )
    edited = post_elsewhere(team_committed.alice, team_committed.group, "Eerste versie")
    removed = post_elsewhere(team_committed.alice, team_committed.group, "Wordt verwijderd")
    server = live_servers[-1]
    page = open_group_page(browser, server, "bob")
    feed_state(page)
    mark_page(page)

    server.stop()
    feed_state(page, "offline")
    elsewhere(actions.reply_to_post, team_committed.alice, asked, "Alginaat, zie de richtlijn")
    elsewhere(actions.toggle_reaction, team_committed.alice, edited, "like")
    elsewhere(actions.edit_post, team_committed.alice, edited, "Tweede versie")
    elsewhere(actions.delete_post, team_committed.alice, removed)
    server.start()

    expect(page.locator(f"#post-{asked.pk}-reply-list")).to_contain_text(
        "Alginaat, zie de richtlijn", timeout=RECONNECT_MS
    )
    expect(page.locator(f"#post-{asked.pk}-reply-count")).to_have_text("1 reply")
    expect(page.locator(f"#post-{edited.pk} .post-body")).to_have_text("Tweede versie")
    expect(page.locator(f"#post-{edited.pk}").get_by_role("button", name="Like: 1")).to_be_visible()
    expect(page.locator(f"#post-{removed.pk}")).to_have_count(0)
    feed_state(page)
    assert page.evaluate("window.notReloaded") is True


def test_a_page_away_too_long_to_catch_up_says_so_and_reloads_at_a_key_press(
    browser, server_logs, team_committed
):
    """A catch-up brings at most CATCH_UP_POSTS new posts (here 2): the page shows the
    newest and says that more happened; its Reload button brings the rest."""
    env = {**server_environment(), "CATCH_UP_POSTS": "2"}
    server = DaphneProcess("narrow", server_logs, env).start()
    try:
        page = open_group_page(browser, server, "bob")
        feed_state(page)
        mark_page(page)
        server.stop()
        feed_state(page, "offline")
        for n in range(3):
            post_elsewhere(team_committed.alice, team_committed.group, f"Gemist {n}")
        server.start()

        notice = page.get_by_role("status").filter(has_text="You were away for a while")
        expect(notice).to_have_text(
            "You were away for a while: more happened than this page can show. Reload",
            timeout=RECONNECT_MS,
        )
        posts = page.locator("article.post .post-body")
        expect(posts).to_have_text(["Gemist 2", "Gemist 1"])
        notice.get_by_role("button", name="Reload").focus()
        page.keyboard.press("Enter")
        expect(posts).to_have_text(["Gemist 2", "Gemist 1", "Gemist 0"])
        expect(notice).to_have_count(0)
        assert page.evaluate("window.notReloaded") is None
    finally:
        server.stop()


def test_an_edit_in_progress_keeps_its_text_when_the_post_changes_elsewhere(
    browser, live_servers, team_committed
):
    post = post_elsewhere(team_committed.alice, team_committed.group, "Eerste versie")
    page = open_group_page(browser, live_servers[0], "alice")
    phone = open_group_page(browser, live_servers[-1], "alice")
    bob_page = open_group_page(browser, live_servers[-1], "bob")
    for each in (page, phone, bob_page):
        feed_state(each)
    page.locator(f"#post-{post.pk}").get_by_role("button", name="Edit post").click()
    page.get_by_label("Edit your post").fill("Half getypte verbetering")

    # Meanwhile she saves another version on her phone; then Bob reacts.
    phone.locator(f"#post-{post.pk}").get_by_role("button", name="Edit post").click()
    phone.get_by_label("Edit your post").fill("Versie van de telefoon")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator(f"#post-{post.pk} .post-body")).to_have_text("Versie van de telefoon")
    bob_page.locator(f"#post-{post.pk}").get_by_role("button", name="Like: 0").click()

    expect(page.locator(f"#post-{post.pk}").get_by_role("button", name="Like: 1")).to_be_visible()
    expect(page.get_by_label("Edit your post")).to_have_value("Half getypte verbetering")


def test_a_followed_tag_raises_the_new_posts_bar_on_the_home_timeline(
    browser, live_servers, transactional_db
):
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    PersonFactory(username="bob", display_name="Bob Jansen")
    GroupFactory(name="Kenniskring wondzorg", slug="wondzorg", members=[alice])

    bob_page = open_page(browser, live_servers[-1], "bob", "/tags/wondzorg/")
    bob_page.get_by_role("button", name="Follow #wondzorg").click()
    expect(bob_page.get_by_role("button", name="Following #wondzorg")).to_be_visible()
    bob_page.goto(f"{live_servers[-1].url}/")
    feed_state(bob_page)
    mark_page(bob_page)

    alice_page = open_page(browser, live_servers[0], "alice", "/groups/wondzorg/")
    feed_state(alice_page)
    compose = alice_page.get_by_label("Post in Kenniskring wondzorg")
    compose.fill("#wondzorg nieuwe richtlijn")
    alice_page.get_by_role("button", name="Post", exact=True).click()

    bar = bob_page.get_by_role("button", name="1 new post")
    expect(bar).to_be_visible()
    expect(bob_page.locator("#feed-posts article.post")).to_have_count(0)  # nothing moved yet
    bar.click()
    post = bob_page.locator("#feed-posts article.post")
    expect(post).to_have_count(1)
    expect(post).to_contain_text("nieuwe richtlijn")
    expect(bar).to_be_hidden()
    expect(post.get_by_role("link", name="#wondzorg")).to_have_attribute("href", "/tags/wondzorg/")

    # Alice mentions Bob, choosing him from the suggestions with the keyboard.
    compose.press_sequentially("Dank je @bo")
    expect(alice_page.get_by_role("option", name="Bob Jansen")).to_be_visible()
    compose.press("Enter")
    expect(compose).to_have_value("Dank je @bob ")
    alice_page.get_by_role("button", name="Post", exact=True).click()
    mention = alice_page.get_by_role("link", name="@Bob Jansen")
    expect(mention).to_have_attribute("href", "/people/bob/")
    mention.click()
    expect(alice_page.get_by_role("heading", name="Bob Jansen")).to_be_visible()
    assert bob_page.evaluate("window.notReloaded") is True


def test_reactions_and_replies_appear_live_and_a_deleted_reply_disappears(
    browser, live_servers, team_committed
):
    post_elsewhere(team_committed.alice, team_committed.group, "Nieuwe richtlijn wondzorg")
    alice_page = open_group_page(browser, live_servers[0], "alice")
    bob_page = open_group_page(browser, live_servers[-1], "bob")
    for page in (alice_page, bob_page):
        feed_state(page)
        mark_page(page)
    alice_post = alice_page.locator("article.post", has_text="Nieuwe richtlijn")
    bob_post = bob_page.locator("article.post", has_text="Nieuwe richtlijn")

    # Fragments are the same for everyone; each page shows its viewer's controls.
    expect(alice_post.get_by_role("button", name="Edit post")).to_be_visible()
    expect(bob_post.get_by_role("button", name="Edit post")).to_be_hidden()
    expect(bob_post.get_by_role("button", name="Delete post")).to_be_hidden()

    bob_post.get_by_role("button", name="Thanks: 0").click()
    expect(alice_post.get_by_role("button", name="Thanks: 1")).to_be_visible()
    expect(alice_post.get_by_role("button", name="Thanks: 1")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(bob_post.get_by_role("button", name="Thanks: 1")).to_have_attribute(
        "aria-pressed", "true"
    )

    bob_post.get_by_label("Reply to Alice de Vries").fill("Dank, ik lees hem vandaag")
    bob_post.get_by_role("button", name="Reply", exact=True).click()
    alice_reply = alice_post.locator(".reply", has_text="Dank, ik lees hem vandaag")
    expect(alice_reply).to_have_count(1)
    expect(alice_post.locator(".reply-count")).to_have_text("1 reply")
    expect(bob_post.locator(".reply", has_text="Dank, ik lees hem")).to_have_count(1)
    expect(alice_reply.get_by_role("button", name="Delete reply")).to_be_hidden()

    bob_post.locator(".reply").get_by_role("button", name="Delete reply").click()
    expect(alice_reply).to_have_count(0)
    expect(alice_post.locator(".reply-count")).to_have_text("")
    expect(bob_post.locator(".reply")).to_have_count(0)
    assert alice_page.evaluate("window.notReloaded") is True
    assert bob_page.evaluate("window.notReloaded") is True


def test_a_photo_posted_with_text_appears_for_the_other_person(
    browser, live_servers, team_committed, tmp_path
):
    from PIL import Image

    photo = tmp_path / "wond.png"
    Image.new("RGB", (800, 600), (180, 60, 60)).save(photo)
    alice_page = open_group_page(browser, live_servers[0], "alice")
    bob_page = open_group_page(browser, live_servers[-1], "bob")
    for page in (alice_page, bob_page):
        feed_state(page)
        mark_page(page)
    alice_page.get_by_label("Post in Kenniskring wondzorg").fill("Foto van de nieuwe verbandkar")
    alice_page.get_by_label("Add photos or documents").set_input_files(str(photo))
    alice_page.get_by_role("button", name="Post", exact=True).click()
    bobs_post = bob_page.locator("article.post", has_text="verbandkar")
    # No description yet: the photo says so, and never reads out its file name.
    photo_link = bobs_post.get_by_role("link", name="A photo without a description")
    expect(photo_link).to_be_visible()
    expect(photo_link.locator("img")).to_have_attribute("alt", "")
    # The thumbnail, served through the visibility check (it loads lazily).
    bob_page.wait_for_function(
        "() => document.querySelector('.attachments img').naturalWidth === 640"
    )
    expect(bobs_post.get_by_label("Describe this photo")).to_be_hidden()  # asked of Alice only

    # Alice is asked what the photo shows; her words reach Bob's page as its alt text.
    alices_post = alice_page.locator("article.post", has_text="verbandkar")
    alices_post.get_by_label("Describe this photo").fill("De nieuwe verbandkar, rood")
    alices_post.get_by_role("button", name="Save description").click()
    expect(alices_post.get_by_label("Describe this photo")).to_have_count(0)
    expect(bobs_post.get_by_role("img", name="De nieuwe verbandkar, rood")).to_be_visible()
    assert bob_page.evaluate("window.notReloaded") is True


def test_bobs_bell_rings_when_alice_mentions_him_and_leads_to_the_post(
    browser, live_servers, team_committed
):
    """Bob is on a page without a feed (the group list); his bell still hears."""
    bob_page = open_page(browser, live_servers[-1], "bob", "/groups/")
    bell = bob_page.get_by_role("button", name="Notifications")
    count = bob_page.locator("#notice-count")
    expect(count).to_be_hidden()
    bob_page.wait_for_function("() => window.htmx && document.querySelector('[ws-connect]')")
    mark_page(bob_page)

    alice_page = open_group_page(browser, live_servers[0], "alice")
    feed_state(alice_page)
    alice_page.get_by_label("Post in Kenniskring wondzorg").fill("Kijk jij even mee, @bob?")
    alice_page.get_by_role("button", name="Post", exact=True).click()

    expect(count).to_have_text("1")
    # Read out: what arrived, then how many.
    expect(bob_page.locator("#notice-status")).to_have_text(
        "Alice de Vries mentioned you in Kenniskring wondzorg. 1 unread notification"
    )
    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    notice = bob_page.locator("#notice-menu .notice", has_text="Alice de Vries mentioned you")
    expect(notice).to_contain_text("Kenniskring wondzorg")
    expect(notice).to_contain_text("Kijk jij even mee, @Bob Jansen?")
    assert bob_page.evaluate("window.notReloaded") is True

    notice.get_by_role("link").click()
    expect(bob_page.locator("article.post")).to_contain_text("Kijk jij even mee")
    expect(bob_page.locator("#notice-count")).to_be_hidden()  # read now


# Coming back: a page whose network returns, or that is seen again (a laptop
# waking up), reconnects its socket at once instead of waiting out the htmx ws
# extension's back-off, and still holds one socket, not two
# (static/kring/reconnect.js).

# Counts the page's socket opens and closes from its first load on.
WATCH_SOCKETS = """
window.wsOpens = 0;
window.wsCloses = 0;
document.addEventListener("htmx:wsOpen", () => window.wsOpens++);
document.addEventListener("htmx:wsClose", () => window.wsCloses++);
"""

# The extension's back-off made endless: its retry is held here instead of
# timed, so only the page's coming back can explain a reconnect, and the test
# can fire the held retry afterwards, as a late back-off timer would. Every
# socket made from now on is kept in window.sockets. (A function: Playwright
# calls it.)
HOLD_BACKOFF = """() => {
  window.heldRetries = [];
  const realSetTimeout = window.setTimeout;
  window.setTimeout = function (callback, delay, ...rest) {
    if (delay === 3600000) {
      window.heldRetries.push(callback);
      return 0;
    }
    return realSetTimeout.call(window, callback, delay, ...rest);
  };
  htmx.config.wsReconnectDelay = () => 3600000;
  window.sockets = [];
  const makeSocket = htmx.createWebSocket;
  htmx.createWebSocket = (url) => {
    const socket = makeSocket(url);
    window.sockets.push(socket);
    return socket;
  };
}"""

# Socket opens since the first, sockets made since HOLD_BACKOFF, how many are open.
SOCKETS = """[
  window.wsOpens,
  window.sockets.length,
  window.sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
]"""


def lose_the_network(page, server):
    """The network goes away, and with it the socket. Chromium's offline
    emulation leaves an open WebSocket open, so the server's going away closes
    it (abnormally, as a lost network does); the server is back before the
    network is."""
    page.context.set_offline(True)
    server.stop()
    page.wait_for_function("() => window.wsCloses === 1")


@pytest.mark.parametrize("comes_back", ["online", "visible"])
def test_a_page_reconnects_at_once_when_it_comes_back_and_gets_what_it_missed(
    browser, live_servers, team_committed, comes_back
):
    server = live_servers[-1]
    page = open_page(browser, server, "bob", "/groups/wondzorg/", init_script=WATCH_SOCKETS)
    feed_state(page)
    mark_page(page)
    page.evaluate(HOLD_BACKOFF)

    if comes_back == "online":
        lose_the_network(page, server)
    else:
        server.stop()
    feed_state(page, "offline")
    post_elsewhere(team_committed.alice, team_committed.group, "Gemist terwijl weg")
    server.start()
    if comes_back == "online":
        page.context.set_offline(False)  # fires the window's online event
    else:
        # A headless page is always visible; a waking laptop's page becomes so.
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    expect(page.locator("article.post .post-body")).to_have_text(["Gemist terwijl weg"])
    feed_state(page)
    assert page.evaluate("window.heldRetries.length") == 1  # the extension still waits
    assert page.evaluate(SOCKETS) == [2, 1, 1]
    # The back-off timer fires late: the fresh socket stays, and no other opens.
    page.evaluate("window.heldRetries.forEach((retry) => retry())")
    assert page.evaluate(SOCKETS) == [2, 1, 1]
    assert page.locator("section.feed").get_attribute("data-state") == "live"
    assert page.evaluate("window.notReloaded") is True


def test_the_bell_reconnects_at_once_when_the_network_comes_back(
    browser, live_servers, team_committed
):
    """On a page without a feed the bell's own socket (/ws/notices/) comes back too."""
    server = live_servers[-1]
    page = open_page(browser, server, "bob", "/groups/", init_script=WATCH_SOCKETS)
    page.wait_for_function("() => window.wsOpens === 1")
    mark_page(page)
    page.evaluate(HOLD_BACKOFF)

    lose_the_network(page, server)
    post_elsewhere(team_committed.alice, team_committed.group, "Kijk jij even mee, @bob?")
    server.start()
    page.context.set_offline(False)

    expect(page.locator("#notice-count")).to_have_text("1")
    assert page.evaluate(SOCKETS) == [2, 1, 1]
    page.evaluate("window.heldRetries.forEach((retry) => retry())")
    assert page.evaluate(SOCKETS) == [2, 1, 1]
    assert page.evaluate("window.notReloaded") is True
