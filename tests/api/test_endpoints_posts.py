"""Posts, replies and reactions over the API: what an integrator notices, and that
what the API writes is what the pages then show (the same actions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities import actions
from communities.models import Group, Post, Reaction
from tests.api.endpoints import answering_queries, api_as
from tests.factories import GroupFactory, PersonFactory

POSTS = "/api/v1/posts/"


def test_a_post_made_over_the_api_is_on_the_groups_page_rendered_as_there(team, client_for):
    api = api_as(team.alice)
    response = api.post(
        POSTS, {"group": "wondzorg", "text": "Nieuw **protocol** #wondzorg"}, format="json"
    )
    assert response.status_code == 201, response.content
    post = response.json()
    assert post["text"] == "Nieuw **protocol** #wondzorg"
    assert "<strong>protocol</strong>" in post["html"]
    assert post["group"]["slug"] == "wondzorg"
    assert post["author"]["username"] == "alice"
    assert post["reply_count"] == 0 and post["reaction_count"] == 0
    assert post["url"].endswith(reverse("post", args=[post["id"]]))
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert "<strong>protocol</strong>" in page
    assert Post.objects.get(pk=post["id"]).tags.filter(name="wondzorg").exists()


def test_the_same_idempotency_key_posts_once(team):
    api = api_as(team.alice)
    body = {
        "group": "wondzorg",
        "text": "Eén keer",
        "idempotency_key": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
    }
    first = api.post(POSTS, body, format="json").json()
    second = api.post(POSTS, body, format="json").json()
    assert first["id"] == second["id"]
    assert Post.objects.filter(body="Eén keer").count() == 1


def test_refusals_are_json_and_nothing_is_written(team):
    outsider = PersonFactory(username="dave")
    api = api_as(outsider)
    response = api.post(POSTS, {"group": "wondzorg", "text": "Hallo"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Join the group to post in it."}
    response = api_as(team.alice).post(POSTS, {"group": "wondzorg", "text": "   "}, format="json")
    assert response.status_code == 400
    assert "text" in response.json() or "detail" in response.json()
    response = api_as(team.alice).post(
        POSTS, {"group": "wondzorg", "text": "x", "kind": "article"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"title": ["An article needs a title."]}
    response = api_as(team.bob).post(
        POSTS, {"group": "wondzorg", "text": "x", "kind": "announcement"}, format="json"
    )
    assert response.status_code == 403
    response = api_as(team.alice).post(POSTS, {"group": "bestaat-niet", "text": "x"}, format="json")
    assert response.status_code == 404
    assert not Post.objects.exists()


def test_posting_counts_against_the_pages_rate_limit(team, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": "2/m"}
    api = api_as(team.alice)
    codes = [
        api.post(POSTS, {"group": "wondzorg", "text": f"Bericht {n}"}, format="json")
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [201, 201, 429]
    assert int(codes[2]["Retry-After"]) > 0
    assert "Too many posts" in codes[2].json()["detail"]
    assert Post.objects.count() == 2


def test_the_list_filters_and_pages_with_a_next_link(team):
    other = GroupFactory(slug="koken", members=[team.bob])
    for n in range(3):
        actions.post_to_group(team.alice, team.group, f"Wond {n} #wondzorg")
    actions.post_to_group(team.bob, other, "Recept #soep")
    api = api_as(team.bob)
    everything = api.get(POSTS).json()
    assert [p["text"] for p in everything["results"]][0] == "Recept #soep"
    assert len(everything["results"]) == 4
    assert everything["next"] is None
    assert len(api.get(POSTS, {"group": "koken"}).json()["results"]) == 1
    assert len(api.get(POSTS, {"tag": "wondzorg"}).json()["results"]) == 3
    assert len(api.get(POSTS, {"tag": "#Wondzorg"}).json()["results"]) == 3
    assert len(api.get(POSTS, {"author": "bob"}).json()["results"]) == 1
    assert api.get(POSTS, {"author": "niemand"}).json()["results"] == []


def test_the_next_link_walks_every_post_once(team):
    for n in range(55):
        actions.post_to_group(team.alice, team.group, f"Bericht {n}")
    api = api_as(team.bob)
    first = api.get(POSTS).json()
    assert first["next"]
    second = api.get(first["next"]).json()
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert len(ids) == 55 == len(set(ids))
    assert ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_posts_costs_the_same_queries_however_many(team, count):
    for n in range(count):
        post = actions.post_to_group(team.alice, team.group, f"Bericht {n}")
        actions.reply_to_post(team.bob, post, "Antwoord")
        actions.toggle_reaction(team.carol, post, "like")
    # The posts, their replies, reactions and attachments.
    assert len(answering_queries(api_as(team.bob), POSTS)) == 4


def test_editing_and_deleting_ones_own_post(team, client_for):
    post = actions.post_to_group(team.alice, team.group, "Eerst")
    url = f"{POSTS}{post.pk}/"
    response = api_as(team.bob).patch(url, {"text": "Overgenomen"}, format="json")
    assert response.status_code == 403
    response = api_as(team.alice).patch(url, {"text": "Daarna *nadruk*"}, format="json")
    assert response.status_code == 200
    assert response.json()["edited_at"] is not None
    assert "<em>nadruk</em>" in client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert api_as(team.bob).delete(url).status_code == 403
    assert api_as(team.alice).delete(url).status_code == 204
    assert api_as(team.alice).get(url).status_code == 404
    assert "nadruk" not in client_for(team.bob).get("/groups/wondzorg/").content.decode()


def test_replies_listed_oldest_first_and_made_through_the_action(team):
    post = actions.post_to_group(team.alice, team.group, "Vraag")
    url = f"{POSTS}{post.pk}/replies/"
    api = api_as(team.bob)
    assert api.post(url, {"text": "Eerste @alice"}, format="json").status_code == 201
    assert api.post(url, {"text": "Tweede"}, format="json").status_code == 201
    assert api.post(url, {"text": " "}, format="json").status_code == 400
    replies = api.get(url).json()["results"]
    assert [r["text"] for r in replies] == ["Eerste @alice", "Tweede"]
    assert 'href="/people/alice/"' in replies[0]["html"]
    assert api.get(f"{POSTS}{post.pk}/").json()["reply_count"] == 2
    reply_url = f"{url}{replies[1]['id']}/"
    assert api_as(team.carol).delete(reply_url).status_code == 403
    assert api.delete(reply_url).status_code == 204
    assert [r["text"] for r in api.get(url).json()["results"]] == ["Eerste @alice"]
    assert api.get(f"{POSTS}999999/replies/").status_code == 404


def test_reactions_are_added_and_taken_back_not_toggled(team):
    post = actions.post_to_group(team.alice, team.group, "Goed nieuws")
    url = f"{POSTS}{post.pk}/reactions/"
    api = api_as(team.bob)
    for _ in range(2):
        response = api.post(url, {"reaction": "celebrate"}, format="json")
        assert response.status_code == 200
    celebrate = next(r for r in response.json()["reactions"] if r["reaction"] == "celebrate")
    assert celebrate == {"reaction": "celebrate", "emoji": "🎉", "count": 1, "mine": True}
    assert response.json()["reaction_count"] == 1
    assert api.post(url, {"reaction": "thumbs"}, format="json").status_code == 400
    for _ in range(2):
        assert api.delete(f"{url}?reaction=celebrate").status_code == 200
    assert not Reaction.objects.exists()


def test_a_closed_groups_post_cannot_be_replied_to_by_an_outsider(team):
    closed = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    post = actions.post_to_group(team.alice, closed, "Binnen")
    outsider = api_as(team.bob)
    assert outsider.get(f"{POSTS}{post.pk}/").status_code == 404
    assert (
        outsider.post(f"{POSTS}{post.pk}/replies/", {"text": "x"}, format="json").status_code == 404
    )
    assert (
        outsider.post(
            f"{POSTS}{post.pk}/reactions/", {"reaction": "like"}, format="json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_replies_costs_the_same_queries(team, count):
    post = actions.post_to_group(team.alice, team.group, "Vraag")
    for n in range(count):
        actions.reply_to_post(team.bob if n % 2 else team.carol, post, f"Antwoord {n}")
    # The post (may the person see it?); its replies with their authors.
    queries = answering_queries(api_as(team.alice), f"{POSTS}{post.pk}/replies/")
    assert len(queries) == 2
