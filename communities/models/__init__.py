from communities.models.attachments import DESCRIPTION_MAX, Attachment
from communities.models.conversation import Reaction, Reply
from communities.models.follows import Follow
from communities.models.groups import (
    Group,
    GroupQuerySet,
    JoinRequest,
    Membership,
    managers_of,
    readable_here,
    readers_of,
)
from communities.models.people import Person
from communities.models.posts import (
    Post,
    PostAnnouncement,
    PostQuerySet,
    PostRead,
    PostRevision,
)
from communities.models.tags import Tag

__all__ = [
    "DESCRIPTION_MAX",
    "Attachment",
    "Follow",
    "Group",
    "GroupQuerySet",
    "JoinRequest",
    "Membership",
    "Person",
    "Post",
    "PostAnnouncement",
    "PostQuerySet",
    "PostRead",
    "PostRevision",
    "Reaction",
    "Reply",
    "Tag",
    "managers_of",
    "readable_here",
    "readers_of",
]
