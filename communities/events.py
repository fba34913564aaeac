"""Domain events, sent only after the transaction that caused them has committed.

The domain announces what happened; ``realtime`` (and later notifications and
tasks) listen. This keeps ``communities`` free of any WebSocket import while
every write still reaches every open page.
"""

from django.dispatch import Signal

#: A post was published. Sent with ``post`` (a Post, with author and group loaded).
post_published = Signal()

#: Someone joined, left, was added to or removed from a group. Sent with
#: ``person_id`` and ``group_id``; that person's open sockets re-check what
#: they may read, and stop a feed they may no longer read at once.
access_changed = Signal()

#: Someone followed or unfollowed a person, #tag or group. Sent with
#: ``person_id`` (the follower); their home timeline hears its new sources.
follows_changed = Signal()

#: Something changed on a published post that open pages show: a reply came
#: or went, its reactions changed, or the post itself was deleted. Sent with
#: ``post`` and ``change`` (one of the CHANGES), and ``reply`` for replies.
#: An edited post is sent as POST_EDITED.
post_changed = Signal()
REPLY_ADDED, REPLY_REMOVED, REACTIONS_CHANGED, POST_REMOVED, POST_EDITED = CHANGES = (
    "reply_added",
    "reply_removed",
    "reactions_changed",
    "post_removed",
    "post_edited",
)

#: Someone started to follow a person. Sent with ``follower`` and ``person``.
person_followed = Signal()

#: Someone asked to join a closed group. Sent with ``request`` (a JoinRequest).
join_requested = Signal()

#: A manager approved or declined a request to join. Sent with ``request``.
join_decided = Signal()

#: A manager brought someone into a group (the only way into a secret one).
#: Sent with ``manager``, ``person`` and ``group``.
member_added = Signal()

#: A person's notifications changed (one came, or they read some). Sent with
#: ``person_ids``; their open pages update the bell's unread count.
notices_changed = Signal()
