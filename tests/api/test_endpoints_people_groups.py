"""The person, colleagues and groups over the API."""

from __future__ import annotations

import pytest

from communities import actions
from communities.models import Group, Membership
from tests.api.endpoints import answering_queries, api_as
from tests.factories import GroupFactory, PersonFactory


def test_me_is_the_person_the_request_acts_as(team):
    response = api_as(team.alice).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": team.alice.pk,
        "username": "alice",
        "display_name": "Alice de Vries",
        "job_title": "Verpleegkundige",
        "department": "Wijkzorg",
        "url": "http://testserver/people/alice/",
    }


def test_without_a_person_the_api_answers_json_not_a_login_page(db):
    response = api_as(None).get("/api/v1/posts/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_the_directory_lists_active_colleagues_by_name_and_filters_as_the_page(team):
    admin = PersonFactory(username="beheer", display_name="Beheer ICT", is_superuser=True)
    actions.deactivate_person(admin, team.carol)
    PersonFactory(username="zoe", display_name="Zoë Bakker", department="ICT", location="Zeist")
    api = api_as(team.alice)
    names = [p["display_name"] for p in api.get("/api/v1/people/").json()["results"]]
    assert names == ["Alice de Vries", "Beheer ICT", "Bob Jansen", "Zoë Bakker"]
    assert [p["username"] for p in api.get("/api/v1/people/", {"q": "jans"}).json()["results"]] == [
        "bob"
    ]
    assert [
        p["username"] for p in api.get("/api/v1/people/", {"department": "ICT"}).json()["results"]
    ] == ["zoe"]
    profile = api.get("/api/v1/people/zoe/").json()
    assert profile["location"] == "Zeist" and profile["photo_url"] is None
    assert profile["url"] == "http://testserver/people/zoe/"
    assert api.get("/api/v1/people/carol/").status_code == 404
    assert api.get("/api/v1/people/niemand/").status_code == 404


def test_a_username_with_a_dot_is_found(team):
    PersonFactory(username="j.de.boer", display_name="Jan de Boer")
    assert api_as(team.alice).get("/api/v1/people/j.de.boer/").json()["display_name"] == (
        "Jan de Boer"
    )


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_people_costs_the_same_queries(team, count):
    for n in range(count):
        PersonFactory(username=f"collega{n}")
    # The people; their profiles' expertise (the directory's own prefetch).
    assert len(answering_queries(api_as(team.alice), "/api/v1/people/")) <= 2


def test_groups_readable_by_the_person_with_membership(team):
    closed = actions.create_group(team.bob, name="Team", privacy=Group.Privacy.CLOSED)
    actions.create_group(team.bob, name="Geheim", privacy=Group.Privacy.SECRET)
    GroupFactory(slug="koken")
    api = api_as(team.alice)
    groups = api.get("/api/v1/groups/").json()["results"]
    assert [(g["slug"], g["is_member"]) for g in groups] == [("koken", False), ("wondzorg", True)]
    mine = api.get("/api/v1/groups/", {"member": "true"}).json()["results"]
    assert [g["slug"] for g in mine] == ["wondzorg"]
    assert api.get(f"/api/v1/groups/{closed.slug}/").status_code == 404
    detail = api_as(team.bob).get(f"/api/v1/groups/{closed.slug}/").json()
    assert detail["privacy"] == "closed" and detail["is_member"] is True


def test_joining_and_leaving_an_open_group(team):
    GroupFactory(slug="koken")
    api = api_as(team.alice)
    response = api.post("/api/v1/groups/koken/membership/")
    assert response.status_code == 200 and response.json()["is_member"] is True
    assert Membership.objects.filter(group__slug="koken", person=team.alice).exists()
    response = api.delete("/api/v1/groups/koken/membership/")
    assert response.status_code == 200 and response.json()["is_member"] is False


def test_a_closed_group_cannot_be_joined_and_a_secret_one_is_not_there(team):
    secret = actions.create_group(team.bob, name="Geheim", privacy=Group.Privacy.SECRET)
    assert api_as(team.alice).post(f"/api/v1/groups/{secret.slug}/membership/").status_code == 404
    assert not Membership.objects.filter(group=secret, person=team.alice).exists()


def test_a_nul_character_is_a_bad_search_or_nobody_not_a_server_error(team):
    api = api_as(team.alice)
    assert api.get("/api/v1/people/", {"q": "a\x00b"}).status_code == 400
    assert api.get("/api/v1/people/a%00b/").status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_groups_costs_the_same_queries(team, count):
    for n in range(count):
        GroupFactory(members=[team.alice] if n % 2 else [])
    # The person's memberships; the groups.
    assert len(answering_queries(api_as(team.alice), "/api/v1/groups/")) == 2
