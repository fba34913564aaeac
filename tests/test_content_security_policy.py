"""The content security policy in Debian's Chromium: an injected inline script does
not run, and using Kring normally (pages, the live feed over its WebSocket, posting,
replying, reacting, the admin) breaks no part of the policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from communities.models import Post
from tests.factories import PASSWORD
from tests.pages import feed_state, open_page

pytestmark = pytest.mark.browser

# Before any of the page's own scripts: every violation the browser reports is kept.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def watched(page) -> list[str]:
    """Console errors of ``page``, as they come."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_an_injected_inline_script_is_blocked(browser, live_servers, team_committed):
    page = open_page(browser, live_servers[0], "alice", "/groups/wondzorg/", RECORD_VIOLATIONS)
    feed_state(page)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injectedRan = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert page.evaluate("window.injectedRan") is None
    assert any(v.startswith("script-src") for v in violations(page))


def test_normal_use_breaks_no_part_of_the_policy(browser, live_servers, team_committed):
    team_committed.alice.is_staff = team_committed.alice.is_superuser = True
    team_committed.alice.save()
    server = live_servers[0]
    page = open_page(browser, server, "alice", "/groups/wondzorg/", RECORD_VIOLATIONS)
    errors = watched(page)
    feed_state(page)
    assert page.evaluate("document.documentElement.classList.contains('js')")
    # The organisation's colours arrived from its stylesheet.
    assert (
        page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
        )
        == "#0b6e6e"
    )

    page.get_by_label("Post in Kenniskring wondzorg").fill("Richtlijn wondzorg herzien")
    page.get_by_role("button", name="Post", exact=True).click()
    post = page.locator("article.post", has_text="Richtlijn wondzorg herzien")
    expect(post).to_have_count(1)
    post.get_by_role("button", name="Thanks: 0").click()
    expect(post.get_by_role("button", name="Thanks: 1")).to_be_visible()
    post.get_by_label("Reply to Alice de Vries").fill("Ik lees hem vandaag")
    post.get_by_role("button", name="Reply", exact=True).click()
    expect(post.locator(".reply", has_text="Ik lees hem vandaag")).to_have_count(1)
    assert violations(page) == []

    post_path = f"/posts/{Post.objects.latest('pk').pk}/"
    for path in (
        "/",
        post_path,
        "/people/",
        "/people/bob/",
        "/notifications/",
        "/settings/",
        "/settings/profile/",
        "/admin/",
        "/admin/communities/person/",
        f"/admin/communities/group/{team_committed.group.pk}/change/",
        f"/admin/communities/person/{team_committed.bob.pk}/change/",
        "/admin/organisation/organisation/",
        "/no/such/page/",
    ):
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("load")
        if page.locator("section.feed").count():
            feed_state(page)
        assert violations(page) == [], path

    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []

    # The login page as a visitor sees it, in a browser of its own: clearing this
    # page's cookies instead would let a socket still opening on the last page ask
    # for its count without a session, and be sent to the login page mid-test.
    visitor = page.context.browser.new_context().new_page()
    visitor.add_init_script(RECORD_VIOLATIONS)
    visitor_errors = watched(visitor)
    visitor.goto(f"{server.url}/login/")
    visitor.get_by_label("Username").fill("alice")
    visitor.get_by_label("Password").fill(PASSWORD)
    assert violations(visitor) == []
    assert [e for e in visitor_errors if "Content Security Policy" in e or "Refused" in e] == []
