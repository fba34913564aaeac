"""A pinned announcement is on a page once: in the pinned place, not a second time in
the feed (no duplicate element ids, no second Pin button going stale), on the first
load, on older pages, on catching up and after a live pin or unpin."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from communities import actions
from communities.models import Membership, Post
from tests.factories import GroupFactory, PersonFactory
from tests.pages import logged_in

HTMX = {"HTTP_HX_REQUEST": "true"}
TITLE = "Parkeren vanaf maandag"
DUPLICATE_IDS = """() => {
  const ids = Array.from(document.querySelectorAll("[id]"), (el) => el.id);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}"""


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def duplicate_ids(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    return [element_id for element_id, n in parser.ids.items() if n > 1]


def newsroom():
    daan = PersonFactory(username="daan", display_name="Daan Visser")
    bob = PersonFactory(username="bob", display_name="Bob Jansen")
    news = GroupFactory(name="Nieuws", slug="nieuws", is_news=True, members=[daan, bob])
    Membership.objects.filter(group=news, person=daan).update(role=Membership.Role.OWNER)
    return daan, bob, news


def pinned_announcement(daan, news):
    post = actions.post_to_group(daan, news, "Lees dit", kind=Post.Kind.ANNOUNCEMENT, title=TITLE)
    actions.pin_announcement(daan, post)
    return post


@pytest.mark.parametrize("path", ["/", "/groups/nieuws/"])
def test_the_pinned_announcement_is_on_the_page_once(db, client_for, path):
    daan, bob, news = newsroom()
    actions.post_to_group(daan, news, "Eerder nieuws")
    post = pinned_announcement(daan, news)
    actions.post_to_group(daan, news, "Later nieuws")
    page = client_for(bob).get(path).content.decode()
    assert duplicate_ids(page) == []
    assert page.count(TITLE) == 1
    assert page.count(f'id="post-{post.pk}"') == 1
    assert "Eerder nieuws" in page and "Later nieuws" in page


def test_older_pages_and_the_catch_up_leave_the_pinned_announcement_out(db, client_for, settings):
    settings.FEED_PAGE_SIZE = 1
    daan, bob, news = newsroom()
    first = actions.post_to_group(daan, news, "Eerder nieuws")
    post = pinned_announcement(daan, news)
    client = client_for(bob)
    older = client.get(f"/?before={post.pk + 1}", **HTMX).content.decode()
    assert TITLE not in older and "Eerder nieuws" in older
    newer = client.get(f"/home/newer/?after={first.pk}", **HTMX)
    assert TITLE not in newer.content.decode()
    newer = client.get(f"/groups/nieuws/newer/?after={first.pk}", **HTMX)
    assert TITLE not in newer.content.decode()


def test_an_unpinned_announcement_is_back_in_the_feed(db, client_for):
    daan, bob, news = newsroom()
    post = pinned_announcement(daan, news)
    actions.unpin_announcement(daan, post)
    page = client_for(bob).get("/groups/nieuws/").content.decode()
    assert page.count(TITLE) == 1
    assert duplicate_ids(page) == []


@pytest.mark.browser
def test_a_live_pin_and_unpin_keep_the_announcement_once_with_a_working_button(
    browser, live_servers, transactional_db
):
    daan, bob, news = newsroom()
    post = actions.post_to_group(daan, news, "Lees dit", kind=Post.Kind.ANNOUNCEMENT, title=TITLE)
    home = logged_in(browser, live_servers[-1], "bob", "/")
    group = logged_in(browser, live_servers[-1], "bob", "/groups/nieuws/")
    editor = logged_in(browser, live_servers[0], "daan", "/groups/nieuws/")
    editor.get_by_role("button", name="Pin to the top").click()

    for page in (home, group, editor):
        expect(page.locator(f"#pinned-{news.pk} section.pinned")).to_contain_text(TITLE)
        expect(page.locator(f"#feed-posts #post-{post.pk}")).to_have_count(0)
        assert page.evaluate(DUPLICATE_IDS) == []
    # The one copy's button says what it does now.
    pinned_button = editor.locator(f"#pinned-{news.pk}").get_by_role("button", name="Unpin")
    expect(pinned_button).to_be_visible()
    expect(editor.get_by_role("button", name="Pin to the top")).to_have_count(0)

    pinned_button.click()
    # Back in the group's feed, once, where it belongs by date.
    for page in (group, editor):
        expect(page.locator(f"#pinned-{news.pk} section.pinned")).to_have_count(0)
        expect(page.locator(f"#feed-posts #post-{post.pk}")).to_have_count(1)
        assert page.evaluate(DUPLICATE_IDS) == []
