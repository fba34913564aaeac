"""The one visibility rule, for groups and their posts."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Group, Post
from tests.factories import GroupFactory, PersonFactory


@pytest.fixture
def world(db):
    member = PersonFactory(username="member")
    outsider = PersonFactory(username="outsider")
    groups = {
        privacy: GroupFactory(slug=privacy, privacy=privacy, members=[member])
        for privacy in Group.Privacy.values
    }
    posts = {
        privacy: Post.objects.create(group=group, author=member, body=f"in {privacy}")
        for privacy, group in groups.items()
    }
    return member, outsider, groups, posts


def test_a_member_sees_the_posts_of_every_group_they_are_in(world):
    member, _, _, posts = world
    assert set(Post.objects.visible_to(member)) == set(posts.values())


def test_an_outsider_reads_only_open_groups(world):
    _, outsider, _, posts = world
    assert list(Post.objects.visible_to(outsider)) == [posts["open"]]


def test_an_outsider_knows_open_and_closed_groups_but_not_secret_ones(world):
    _, outsider, groups, _ = world
    assert set(Group.objects.visible_to(outsider)) == {groups["open"], groups["closed"]}
    assert set(Group.objects.readable_by(outsider)) == {groups["open"]}


def test_someone_not_logged_in_sees_nothing(world):
    anonymous = AnonymousUser()
    assert not Post.objects.visible_to(anonymous).exists()
    assert not Group.objects.visible_to(anonymous).exists()


def test_leaving_a_secret_group_hides_it_again(world):
    member, _, groups, posts = world
    groups["secret"].memberships.filter(person=member).delete()
    assert posts["secret"] not in Post.objects.visible_to(member)
    assert groups["secret"] not in Group.objects.visible_to(member)


def test_the_rule_seen_from_people_agrees_with_the_rule_seen_from_groups(world):
    """readers_of (who may read a group, used to push posts) and readable_by
    (what a person may read, used by every page) are one rule."""
    from communities.models import Person, readers_of

    member, outsider, groups, _ = world
    inactive = PersonFactory(username="left-the-organisation", is_active=False)
    for group in groups.values():
        for person in (member, outsider):
            readable = Group.objects.readable_by(person).filter(pk=group.pk).exists()
            reader = Person.objects.filter(readers_of(group), pk=person.pk).exists()
            assert readable == reader, (group.privacy, person.username)
        assert not Person.objects.filter(readers_of(group), pk=inactive.pk).exists()
