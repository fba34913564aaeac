"""Search as a person does it, in Debian's Chromium: typing a Dutch word into the
header's box, picking a suggestion with the keyboard, then searching and finding
the post, the reply and the colleague who knows, grouped and highlighted; and an
outsider who searches a secret group's word finding nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from communities import actions
from search.models import Search
from tests.factories import PersonFactory
from tests.pages import open_page
from tests.search.helpers import make_carol_the_expert

pytestmark = pytest.mark.browser


@pytest.fixture
def searchable(team_committed):
    team = team_committed
    make_carol_the_expert(team)
    post = actions.post_to_group(
        team.alice, team.group, "Welke verpleegkundigen kennen de nieuwe richtlijn decubitus?"
    )
    actions.reply_to_post(team.bob, post, "Carol weet alles van decubitus bij ouderen")
    secret = actions.create_group(team.alice, name="Vertrouwenscommissie", privacy="secret")
    actions.post_to_group(team.alice, secret, "Het dossier Zilvermeeuw blijft binnen de commissie")
    PersonFactory(username="dave", display_name="Dave Bos")
    return team


def test_a_dutch_term_a_suggestion_picked_then_results_grouped_and_highlighted(
    searchable, browser, live_servers
):
    page = open_page(browser, live_servers[0], "bob", "/")
    box = page.get_by_role("combobox", name="Search posts, people and groups")
    box.press_sequentially("decub", delay=30)
    options = page.locator("#site-search-suggestions [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    # People first: Carol, who knows about it; then the post; then "Search for …".
    expect(options.first).to_contain_text("Carol Smit")
    expect(options.last).to_contain_text("Search for “decub”")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/carol/$"))
    search = Search.objects.get()
    assert (search.term, search.opened_kind, search.opened_position) == ("decub", "person", 1)

    box = page.get_by_role("combobox", name="Search posts, people and groups")
    box.fill("decubitus")
    page.keyboard.press("Enter")  # no suggestion chosen: Enter searches
    page.wait_for_url(re.compile(r"/search/\?q="))
    headings = page.locator("main h2")
    expect(headings).to_have_text([re.compile("^People"), re.compile("^Posts and replies")])
    people = page.locator("#hits-people .hit")
    expect(people).to_have_count(1)
    expect(people).to_contain_text("Carol Smit")
    expect(people).to_contain_text("Wondverpleegkundige")
    expect(page.locator("#hits-posts .hit")).to_have_count(2)
    expect(page.locator("#hits-posts .hit-post")).to_contain_text(
        "Welke verpleegkundigen kennen de nieuwe richtlijn"
    )
    expect(page.locator("#hits-posts .hit-reply")).to_contain_text("Reply by Bob Jansen")
    marks = page.locator("#hits-posts mark")
    expect(marks.first).to_be_visible()
    assert {m.lower() for m in marks.all_inner_texts()} == {"decubitus"}
    expect(page.get_by_role("status").filter(has_text="results")).to_have_text(
        "3 results for “decubitus”"
    )
    page.locator("#hits-posts .hit-post a").first.click()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))


def test_an_outsider_finds_nothing_of_a_secret_group(searchable, browser, live_servers):
    page = open_page(browser, live_servers[0], "dave", "/search/?q=Zilvermeeuw")
    expect(page.get_by_role("status").filter(has_text="Nothing found")).to_contain_text(
        "Nothing found for “Zilvermeeuw”."
    )
    expect(page.locator(".hit")).to_have_count(0)
    box = page.get_by_role("combobox", name="Search posts, people and groups")
    box.fill("")
    box.press_sequentially("Vertrouwens", delay=30)
    options = page.locator("#site-search-suggestions [role=option]")
    expect(options).to_have_count(1)  # only "Search for …"
    member = open_page(browser, live_servers[0], "alice", "/search/?q=Zilvermeeuw")
    expect(member.locator("#hits-posts .hit")).to_have_count(1)
