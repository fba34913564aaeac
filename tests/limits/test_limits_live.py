"""Rate limits on real Daphne processes: counted together through Redis when
scaled out, and what a person sees in Chromium."""

import urllib.error

import pytest
from playwright.sync_api import expect

from tests.live import post_over_htmx, session_cookie
from tests.pages import feed_state, open_group_page


@pytest.fixture
def tight_limits(monkeypatch):
    """For the servers a test starts (before ``live_servers``): two posts a day,
    no reactions at all. The window is fixed (django-ratelimit's): a minute's
    window could end between a test's posts and count them afresh (a red CI)."""
    monkeypatch.setenv("RATE_LIMITS", "post=2/d,react=0/d")


def post_status(server, cookie: str, body: str) -> int:
    try:
        return post_over_htmx(server.url, cookie, "wondzorg", body)
    except urllib.error.HTTPError as refusal:
        assert refusal.headers["Retry-After"]
        return refusal.code


@pytest.mark.integration
def test_two_processes_count_one_persons_posts_together(tight_limits, live_servers, team_committed):
    a, b = live_servers
    cookie = session_cookie(team_committed.alice)
    # Each process alone has counted at most two; together they count four.
    order = (a, b, a, b)
    statuses = [post_status(server, cookie, f"bericht {n}") for n, server in enumerate(order)]
    assert statuses == [200, 200, 429, 429]


@pytest.mark.browser
def test_a_limited_post_says_so_and_the_compose_box_keeps_the_text(
    tight_limits, browser, live_servers, team_committed
):
    page = open_group_page(browser, live_servers[0], "alice")
    feed_state(page)
    box = page.get_by_label("Post in Kenniskring wondzorg")
    for body in ("Eerste bericht", "Tweede bericht"):
        box.fill(body)
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("article.post", has_text=body)).to_have_count(1)
        # The post may arrive over the socket before the answer that empties the
        # compose box: typing the next one waits for that, as a person's eyes do.
        expect(box).to_have_value("")

    box.fill("Derde bericht, te snel na de vorige")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.locator("form.compose [role=alert]")).to_contain_text(
        "Too many posts in a short time. Try again in"
    )
    expect(box).to_have_value("Derde bericht, te snel na de vorige")
    expect(page.locator("article.post", has_text="Derde bericht")).to_have_count(0)

    # A reaction over its limit: the message at the foot of the screen, nothing replaced.
    page.locator("article.post").first.locator("button.reaction").first.click()
    message = page.locator("#limit-message")
    expect(message).to_contain_text("Too many reactions in a short time. Try again in")
    expect(message).to_be_visible()
    expect(box).to_have_value("Derde bericht, te snel na de vorige")
    message.get_by_role("button", name="Close").click()
    expect(message).to_be_hidden()
