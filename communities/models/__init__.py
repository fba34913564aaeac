from communities.models.groups import Group, GroupQuerySet, Membership
from communities.models.people import Person
from communities.models.posts import Post, PostQuerySet

__all__ = ["Group", "GroupQuerySet", "Membership", "Person", "Post", "PostQuerySet"]
