"""Managers add someone by picking a person: an autocomplete of people not yet in the
group (for managers only), and without JavaScript a typed name or username that must
name exactly one person, with a clear error and the text kept otherwise."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communities import actions
from communities.models import Group
from tests.factories import PersonFactory
from tests.pages import logged_in

MANAGE = "/groups/team/members/manage/"


def team_group(team):
    """A closed group "Team" that Alice owns, with Carol in it; Bob is not."""
    group = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(team.alice, group, team.carol)
    return group


@pytest.fixture
def group(team):
    return team_group(team)


def suggestions(client, q: str) -> str:
    return client.get(reverse("people_to_add", args=["team"]), {"q": q}).content.decode()


def test_suggestions_name_people_not_yet_in_the_group(team, group, client_for):
    PersonFactory(username="bolke", display_name="Bolke de Boer")
    found = suggestions(client_for(team.alice), "bo")
    assert 'data-person="bob"' in found and 'data-person="bolke"' in found
    assert 'role="option"' in found
    assert 'data-person="carol"' not in suggestions(client_for(team.alice), "car")
    assert "No one found" in suggestions(client_for(team.alice), "car")


def test_suggestions_are_for_managers_only(team, group, client_for):
    assert client_for(team.carol).get(reverse("people_to_add", args=["team"])).status_code == 404
    assert client_for(team.bob).get(reverse("people_to_add", args=["team"])).status_code == 404


def test_suggestions_take_the_same_queries_for_two_people_or_many(
    team, group, client_for, django_assert_num_queries
):
    client = client_for(team.alice)
    suggestions(client, "bo")  # the session is read once
    with django_assert_num_queries(5) as few:
        suggestions(client, "bo")
    for n in range(8):
        PersonFactory(username=f"boer{n}", display_name=f"Boer {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert suggestions(client, "bo").count('role="option"') == 8


def test_the_pick_adds_exactly_that_person(team, group, client_for):
    PersonFactory(username="bob2", display_name="Bob Jansen")  # a namesake
    response = client_for(team.alice).post(
        MANAGE, {"action": "add", "person": "Bob Jansen", "username": "bob"}
    )
    assert response.status_code == 302
    assert group.members.filter(username="bob").exists()
    assert not group.members.filter(username="bob2").exists()


@pytest.mark.parametrize("typed", ["bob", "BOB", "Bob Jansen", "Jansen"])
def test_without_javascript_a_name_or_username_that_names_one_person_adds_them(
    team, group, client_for, typed
):
    response = client_for(team.alice).post(MANAGE, {"action": "add", "person": typed})
    assert response.status_code == 302
    assert group.members.filter(pk=team.bob.pk).exists()


def test_a_name_that_names_no_one_says_so_and_keeps_the_text(team, group, client_for):
    response = client_for(team.alice).post(MANAGE, {"action": "add", "person": "Zoë"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "No one is called “Zoë”." in page
    assert 'value="Zoë"' in page
    assert 'aria-invalid="true"' in page


def test_a_name_that_names_several_lists_them_and_adds_no_one(team, group, client_for):
    PersonFactory(username="bolke", display_name="Bolke de Boer")
    members_before = group.members.count()
    response = client_for(team.alice).post(MANAGE, {"action": "add", "person": "bo"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Several people match “bo”" in page
    assert "Bob Jansen (bob)" in page and "Bolke de Boer (bolke)" in page
    assert 'value="bo"' in page
    assert group.members.count() == members_before


@pytest.fixture
def group_committed(team_committed):
    """Made before the browser starts (whose event loop the actions' pushes must not meet)."""
    PersonFactory(username="bolke", display_name="Bolke de Boer")
    return team_group(team_committed)


@pytest.mark.browser
def test_a_manager_types_bo_picks_bob_with_the_keyboard_and_adds_him(
    group_committed, browser, live_servers
):
    page = logged_in(browser, live_servers[0], "alice", "/groups/team/members/")
    box = page.get_by_role("combobox", name="Name or username")
    box.press_sequentially("bo")
    listbox = page.get_by_role("listbox", name="People to add")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")  # Bob Jansen, then Bolke de Boer: by name
    expect(box).to_have_attribute("aria-activedescendant", "add-person-option-1")
    expect(listbox.get_by_role("option", name="Bob Jansen")).to_have_attribute(
        "aria-selected", "true"
    )
    box.press("Enter")
    expect(box).to_have_value("Bob Jansen")
    expect(listbox).to_be_hidden()
    box.press("Enter")  # the form's own Enter: add
    members = page.locator("#members-title + .member-list")
    expect(members).to_contain_text("Bob Jansen")
    expect(page.locator(".messages")).to_contain_text("Saved.")
    expect(page.get_by_role("combobox", name="Name or username")).to_have_value("")
