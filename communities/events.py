"""Domain events, sent only after the transaction that caused them has committed.

The domain announces what happened; ``realtime`` (and later notifications and
tasks) listen. This keeps ``communities`` free of any WebSocket import while
every write still reaches every open page.
"""

from django.dispatch import Signal

#: A post was published. Sent with ``post`` (a Post, with author and group loaded).
post_published = Signal()

#: Someone left or was removed from a group. Sent with ``person_id`` and
#: ``group_id``; open sockets re-check whether that person may still read the feed.
membership_ended = Signal()
