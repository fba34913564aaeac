"""What a group's managers do to other people's posts and memberships is in the audit
trail: one entry per act, with who did it to whom, in which group, from which address
and browser, made through the pages managers use. What people do to their own posts
and replies is not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import Entry, Verb
from communities import actions
from communities.models import Group, JoinRequest, Membership
from tests.audit.helpers import assert_from_the_browser, client_from_address, only_entry

MANAGE = "/groups/team/members/manage/"


@pytest.fixture
def group(team):
    """A closed group "Team" that Alice owns, with Carol in it; Bob is not."""
    group = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(team.alice, group, team.carol)
    Entry.objects.all().delete()  # setting up is not what the tests look at
    return group


def assert_entry(verb, actor, target, group) -> Entry:
    entry = only_entry()
    assert (entry.verb, entry.actor, entry.target, entry.group) == (verb, actor, target, group)
    assert entry.actor_label == f"{actor.display_name} ({actor.username})"
    assert entry.target_label == f"{target.display_name} ({target.username})"
    assert entry.group_label == group.name
    assert_from_the_browser(entry)
    return entry


def test_a_manager_removing_someone_elses_post_is_recorded_with_the_reason(team, group):
    post = actions.post_to_group(team.carol, group, "Off topic")
    client_from_address(team.alice).post(
        reverse("post_delete", args=[post.pk]), {"reason": "Belongs in the recipes circle"}
    )
    entry = assert_entry(Verb.POST_REMOVED, team.alice, team.carol, group)
    assert entry.detail == {"post": post.pk, "reason": "Belongs in the recipes circle"}
    assert entry.origin == f"POST /posts/{post.pk}/delete/"


def test_deleting_ones_own_post_or_reply_is_not_an_audited_act(team, group):
    post = actions.post_to_group(team.alice, group, "My own")
    reply = actions.reply_to_post(team.alice, post, "My own reply")
    client = client_from_address(team.alice)
    client.post(reverse("reply_delete", args=[reply.pk]))
    client.post(reverse("post_delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert not Entry.objects.exists()


def test_a_manager_removing_someone_elses_reply_is_recorded(team, group):
    post = actions.post_to_group(team.alice, group, "A question")
    reply = actions.reply_to_post(team.carol, post, "Not nice")
    client_from_address(team.alice).post(reverse("reply_delete", args=[reply.pk]))
    entry = assert_entry(Verb.REPLY_REMOVED, team.alice, team.carol, group)
    assert entry.detail == {"post": post.pk, "reply": reply.pk}


def test_changing_a_role_is_recorded_with_the_old_and_new_role(team, group):
    client_from_address(team.alice).post(
        MANAGE, {"action": "role", "username": "carol", "role": "manager"}
    )
    entry = assert_entry(Verb.ROLE_CHANGED, team.alice, team.carol, group)
    assert entry.detail == {"old": "member", "new": "manager"}


def test_saving_the_same_role_again_records_nothing(team, group):
    client_from_address(team.alice).post(
        MANAGE, {"action": "role", "username": "carol", "role": "member"}
    )
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("decision", "verb", "status"),
    [
        ("approve", Verb.JOIN_APPROVED, JoinRequest.Status.APPROVED),
        ("decline", Verb.JOIN_DECLINED, JoinRequest.Status.DECLINED),
    ],
)
def test_deciding_a_request_to_join_is_recorded(team, group, decision, verb, status):
    request = actions.request_to_join(team.bob, group)
    client_from_address(team.alice).post(MANAGE, {"request": request.pk, "decision": decision})
    request.refresh_from_db()
    assert request.status == status
    entry = assert_entry(verb, team.alice, team.bob, group)
    assert entry.detail == {"request": request.pk}


def test_adding_a_member_is_recorded(team, group):
    client_from_address(team.alice).post(MANAGE, {"action": "add", "person": "bob"})
    assert Membership.objects.filter(group=group, person=team.bob).exists()
    assert_entry(Verb.MEMBER_ADDED, team.alice, team.bob, group)


def test_removing_a_member_is_recorded_with_their_role(team, group):
    client_from_address(team.alice).post(MANAGE, {"action": "remove", "username": "carol"})
    assert not Membership.objects.filter(group=group, person=team.carol).exists()
    entry = assert_entry(Verb.MEMBER_REMOVED, team.alice, team.carol, group)
    assert entry.detail == {"role": "member"}


def test_a_refused_act_records_nothing(team, group):
    """Carol is no manager: her attempt changes nothing and is no act on the record."""
    client_from_address(team.carol).post(MANAGE, {"action": "remove", "username": "alice"})
    assert Membership.objects.filter(group=group, person=team.alice).exists()
    assert not Entry.objects.exists()


def test_pinning_and_unpinning_an_announcement_are_recorded(team, group):
    actions.change_role(team.alice, group, team.carol, "manager")
    post = actions.post_to_group(team.carol, group, "Staff meeting", kind="announcement")
    Entry.objects.all().delete()
    client = client_from_address(team.alice)
    client.post(reverse("post_pin", args=[post.pk]), {"pin": "1"})
    entry = assert_entry(Verb.ANNOUNCEMENT_PINNED, team.alice, team.carol, group)
    assert entry.detail == {"post": post.pk, "until": None, "unpinned": []}
    entry.delete()
    client.post(reverse("post_pin", args=[post.pk]), {"pin": "0"})
    assert_entry(Verb.ANNOUNCEMENT_UNPINNED, team.alice, team.carol, group)
