"""The layout in Chromium: no sideways scrolling at 360 px on any page (WCAG
1.4.10), touch targets, the phone's navigation drawer by keyboard, and the
compose box's title and counter."""

import pytest
from playwright.sync_api import expect

from communities import actions
from communities.models import Membership
from tests.factories import PASSWORD
from tests.pages import feed_state

# The same on every deployment shape: run once, in the second (scaled-out) run.
pytestmark = [pytest.mark.browser, pytest.mark.once]

LONG_WORD = "Ontwikkelingsgerichte-samenwerkingsovereenkomstenadministratie"


@pytest.fixture
def site(team_committed):
    """A team with a bit of everything a page can show: a long title and word, a
    reply, a reaction, an edit, a tag, a notification; Alice manages the group."""
    team = team_committed
    Membership.objects.filter(person=team.alice, group=team.group).update(role="owner")
    post = actions.post_to_group(
        team.bob,
        team.group,
        f"Een lang woord: {LONG_WORD} #wondzorg @alice",
        kind="article",
        title=f"Artikel over {LONG_WORD}",
    )
    actions.reply_to_post(team.alice, post, "Dank je, Bob")
    actions.toggle_reaction(team.alice, post, "like")
    actions.edit_post(team.bob, post, f"Een lang woord, verbeterd: {LONG_WORD} #wondzorg @alice")
    actions.follow_tag(team.alice, "wondzorg")
    return team, post


def log_in(browser, server, username, width=360, height=740, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server.url}/")
    return page


def overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_360_px(site, browser, live_servers, scheme):
    team, post = site
    server = live_servers[0]
    paths = [
        "/",
        "/groups/wondzorg/",
        "/groups/",
        "/groups/new/",
        "/groups/wondzorg/members/",
        f"/posts/{post.pk}/",
        f"/posts/{post.pk}/history/",
        "/tags/wondzorg/",
        "/people/bob/",
        "/notifications/",
        "/notifications/settings/",
        "/no-such-page/",
    ]
    page = log_in(browser, server, "alice", color_scheme=scheme)
    wide = {}
    for path in paths:
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("load")
        if overflow(page) > 0:
            wide[path] = overflow(page)
    # The manager's page of members (manage controls), and the bell opened.
    page.goto(f"{server.url}/groups/wondzorg/members/")
    assert page.get_by_role("button", name="Change role").first.is_visible()
    page.get_by_role("button", name="Notifications").click()
    expect(page.locator("#notice-menu")).to_be_visible()
    if overflow(page) > 0:
        wide["bell open"] = overflow(page)
    box = page.locator("#notice-menu").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Logged out: the login page.
    anonymous = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    anonymous.goto(f"{server.url}/login/")
    if overflow(anonymous) > 0:
        wide["/login/"] = overflow(anonymous)
    assert wide == {}


def test_touch_targets_are_24_px_and_main_actions_44(site, browser, live_servers):
    team, post = site
    page = log_in(browser, live_servers[0], "bob", width=375, height=812)
    page.goto(f"{live_servers[0].url}/groups/wondzorg/")
    # Measured once the page has settled: its socket open and its catch-up done,
    # which may swap the posts in again.
    feed_state(page)
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
            'main button, main a, main input, main select, main summary, header button, '
            + 'header summary'
          ))
          .filter(el => el.offsetParent !== null)
          // WCAG 2.5.8's exception: a link inline in a line of text.
          .filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
          .map(el => [
            el.outerHTML.slice(0, 80), (el.closest('label') || el).getBoundingClientRect().height
          ])
          .filter(([, h]) => h < 24)"""
    )
    assert small == [], small
    article = page.locator(f"#post-{post.pk}")
    for control in (
        page.get_by_role("button", name="Post", exact=True),
        article.get_by_role("button", name="Reply", exact=True),
        article.get_by_role("button", name="Like: 1"),
        page.get_by_role("button", name="Follow Kenniskring wondzorg"),
        page.get_by_role("button", name="Leave group"),
    ):
        expect(control).to_be_visible()
        assert control.bounding_box()["height"] >= 44


def test_a_groups_buttons_leave_its_title_the_width_at_375_px(site, browser, live_servers):
    page = log_in(browser, live_servers[0], "bob", width=375, height=812)
    page.goto(f"{live_servers[0].url}/groups/wondzorg/")
    title = page.get_by_role("heading", name="Kenniskring wondzorg", level=1).bounding_box()
    assert title["width"] >= 300  # the whole column, not squeezed beside the buttons


def test_on_a_phone_the_menu_button_opens_the_navigation_by_keyboard(site, browser, live_servers):
    page = log_in(browser, live_servers[0], "alice", width=375, height=812)
    menu = page.get_by_role("button", name="Menu")
    groups_link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Kenniskring wondzorg"
    )
    expect(groups_link).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(groups_link).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")
    ).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(groups_link).to_be_hidden()


def test_on_a_wide_screen_the_sidebar_shows_ones_groups_and_tags(site, browser, live_servers):
    page = log_in(browser, live_servers[0], "alice", width=1280, height=800)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Kenniskring wondzorg")).to_be_visible()
    expect(nav.get_by_role("link", name="wondzorg", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    # The account menu: profile, settings, log out.
    page.get_by_text("Alice de Vries", exact=True).first.click()
    expect(page.get_by_role("link", name="Your profile")).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_have_attribute("href", "/settings/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")


def test_the_title_shows_for_an_article_and_the_counter_warns_near_the_limit(
    site, browser, live_servers
):
    page = log_in(browser, live_servers[0], "bob", width=375, height=812)
    page.goto(f"{live_servers[0].url}/groups/wondzorg/")
    title = page.get_by_label("Title", exact=True)
    expect(title).to_be_hidden()
    page.get_by_label("Article").check()
    expect(title).to_be_visible()
    page.get_by_label("Short update").check()
    expect(title).to_be_hidden()
    box = page.get_by_label("Post in Kenniskring wondzorg")
    counter = page.locator("#compose-count")
    box.fill("a" * 4000)
    box.press("a")
    expect(counter).to_have_text("")  # quiet below 90 %
    box.fill("a" * 4600)
    box.press("a")
    expect(counter.locator("[data-count-shown]")).to_have_text("399 characters left")
    expect(counter.locator("[data-count-live]")).to_have_text("399 characters left")
    box.fill("a" * 5010)
    box.press("a")
    expect(counter.locator("[data-count-shown]")).to_have_text("11 characters too many")
    expect(box).to_have_attribute("aria-invalid", "true")
    # Nothing was cut: the server refuses, saying why, and keeps the text.
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Your text is 5011 characters long")
    expect(page.get_by_label("Post in Kenniskring wondzorg")).to_have_value("a" * 5011)


def test_a_post_from_home_goes_to_the_chosen_group_and_shows_at_once(site, browser, live_servers):
    team, _post = site
    from tests.factories import GroupFactory

    GroupFactory(name="Receptenkring", slug="recepten", members=[team.bob])
    page = log_in(browser, live_servers[0], "bob", width=1280, height=800)
    page.wait_for_selector("section.feed[data-state=live]", state="attached")
    page.get_by_label("Group", exact=True).select_option(label="Receptenkring")
    page.get_by_label("Your message").fill("Linzensoep voor vrijdag")
    page.get_by_role("button", name="Post", exact=True).click()
    mine = page.locator("#feed-posts article.post", has_text="Linzensoep voor vrijdag")
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("link", name="Receptenkring")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("")
