"""A page away for longer than a catch-up can make good is told so, with a reload
button; a page whose catch-up brings everything is not (settings
``CATCH_UP_POSTS`` and ``CATCH_UP_CHANGES``, lowered here to 3 and 2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions
from tests.communities.helpers import age_every_change, synced_at

HTMX = {"HTTP_HX_REQUEST": "true"}
NOTICE = "more happened than this page can show"
GAP_SWAP = 'hx-swap-oob="innerHTML:#catch-up-gap"'


@pytest.fixture(autouse=True)
def small_window(settings):
    settings.CATCH_UP_POSTS = 3
    settings.CATCH_UP_CHANGES = 2


def shown_post_ids(html: str, posts) -> list[int]:
    return [post.pk for post in posts if f'data-post-id="{post.pk}"' in html]


def catch_up_after(client, newest_seen, count, alice, group):
    posts = [actions.post_to_group(alice, group, f"gemist {n}") for n in range(count)]
    response = client.get(f"/groups/wondzorg/newer/?after={newest_seen.pk}", **HTMX)
    assert response.status_code == 200
    return response.content.decode(), posts


def test_a_catch_up_after_more_new_posts_than_it_brings_says_so_and_brings_the_newest(
    client_for, team
):
    seen = actions.post_to_group(team.alice, team.group, "al gezien")
    html, missed = catch_up_after(client_for(team.bob), seen, 4, team.alice, team.group)
    assert shown_post_ids(html, missed) == [post.pk for post in missed[1:]]
    assert GAP_SWAP in html
    assert f"You were away for a while: {NOTICE}." in html
    assert '<button type="button" class="primary" data-reload>Reload</button>' in html


def test_a_catch_up_that_brings_every_new_post_says_nothing_more(client_for, team):
    seen = actions.post_to_group(team.alice, team.group, "al gezien")
    html, missed = catch_up_after(client_for(team.bob), seen, 3, team.alice, team.group)
    assert shown_post_ids(html, missed) == [post.pk for post in missed]
    assert GAP_SWAP not in html
    assert NOTICE not in html


def page_then_change(client, group, alice, *, edited: int = 0, removed: int = 0):
    """Bob's page shows five posts; then Alice edits some and removes others."""
    posts = [actions.post_to_group(alice, group, f"bericht {n}") for n in range(5)]
    age_every_change()
    page = client.get("/groups/wondzorg/").content.decode()
    for post in posts[:edited]:
        actions.edit_post(alice, post, f"{post.body} bewerkt")
    for post in posts[len(posts) - removed :]:
        actions.delete_post(alice, post)
    response = client.get(
        f"/groups/wondzorg/newer/?after={posts[-1].pk}&since={synced_at(page)}", **HTMX
    )
    assert response.status_code == 200
    return response.content.decode(), posts


def test_a_catch_up_after_more_changed_posts_than_it_brings_says_so(client_for, team):
    html, posts = page_then_change(client_for(team.bob), team.group, team.alice, edited=3)
    assert html.count("bewerkt") == 2  # the two changed last
    assert "bericht 0 bewerkt" not in html
    assert GAP_SWAP in html and NOTICE in html


def test_a_catch_up_that_brings_every_changed_post_says_nothing_more(client_for, team):
    html, posts = page_then_change(client_for(team.bob), team.group, team.alice, edited=2)
    assert html.count("bewerkt") == 2
    assert GAP_SWAP not in html and NOTICE not in html


def test_a_catch_up_after_more_removed_posts_than_it_brings_says_so(client_for, team):
    html, posts = page_then_change(client_for(team.bob), team.group, team.alice, removed=3)
    assert html.count('hx-swap-oob="delete:#post-') == 2
    assert GAP_SWAP in html and NOTICE in html


def test_a_catch_up_that_brings_every_removed_post_says_nothing_more(client_for, team):
    html, posts = page_then_change(client_for(team.bob), team.group, team.alice, removed=2)
    assert html.count('hx-swap-oob="delete:#post-') == 2
    assert GAP_SWAP not in html and NOTICE not in html


def test_the_page_has_the_live_region_the_notice_fills(client_for, team):
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert '<div id="catch-up-gap" class="catch-up-gap" role="status"></div>' in page


def test_the_notice_speaks_the_readers_language(client_for, team):
    seen = actions.post_to_group(team.alice, team.group, "al gezien")
    for n in range(4):
        actions.post_to_group(team.alice, team.group, f"gemist {n}")
    html = (
        client_for(team.bob)
        .get(f"/groups/wondzorg/newer/?after={seen.pk}", HTTP_ACCEPT_LANGUAGE="nl", **HTMX)
        .content.decode()
    )
    assert "Je was een tijdje weg: er is meer gebeurd dan deze pagina kan tonen." in html
    assert ">Opnieuw laden</button>" in html


def test_a_catch_up_beyond_its_window_runs_the_same_queries_as_one_within(client_for, team):
    client = client_for(team.bob)

    def queries(new, edited):
        posts = [actions.post_to_group(team.alice, team.group, f"bericht {n}") for n in range(4)]
        age_every_change()
        page = client.get("/groups/wondzorg/").content.decode()
        for post in posts[:edited]:
            actions.edit_post(team.alice, post, f"{post.body} bewerkt")
        for n in range(new):
            actions.post_to_group(team.alice, team.group, f"nieuw {n}")
        with CaptureQueriesContext(connection) as captured:
            html = client.get(
                f"/groups/wondzorg/newer/?after={posts[-1].pk}&since={synced_at(page)}", **HTMX
            ).content.decode()
        age_every_change()
        return NOTICE in html, len(captured)

    within, beyond = queries(new=1, edited=1), queries(new=4, edited=3)
    assert (within[0], beyond[0]) == (False, True)
    assert within[1] == beyond[1]
