"""Group kinds and roles: open, closed (join by request), secret (by invitation)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import actions
from communities.models import Group, JoinRequest, Membership
from tests.factories import PASSWORD, PersonFactory

Role = Membership.Role


@pytest.fixture
def closed_group(team):
    """ "Team", a closed group of the team's: Alice owns it, Bob manages it, Carol is a member."""
    group = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(team.alice, group, team.bob)
    actions.change_role(team.alice, group, team.bob, Role.MANAGER)
    actions.add_member(team.alice, group, team.carol)
    return group


def test_a_closed_group_takes_a_request_that_a_manager_approves(team, closed_group):
    newcomer = PersonFactory()
    request = actions.request_to_join(newcomer, closed_group)
    assert actions.request_to_join(newcomer, closed_group) == request  # asking twice is one request
    assert not closed_group.members.filter(pk=newcomer.pk).exists()
    actions.decide_join_request(team.bob, request, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED and request.decided_by == team.bob
    assert closed_group.members.filter(pk=newcomer.pk).exists()


def test_a_declined_requester_sees_it_on_the_group_page(team, closed_group, client):
    newcomer = PersonFactory(username="newcomer")
    actions.decide_join_request(
        team.bob, actions.request_to_join(newcomer, closed_group), approve=False
    )
    client.login(username="newcomer", password=PASSWORD)
    page = client.get("/groups/team/").content.decode()
    assert "Your request to join was declined" in page
    assert not closed_group.members.filter(pk=newcomer.pk).exists()


def test_a_pending_requester_is_told_it_waits(closed_group, client):
    PersonFactory(username="newcomer")
    client.login(username="newcomer", password=PASSWORD)
    client.post("/groups/team/join/")
    assert "waiting for a manager" in client.get("/groups/team/").content.decode()
    assert JoinRequest.objects.filter(group=closed_group, status="pending").count() == 1


def test_only_managers_decide_add_and_remove(team, closed_group):
    outsider = PersonFactory()
    request = actions.request_to_join(outsider, closed_group)
    for attempt in (
        lambda: actions.decide_join_request(team.carol, request, approve=True),
        lambda: actions.add_member(team.carol, closed_group, outsider),
        lambda: actions.remove_member(team.carol, closed_group, team.carol),
        lambda: actions.change_role(team.carol, closed_group, team.carol, Role.MANAGER),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not closed_group.members.filter(pk=outsider.pk).exists()


def test_secret_groups_are_joined_only_by_invitation(db):
    owner, invitee = PersonFactory(), PersonFactory()
    group = actions.create_group(owner, name="Geheim", privacy=Group.Privacy.SECRET)
    with pytest.raises(PermissionDenied):
        actions.join_group(invitee, group)
    with pytest.raises(PermissionDenied):
        actions.request_to_join(invitee, group)
    actions.add_member(owner, group, invitee)
    assert group.members.filter(pk=invitee.pk).exists()


def test_managers_change_roles_but_only_owners_touch_ownership(team, closed_group):
    actions.change_role(team.bob, closed_group, team.carol, Role.MANAGER)
    assert Membership.objects.get(group=closed_group, person=team.carol).role == Role.MANAGER
    with pytest.raises(PermissionDenied):
        actions.change_role(team.bob, closed_group, team.carol, Role.OWNER)
    with pytest.raises(PermissionDenied):
        actions.remove_member(team.bob, closed_group, team.alice)
    with pytest.raises(ValidationError):
        actions.change_role(team.alice, closed_group, team.carol, "emperor")


def test_the_last_owner_hands_over_before_leaving(team, closed_group):
    with pytest.raises(PermissionDenied):
        actions.leave_group(team.alice, closed_group)
    with pytest.raises(PermissionDenied):
        actions.change_role(team.alice, closed_group, team.alice, Role.MEMBER)
    actions.change_role(team.alice, closed_group, team.bob, Role.OWNER)
    actions.leave_group(team.alice, closed_group)
    assert not closed_group.members.filter(pk=team.alice.pk).exists()


def test_the_members_page_lets_managers_answer_requests(closed_group, client):
    newcomer = PersonFactory(username="newcomer", display_name="Nieuwe Collega")
    request = actions.request_to_join(newcomer, closed_group)
    client.login(username="bob", password=PASSWORD)
    page = client.get("/groups/team/members/").content.decode()
    assert "Nieuwe Collega" in page and "Approve" in page
    client.post("/groups/team/members/manage/", {"request": request.pk, "decision": "approve"})
    assert closed_group.members.filter(pk=newcomer.pk).exists()
    client.post("/groups/team/members/manage/", {"username": "newcomer", "action": "remove"})
    assert not closed_group.members.filter(pk=newcomer.pk).exists()
    response = client.post("/groups/team/members/manage/", {"person": "nobody", "action": "add"})
    assert "No one is called “nobody”." in response.content.decode()


def test_a_member_sees_no_management_controls(closed_group, client):
    PersonFactory(username="x")
    client.login(username="carol", password=PASSWORD)
    page = client.get("/groups/team/members/").content.decode()
    assert "Owner" in page and "Change role" not in page and "Add someone" not in page


def test_organisation_news_takes_posts_only_from_its_editors(db):
    editor, reader = PersonFactory(), PersonFactory()
    news = actions.create_group(editor, name="Nieuws", is_news=True)
    actions.join_group(reader, news)
    actions.post_to_group(editor, news, "Welkom")
    with pytest.raises(PermissionDenied):
        actions.post_to_group(reader, news, "Mag ik ook?")
    assert news.posts.count() == 1


def test_the_requester_is_told_the_decision_on_their_start_page(team, closed_group, client):
    newcomer = PersonFactory(username="newcomer")
    client.login(username="newcomer", password=PASSWORD)
    request = actions.request_to_join(newcomer, closed_group)
    assert "Team</a> is waiting for a manager" in client.get("/").content.decode()
    actions.decide_join_request(team.bob, request, approve=True)
    assert "Team</a> was approved" in client.get("/").content.decode()
    other = actions.create_group(team.bob, name="Andere", privacy=Group.Privacy.CLOSED)
    actions.decide_join_request(team.bob, actions.request_to_join(newcomer, other), approve=False)
    assert "Andere</a> was declined" in client.get("/").content.decode()
