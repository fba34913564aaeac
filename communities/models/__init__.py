from communities.models.attachments import Attachment
from communities.models.conversation import Reaction, Reply
from communities.models.email import EmailDelivery
from communities.models.follows import Follow
from communities.models.groups import Group, GroupQuerySet, JoinRequest, Membership, readers_of
from communities.models.people import Person
from communities.models.posts import Post, PostQuerySet, PostRead, PostRevision
from communities.models.preferences import (
    Delivery,
    DigestFrequency,
    NotificationPreferences,
)
from communities.models.tags import Tag

__all__ = [
    "Attachment",
    "Delivery",
    "DigestFrequency",
    "EmailDelivery",
    "Follow",
    "Group",
    "GroupQuerySet",
    "JoinRequest",
    "Membership",
    "NotificationPreferences",
    "Person",
    "Post",
    "PostQuerySet",
    "PostRead",
    "PostRevision",
    "Reaction",
    "Reply",
    "Tag",
    "readers_of",
]
