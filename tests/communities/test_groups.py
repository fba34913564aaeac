"""Group kinds and roles: open, closed (join by request), secret (by invitation)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import actions
from communities.models import Group, JoinRequest, Membership
from tests.factories import PASSWORD, PersonFactory

Role = Membership.Role


@pytest.fixture
def team(db):
    owner = PersonFactory(username="owner")
    manager = PersonFactory(username="manager")
    member = PersonFactory(username="member")
    group = actions.create_group(owner, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(owner, group, manager)
    actions.change_role(owner, group, manager, Role.MANAGER)
    actions.add_member(owner, group, member)
    return group, owner, manager, member


def test_a_closed_group_takes_a_request_that_a_manager_approves(team):
    group, _, manager, _ = team
    newcomer = PersonFactory()
    request = actions.request_to_join(newcomer, group)
    assert actions.request_to_join(newcomer, group) == request  # asking twice is one request
    assert not group.members.filter(pk=newcomer.pk).exists()
    actions.decide_join_request(manager, request, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED and request.decided_by == manager
    assert group.members.filter(pk=newcomer.pk).exists()


def test_a_declined_requester_sees_it_on_the_group_page(team, client):
    group, _, manager, _ = team
    newcomer = PersonFactory(username="newcomer")
    actions.decide_join_request(manager, actions.request_to_join(newcomer, group), approve=False)
    client.login(username="newcomer", password=PASSWORD)
    page = client.get("/groups/team/").content.decode()
    assert "Your request to join was declined" in page
    assert not group.members.filter(pk=newcomer.pk).exists()


def test_a_pending_requester_is_told_it_waits(team, client):
    group, *_ = team
    PersonFactory(username="newcomer")
    client.login(username="newcomer", password=PASSWORD)
    client.post("/groups/team/join/")
    assert "waiting for a manager" in client.get("/groups/team/").content.decode()
    assert JoinRequest.objects.filter(group=group, status="pending").count() == 1


def test_only_managers_decide_add_and_remove(team):
    group, _, _, member = team
    outsider = PersonFactory()
    request = actions.request_to_join(outsider, group)
    for attempt in (
        lambda: actions.decide_join_request(member, request, approve=True),
        lambda: actions.add_member(member, group, outsider),
        lambda: actions.remove_member(member, group, member),
        lambda: actions.change_role(member, group, member, Role.MANAGER),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not group.members.filter(pk=outsider.pk).exists()


def test_secret_groups_are_joined_only_by_invitation(db):
    owner, invitee = PersonFactory(), PersonFactory()
    group = actions.create_group(owner, name="Geheim", privacy=Group.Privacy.SECRET)
    with pytest.raises(PermissionDenied):
        actions.join_group(invitee, group)
    with pytest.raises(PermissionDenied):
        actions.request_to_join(invitee, group)
    actions.add_member(owner, group, invitee)
    assert group.members.filter(pk=invitee.pk).exists()


def test_managers_change_roles_but_only_owners_touch_ownership(team):
    group, owner, manager, member = team
    actions.change_role(manager, group, member, Role.MANAGER)
    assert Membership.objects.get(group=group, person=member).role == Role.MANAGER
    with pytest.raises(PermissionDenied):
        actions.change_role(manager, group, member, Role.OWNER)
    with pytest.raises(PermissionDenied):
        actions.remove_member(manager, group, owner)
    with pytest.raises(ValidationError):
        actions.change_role(owner, group, member, "emperor")


def test_the_last_owner_hands_over_before_leaving(team):
    group, owner, manager, _ = team
    with pytest.raises(PermissionDenied):
        actions.leave_group(owner, group)
    with pytest.raises(PermissionDenied):
        actions.change_role(owner, group, owner, Role.MEMBER)
    actions.change_role(owner, group, manager, Role.OWNER)
    actions.leave_group(owner, group)
    assert not group.members.filter(pk=owner.pk).exists()


def test_the_members_page_lets_managers_answer_requests(team, client):
    group, _, manager, _ = team
    newcomer = PersonFactory(username="newcomer", display_name="Nieuwe Collega")
    request = actions.request_to_join(newcomer, group)
    client.login(username="manager", password=PASSWORD)
    page = client.get("/groups/team/members/").content.decode()
    assert "Nieuwe Collega" in page and "Approve" in page
    client.post("/groups/team/members/manage/", {"request": request.pk, "decision": "approve"})
    assert group.members.filter(pk=newcomer.pk).exists()
    client.post("/groups/team/members/manage/", {"username": "newcomer", "action": "remove"})
    assert not group.members.filter(pk=newcomer.pk).exists()
    response = client.post(
        "/groups/team/members/manage/", {"username": "nobody", "action": "add"}, follow=True
    )
    assert "No one has that username." in response.content.decode()


def test_a_member_sees_no_management_controls(team, client):
    PersonFactory(username="x")
    client.login(username="member", password=PASSWORD)
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


def test_the_requester_is_told_the_decision_on_their_start_page(team, client):
    group, _, manager, _ = team
    newcomer = PersonFactory(username="newcomer")
    client.login(username="newcomer", password=PASSWORD)
    request = actions.request_to_join(newcomer, group)
    assert "Team</a> is waiting for a manager" in client.get("/").content.decode()
    actions.decide_join_request(manager, request, approve=True)
    assert "Team</a> was approved" in client.get("/").content.decode()
    other = actions.create_group(manager, name="Andere", privacy=Group.Privacy.CLOSED)
    actions.decide_join_request(manager, actions.request_to_join(newcomer, other), approve=False)
    assert "Andere</a> was declined" in client.get("/").content.decode()
