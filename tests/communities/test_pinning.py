"""Pinning and unpinning an announcement reach open pages live, and pages that
were away when they catch up."""

import re
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db.models import F
from playwright.sync_api import expect

from communities import actions
from communities.models import Membership, Post
from tests.factories import GroupFactory, PersonFactory
from tests.pages import logged_in
from tests.sockets import socket_of

HTMX = {"HTTP_HX_REQUEST": "true"}


def newsroom():
    """Organisation news, with Daan as its editor and Bob as a reader."""
    daan = PersonFactory(username="daan", display_name="Daan Visser")
    bob = PersonFactory(username="bob", display_name="Bob Jansen")
    news = GroupFactory(name="Nieuws", slug="nieuws", is_news=True, members=[daan, bob])
    Membership.objects.filter(group=news, person=daan).update(role=Membership.Role.OWNER)
    return daan, bob, news


def announce(daan, news, title):
    return actions.post_to_group(daan, news, "Lees dit", kind=Post.Kind.ANNOUNCEMENT, title=title)


@pytest.mark.django_db(transaction=True)
async def test_pinning_and_unpinning_reach_open_group_and_home_pages_live():
    daan, bob, news = await database_sync_to_async(newsroom)()
    first = await database_sync_to_async(announce)(daan, news, "Parkeren")
    second = await database_sync_to_async(announce)(daan, news, "Griepprik")
    group_page = await socket_of(bob, "/ws/groups/nieuws/")
    home_page = await socket_of(bob, "/ws/home/")

    await database_sync_to_async(actions.pin_announcement)(daan, first)
    for page in (group_page, home_page):
        message = await page.receive_from(timeout=2)
        assert f'id="pinned-{news.pk}" hx-swap-oob="outerHTML"' in message
        assert "Parkeren" in message and "Griepprik" not in message

    # Pinning another takes the first one's place.
    await database_sync_to_async(actions.pin_announcement)(daan, second)
    message = await group_page.receive_from(timeout=2)
    assert "Griepprik" in message and "Parkeren" not in message
    assert "Griepprik" in await home_page.receive_from(timeout=2)

    await database_sync_to_async(actions.unpin_announcement)(daan, second)
    for page in (group_page, home_page):
        message = await page.receive_from(timeout=2)
        assert f'id="pinned-{news.pk}" hx-swap-oob="outerHTML"></div>' in message
        await page.disconnect()


def age_every_change(minutes: int = 10) -> None:
    Post.objects.exclude(changed_at=None).update(
        changed_at=F("changed_at") - timedelta(minutes=minutes)
    )


def synced_at(html: str) -> str:
    return re.search(r'data-synced-at="([0-9.]+)"', html).group(1)


@pytest.mark.parametrize("page_path", ["/groups/nieuws/", "/"])
def test_a_page_that_was_away_catches_up_on_a_pin_and_an_unpin(db, client_for, page_path):
    daan, bob, news = newsroom()
    first = announce(daan, news, "Parkeren")
    age_every_change()
    client = client_for(bob)
    page = client.get(page_path).content.decode()
    assert f'id="pinned-{news.pk}"' in page and "Pin to the top" in page
    newer = "/groups/nieuws/newer/" if page_path != "/" else "/home/newer/"

    # Bob's laptop sleeps; Daan pins the announcement.
    actions.pin_announcement(daan, first)
    response = client.get(f"{newer}?after={first.pk}&since={synced_at(page)}", **HTMX)
    caught_up = response.content.decode()
    assert f'<div class="pinned-place" id="pinned-{news.pk}" hx-swap-oob="outerHTML">' in caught_up
    assert "Parkeren" in caught_up.split(f'id="pinned-{news.pk}"', 1)[1]

    # And unpins it while the laptop sleeps again.
    since = response["Kring-Synced-At"]
    age_every_change()
    actions.unpin_announcement(daan, first)
    caught_up = client.get(f"{newer}?after={first.pk}&since={since}", **HTMX).content.decode()
    assert f'id="pinned-{news.pk}" hx-swap-oob="outerHTML"></div>' in caught_up


def test_a_catch_up_without_pin_changes_leaves_the_pinned_place_alone(db, client_for):
    daan, bob, news = newsroom()
    first = announce(daan, news, "Parkeren")
    actions.pin_announcement(daan, first)
    age_every_change()
    client = client_for(bob)
    page = client.get("/groups/nieuws/").content.decode()
    update = actions.post_to_group(daan, news, "Gewoon nieuws")
    actions.reply_to_post(bob, update, "Dank")
    caught_up = client.get(
        f"/groups/nieuws/newer/?after={update.pk}&since={synced_at(page)}", **HTMX
    ).content.decode()
    assert "Dank" in caught_up and f'id="pinned-{news.pk}"' not in caught_up


@pytest.mark.browser
def test_a_pin_appears_on_an_open_page_and_an_unpin_clears_it(
    browser, live_servers, transactional_db
):
    daan, bob, news = newsroom()
    announce(daan, news, "Parkeren vanaf maandag")
    page = logged_in(browser, live_servers[-1], "bob", "/groups/nieuws/")
    page.evaluate("window.notReloaded = true")
    pinned = page.locator(f"#pinned-{news.pk} section.pinned")
    expect(pinned).to_have_count(0)

    editor = logged_in(browser, live_servers[0], "daan", "/groups/nieuws/")
    editor.get_by_role("button", name="Pin to the top").click()

    expect(pinned).to_contain_text("Parkeren vanaf maandag")
    # The editor's own pinned place came live too; its form works there.
    editor.locator(f"#pinned-{news.pk}").get_by_role("button", name="Unpin").click()
    expect(pinned).to_have_count(0)
    expect(editor.locator(f"#pinned-{news.pk} section.pinned")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
