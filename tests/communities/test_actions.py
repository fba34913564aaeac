"""The one write path: posting, groups, and what is announced after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from communities import actions, signals
from communities.models import Group, Membership, Post
from tests.factories import GroupFactory, PersonFactory


@pytest.fixture
def published():
    """Every post announced by the domain, in order."""
    seen = []

    def record(sender, post, **kwargs):
        seen.append(post)

    signals.post_published.connect(record)
    yield seen
    signals.post_published.disconnect(record)


def test_post_is_saved_and_announced_after_commit(
    team, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(team.alice, team.group, "  Nieuwe richtlijn wondzorg  ")
        assert published == [], "nothing may be announced before the transaction commits"
    assert published == [post]
    assert Post.objects.get().body == "Nieuwe richtlijn wondzorg"


@pytest.mark.django_db(transaction=True)
def test_a_post_that_rolls_back_is_never_announced(published):
    alice = PersonFactory()
    group = GroupFactory(members=[alice])
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.post_to_group(alice, group, "Dit wordt teruggedraaid")
        raise RuntimeError("the surrounding work failed")
    assert published == []
    assert not Post.objects.exists()


def test_only_members_may_post(team, published):
    outsider = PersonFactory()
    with pytest.raises(PermissionDenied):
        actions.post_to_group(outsider, team.group, "Mag ik ook?")
    assert not Post.objects.exists()


def test_an_empty_post_is_refused(team):
    with pytest.raises(ValidationError):
        actions.post_to_group(team.alice, team.group, "   \n ")
    assert not Post.objects.exists()


def test_a_post_longer_than_the_limit_is_refused(team, settings):
    with pytest.raises(ValidationError):
        actions.post_to_group(team.alice, team.group, "x" * (settings.POST_MAX_LENGTH + 1))
    assert not Post.objects.exists()


def test_creating_a_group_makes_its_creator_owner(team):
    group = actions.create_group(team.alice, name="Receptenkring", privacy=Group.Privacy.CLOSED)
    assert group.slug == "receptenkring"
    assert Membership.objects.get(group=group).person == team.alice
    assert Membership.objects.get(group=group).role == Membership.Role.OWNER
    second = actions.create_group(team.alice, name="Receptenkring")
    assert second.slug == "receptenkring-2"


def test_open_groups_can_be_joined_and_left(team):
    group = GroupFactory()
    actions.join_group(team.alice, group)
    actions.join_group(team.alice, group)  # joining twice is harmless
    assert list(group.members.all()) == [team.alice]
    actions.leave_group(team.alice, group)
    assert not group.members.exists()


@pytest.mark.parametrize("privacy", [Group.Privacy.CLOSED, Group.Privacy.SECRET])
def test_closed_and_secret_groups_cannot_be_joined_directly(team, privacy):
    group = GroupFactory(privacy=privacy)
    with pytest.raises(PermissionDenied):
        actions.join_group(team.alice, group)
    assert not group.members.exists()
