"""A group's own figures for its owners and managers (and coaches); nobody else."""

import csv
import io

import pytest
from django.urls import reverse

from communities import actions
from communities.models import Group, Membership
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(team):
    """The wondzorg group with five more members; Alice manages it."""
    Membership.objects.filter(group=team.group, person=team.alice).update(
        role=Membership.Role.MANAGER
    )
    for n in range(5):
        Membership.objects.create(group=team.group, person=PersonFactory(username=f"m{n}"))
    post = actions.post_to_group(team.bob, team.group, "Wie weet dit?")
    actions.reply_to_post(team.carol, post, "Ik!")
    actions.post_to_group(team.bob, team.group, "Nog een vraag")
    return team.group


def figures_url(group, query=""):
    return reverse("insights_group", args=[group.slug]) + query


def test_a_manager_sees_the_groups_figures(big, team, client_for):
    response = client_for(team.alice).get(figures_url(big))
    assert response.status_code == 200
    rows = {row[0].text: [c.text for c in row[1:]] for row in response.context["table"].rows}
    assert rows["Members"][0] == "8"
    assert rows["Posts"][0] == "2"
    assert rows["Replies"][0] == "1"
    page = response.content.decode()
    assert "Median time to first reply" in page


def test_the_group_page_links_its_managers_to_the_figures(big, team, client_for):
    link = f'href="{figures_url(big)}"'
    assert link in client_for(team.alice).get(big.get_absolute_url()).content.decode()
    assert link not in client_for(team.bob).get(big.get_absolute_url()).content.decode()


def test_a_member_or_outsider_may_not_see_them(big, team, client_for):
    assert client_for(team.bob).get(figures_url(big)).status_code == 403
    outsider = PersonFactory(username="outsider")
    assert client_for(outsider).get(figures_url(big)).status_code == 403


def test_a_coach_sees_them(big, client_for):
    coach = PersonFactory(username="coach", is_coach=True)
    assert client_for(coach).get(figures_url(big)).status_code == 200


def test_a_secret_group_is_not_found_for_who_may_not_know_it(team, client_for):
    members = [PersonFactory(username=f"s{n}") for n in range(5)]
    secret = GroupFactory(
        name="Geheim", slug="geheim", privacy=Group.Privacy.SECRET, members=members
    )
    Membership.objects.filter(group=secret, person=members[0]).update(role=Membership.Role.OWNER)
    coach = PersonFactory(username="coach", is_coach=True)
    assert client_for(coach).get(figures_url(secret)).status_code == 404
    assert client_for(team.bob).get(figures_url(secret)).status_code == 404
    assert client_for(members[1]).get(figures_url(secret)).status_code == 403
    assert client_for(members[0]).get(figures_url(secret)).status_code == 200


def test_a_small_group_shows_no_figures(team, client_for):
    Membership.objects.filter(group=team.group, person=team.alice).update(
        role=Membership.Role.OWNER
    )
    response = client_for(team.alice).get(figures_url(team.group, "?period=7"))
    page = response.content.decode()
    assert "This group is too small to show figures: it needs at least 5 members." in page
    assert response.context["table"] is None
    export = client_for(team.alice).get(reverse("insights_group_export", args=[team.group.slug]))
    assert export.content == b""


def test_the_csv_says_what_the_page_shows(big, team, client_for):
    client = client_for(team.alice)
    response = client.get(figures_url(big, "?period=90"))
    shown = [[c.text for c in row] for row in response.context["table"].rows]
    export = client.get(reverse("insights_group_export", args=[big.slug]) + "?period=90")
    lines = list(csv.reader(io.StringIO(export.content.decode())))
    assert lines[0] == response.context["table"].header
    assert lines[1:] == shown
