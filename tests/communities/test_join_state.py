"""A closed group's page, to someone outside it, says one thing for the state they
are in: free to ask, waiting, or declined (and may ask again)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from communities import actions
from communities.models import Group, Membership
from tests.factories import GroupFactory, PersonFactory

WAITING = "Your request to join is waiting for a manager"
ASK_MANAGERS = "Ask one of its managers to add you"
ASK_TO_JOIN_BUTTON = re.compile(r"<button[^>]*>Ask to join</button>")


@pytest.fixture
def closed(team):
    return GroupFactory(name="Team Noord", slug="noord", privacy=Group.Privacy.CLOSED)


@pytest.fixture
def managed_closed(team, closed):
    Membership.objects.create(group=closed, person=team.alice, role=Membership.Role.OWNER)
    return closed


def page_of(client) -> str:
    return client.get(reverse("group", args=["noord"])).content.decode()


def test_without_a_request_the_page_offers_to_ask_and_nothing_else(team, client_for, closed):
    page = page_of(client_for(team.carol))
    assert "Ask to join, and one of its managers decides." in page
    assert ASK_TO_JOIN_BUTTON.search(page)
    assert WAITING not in page
    assert ASK_MANAGERS not in page


def test_a_pending_request_says_it_waits_and_offers_no_second_request(team, client_for, closed):
    actions.request_to_join(team.carol, closed)
    page = page_of(client_for(team.carol))
    assert WAITING in page
    assert not ASK_TO_JOIN_BUTTON.search(page)
    assert ASK_MANAGERS not in page
    assert "Ask to join, and" not in page


def test_a_declined_request_says_so_and_offers_to_ask_again(team, client_for, managed_closed):
    request = actions.request_to_join(team.carol, managed_closed)
    actions.decide_join_request(team.alice, request, approve=False)
    page = page_of(client_for(team.carol))
    assert "was declined on" in page
    assert "You can ask again." in page
    assert ASK_TO_JOIN_BUTTON.search(page)
    assert WAITING not in page
    assert ASK_MANAGERS not in page


def test_a_member_sees_the_feed_and_no_join_state(team, client_for, managed_closed):
    page = page_of(client_for(team.alice))
    assert 'id="join-state"' not in page
    assert 'id="feed-posts"' in page


def test_an_outsider_of_a_secret_group_learns_nothing(team, client_for):
    GroupFactory(name="Geheim", slug="geheim", privacy=Group.Privacy.SECRET)
    response = client_for(PersonFactory(username="dave")).get(reverse("group", args=["geheim"]))
    assert response.status_code == 404
