"""A page whose socket was away gets, on reconnecting, the changes to the posts it
shows: replies, reactions, edits and removals (new posts: test_views)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions
from tests.communities.helpers import age_every_change, synced_at

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_catch_up_brings_the_replies_reactions_edits_and_removals_made_meanwhile(
    client_for, team
):
    untouched = actions.post_to_group(team.alice, team.group, "niets veranderd")
    replied = actions.post_to_group(team.alice, team.group, "vraag over verband")
    old_reply = actions.reply_to_post(team.carol, replied, "eerder antwoord")
    reacted = actions.post_to_group(team.alice, team.group, "dank voor de les")
    edited = actions.post_to_group(team.alice, team.group, "eerste versie")
    removed = actions.post_to_group(team.alice, team.group, "wordt verwijderd")
    age_every_change()  # all of this the page below shows already
    client = client_for(team.bob)
    page = client.get("/groups/wondzorg/").content.decode()
    assert "eerder antwoord" in page

    # Bob's laptop sleeps; meanwhile:
    actions.reply_to_post(team.carol, replied, "gemist antwoord")
    actions.delete_reply(team.carol, old_reply)
    actions.toggle_reaction(team.carol, reacted, "thanks")
    actions.edit_post(team.alice, edited, "tweede versie")
    actions.delete_post(team.alice, removed)

    response = client.get(
        f"/groups/wondzorg/newer/?after={removed.pk}&since={synced_at(page)}", **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-swap-oob="beforeend:#post-{replied.pk}-reply-list"' in html
    assert "gemist antwoord" in html
    assert f'hx-swap-oob="delete:#reply-{old_reply.pk}"' in html
    reactions = html[html.index(f'id="post-{reacted.pk}-reactions"') :]
    assert 'aria-label="Thanks: 1"' in reactions[: reactions.index("</form>")]
    assert "tweede versie" in html and "eerste versie" not in html
    assert f'hx-swap-oob="delete:#post-{removed.pk}"' in html
    assert f"post-{untouched.pk}-" not in html
    assert "wordt verwijderd" not in html

    # The next catch-up asks from when this one read: nothing since.
    age_every_change()
    again = client.get(
        f"/groups/wondzorg/newer/?after={removed.pk}&since={response['Kring-Synced-At']}", **HTMX
    )
    assert again.status_code == 204
    assert float(again["Kring-Synced-At"]) >= float(response["Kring-Synced-At"])


def test_a_catch_up_leaves_posts_newer_than_the_page_to_the_new_posts(client_for, team):
    seen = actions.post_to_group(team.alice, team.group, "gezien")
    client = client_for(team.bob)
    page = client.get("/groups/wondzorg/").content.decode()
    newer = actions.post_to_group(team.alice, team.group, "nieuw bericht")
    actions.reply_to_post(team.bob, newer, "antwoord op nieuw")
    html = client.get(
        f"/groups/wondzorg/newer/?after={seen.pk}&since={synced_at(page)}", **HTMX
    ).content.decode()
    assert html.count(f'id="post-{newer.pk}"') == 1  # as a new post, with its reply
    assert f"beforeend:#post-{newer.pk}-reply-list" not in html


@pytest.mark.parametrize("since", ["gisteren", "1e400", "nan", "-62135596797"])
def test_a_catch_up_with_a_moment_that_is_not_one_is_refused(client_for, team, since):
    response = client_for(team.bob).get(f"/groups/wondzorg/newer/?after=1&since={since}", **HTMX)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("page_url", "newer_url"),
    [
        ("/", "/home/newer/"),
        ("/groups/wondzorg/", "/groups/wondzorg/newer/"),
        ("/tags/wondzorg/", "/tags/wondzorg/newer/"),
    ],
)
def test_a_catch_up_runs_the_same_queries_for_3_or_30_changed_posts(
    client_for, team, page_url, newer_url
):
    client = client_for(team.bob)

    def change(count):
        posts = [
            actions.post_to_group(team.alice, team.group, f"#wondzorg {n}") for n in range(count)
        ]
        page = client.get(page_url).content.decode()
        for post in posts:
            actions.reply_to_post(team.carol, post, "antwoord")
            actions.toggle_reaction(team.carol, post, "like")
        doomed = actions.reply_to_post(team.carol, posts[0], "weg")
        actions.delete_reply(team.carol, doomed)
        actions.delete_post(team.alice, posts[-1])
        with CaptureQueriesContext(connection) as captured:
            html = client.get(
                f"{newer_url}?after={posts[-1].pk}&since={synced_at(page)}", **HTMX
            ).content.decode()
        age_every_change()
        updated = html.count('-reactions" hx-swap-oob="true"')
        return updated, html.count('hx-swap-oob="delete:#'), len(captured)

    few, many = change(3), change(30)
    # Every changed post updated but the removed one, which is taken out with the reply.
    assert few[:2] == (2, 2)
    assert many[:2] == (29, 2)
    assert few[2] == many[2]
