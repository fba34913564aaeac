"""The person's own notifications over the API, marked read as on the page."""

from __future__ import annotations

import pytest

from communities import actions
from notices import queries as notice_queries
from tests.api.endpoints import answering_queries, api_as

NOTIFICATIONS = "/api/v1/notifications/"


@pytest.fixture
def replied(team, django_capture_on_commit_callbacks):
    """Bob and Carol reply to Alice's post: Alice is told twice."""
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(team.alice, team.group, "Wie weet het?")
    for person in (team.bob, team.carol):
        with django_capture_on_commit_callbacks(execute=True):
            actions.reply_to_post(person, post, f"Ik, {person.username}")
    return post


def test_the_list_is_ones_own_newest_first_as_the_page_words_it(team, replied):
    api = api_as(team.alice)
    response = api.get(NOTIFICATIONS)
    assert response.status_code == 200
    notices = response.json()["results"]
    assert len(notices) == 2
    assert notices[0]["actor"]["username"] == "carol"
    assert notices[0]["unread"] is True
    assert notices[0]["text"] == notice_queries.latest(team.alice)[0].text
    assert notices[0]["url"].startswith("http://testserver/")
    bobs = {notice["id"] for notice in api_as(team.bob).get(NOTIFICATIONS).json()["results"]}
    assert not bobs & {notice["id"] for notice in notices}
    assert api_as(team.bob).get(f"{NOTIFICATIONS}{notices[0]['id']}/").status_code == 404
    assert api_as(team.bob).post(f"{NOTIFICATIONS}{notices[0]['id']}/read/").status_code == 404
    assert notice_queries.unread_count(team.alice) == 2


def test_marking_one_and_all_read(team, replied):
    api = api_as(team.alice)
    first = api.get(NOTIFICATIONS).json()["results"][0]
    response = api.post(f"{NOTIFICATIONS}{first['id']}/read/")
    assert response.status_code == 200 and response.json()["unread"] is False
    unread = api.get(NOTIFICATIONS, {"unread": "true"}).json()["results"]
    assert len(unread) == 1 and unread[0]["id"] != first["id"]
    assert notice_queries.unread_count(team.alice) == 1
    assert api.post(f"{NOTIFICATIONS}read-all/").status_code == 204
    assert api.get(NOTIFICATIONS, {"unread": "true"}).json()["results"] == []
    assert notice_queries.unread_count(team.alice) == 0


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_notifications_costs_the_same_queries(
    team, django_capture_on_commit_callbacks, count
):
    post = actions.post_to_group(team.alice, team.group, "Vraag")
    for n in range(count):
        with django_capture_on_commit_callbacks(execute=True):
            actions.reply_to_post(team.bob if n % 2 else team.carol, post, f"Antwoord {n}")
    queries = answering_queries(api_as(team.alice), NOTIFICATIONS)
    # The rows; the posts they are about; their actors.
    assert len(queries) == 3, queries
