"""Follower counts are live: a follow or unfollow updates the follower count of the
person followed, and the following count of the follower, on every open profile of
theirs, in each page's language; the follow button stays the viewer's own."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from playwright.sync_api import expect

from communities import actions
from tests.pages import logged_in
from tests.sockets import settled, socket_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_follow_reaches_open_profiles_of_both_people_in_their_language(
    team_committed,
):
    team = team_committed
    on_bobs = await socket_of(team.carol, "/ws/people/bob/")
    on_bobs_dutch = await socket_of(team.alice, "/ws/people/bob/?lang=nl")
    on_alices = await socket_of(team.carol, "/ws/people/alice/")

    await database_sync_to_async(actions.follow_person)(team.alice, team.bob)

    english = await on_bobs.receive_from(timeout=2)
    assert f'<summary id="followers-summary-{team.bob.pk}" hx-swap-oob="true">1 follower<' in (
        english
    )
    assert "Alice de Vries" in english
    assert "1 volger" in await on_bobs_dutch.receive_from(timeout=2)
    assert "Follows 1 person" in await on_alices.receive_from(timeout=2)

    await database_sync_to_async(actions.unfollow)(team.alice, person=team.bob)
    assert ">0 followers<" in await on_bobs.receive_from(timeout=2)
    for socket in (on_bobs, on_bobs_dutch, on_alices):
        await socket.disconnect()


async def test_following_again_who_one_follows_pushes_nothing(team_committed):
    team = team_committed
    await database_sync_to_async(actions.follow_person)(team.alice, team.bob)
    on_bobs = await socket_of(team.carol, "/ws/people/bob/")
    await database_sync_to_async(actions.follow_person)(team.alice, team.bob)
    await database_sync_to_async(actions.unfollow)(team.carol, person=team.alice)
    assert await settled(on_bobs, team.carol) == []
    await on_bobs.disconnect()


@pytest.mark.browser
def test_a_follower_count_changes_on_another_persons_open_profile(
    browser, live_servers, team_committed
):
    viewer = logged_in(browser, live_servers[-1], "carol", "/people/bob/")
    viewer.evaluate("window.notReloaded = true")
    count = viewer.locator("summary", has_text="follower")
    expect(count).to_have_text("0 followers")

    follower = logged_in(browser, live_servers[0], "alice", "/people/bob/")
    follower.get_by_role("button", name="Follow").click()
    expect(count).to_have_text("1 follower")
    viewer.get_by_text("1 follower").click()  # the list opens, and names Alice
    expect(viewer.locator(f"#followers-list-{team_committed.bob.pk}")).to_contain_text(
        "Alice de Vries"
    )

    follower.get_by_role("button", name="Following").click()
    expect(count).to_have_text("0 followers")
    # Carol's own button is hers: she still may follow Bob.
    expect(viewer.get_by_role("button", name="Follow")).to_be_visible()
    assert viewer.evaluate("window.notReloaded") is True
