"""What happened in the core, announced only after the transaction that caused it committed.

The core announces; ``realtime`` pushes it to open pages, ``notices`` tells
people, and apps above the core listen as they need. This keeps
``communities`` free of any WebSocket, email or task import while every write
still reaches every open page.

Every signal is sent through ``send_after_commit``: each receiver is called
whatever the others do, and one that raises is logged at ERROR. A failing
notification never drops the live push, and the other way round.
"""

from __future__ import annotations

import enum
import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("django.dispatch")

#: A post was published. Sent with ``post`` (a Post, with author and group loaded),
#: once per post, by ``communities.tasks.announce``: in a worker when one runs
#: (scaled out), else in the web process, after the post committed.
post_published = Signal()

#: The same post, sent by the same task just before ``post_published``, for the live
#: push alone: open pages get the post before its notifications and search entry
#: are made (receivers of one signal run in the order their apps were installed).
post_goes_live = Signal()

#: Someone joined, left, was added to or removed from a group. Sent with
#: ``person_id`` and ``group_id``; that person's open sockets re-check what
#: they may read, and stop a feed they may no longer read at once.
access_changed = Signal()

#: Someone followed or unfollowed a person, #tag or group. Sent with
#: ``person_id`` (the follower); their home timeline hears its new sources.
follows_changed = Signal()

#: Something changed on a published post that open pages show. Sent with
#: ``post`` and ``change`` (a ``Change``); ``reply`` for replies, and for a new
#: reply ``mentioned``, the ids of the people its text mentions.
post_changed = Signal()


class Change(enum.StrEnum):
    """What changed on a post. The value names the fragment that shows it
    (``communities/fragments/changes/<value>.html``)."""

    REPLY_ADDED = "reply_added"
    REPLY_REMOVED = "reply_removed"
    REACTIONS_CHANGED = "reactions_changed"
    POST_REMOVED = "post_removed"
    POST_EDITED = "post_edited"
    #: An announcement was pinned or unpinned: the group's pinned place changes.
    PIN_CHANGED = "pin_changed"


#: Someone followed or unfollowed a person: the followers of one and the people the
#: other follows changed. Sent with ``person_ids`` (both); their open profiles update.
connections_changed = Signal()

#: Someone's details changed without the model being saved (their job title,
#: department or location, their photo, an integration's name; an erasure). Sent
#: with ``person_id``.
person_changed = Signal()

#: A reply's text was rendered again without anyone editing it (the mentions of
#: an erased person became plain text). Sent with ``reply``.
reply_rewritten = Signal()

#: Someone started to follow a person. Sent with ``follower`` and ``person``.
person_followed = Signal()

#: Someone asked to join a closed group. Sent with ``request`` (a JoinRequest).
join_requested = Signal()

#: A manager approved or declined a request to join. Sent with ``request``.
join_decided = Signal()

#: A manager brought someone into a group (the only way into a secret one).
#: Sent with ``manager``, ``person`` and ``group``.
member_added = Signal()


#: An administrator deactivated someone's account. Sent with ``person_id`` and
#: ``actor_id`` (the administrator); what the person looked after passes on.
person_deactivated = Signal()


def send_after_commit(signal: Signal, sender: Any, **details: Any) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one);
    nothing is announced for a write that rolled back."""
    transaction.on_commit(lambda: send_to_each(signal, sender, **details))


def send_to_each(signal: Signal, sender: Any, **details: Any) -> None:
    """Call every receiver of ``signal``, each whatever the others do. Django logs a
    receiver that raises at ERROR, with its traceback (logger ``django.dispatch``)."""
    signal.send_robust(sender=sender, **details)


def send_to_each_apart(signal: Signal, sender: Any, **details: Any) -> None:
    """``send_to_each`` inside a transaction: each receiver in a savepoint of its own,
    so one whose database write fails rolls back its own part alone and the others
    still write theirs. Logged as ``send_robust`` logs a failing receiver."""
    # Django gives no public way to call receivers one by one; ``_live_receivers``
    # is what ``send_robust`` itself iterates (sync receivers; Kring has no async ones).
    receivers, _async_receivers = signal._live_receivers(sender)
    for receiver in receivers:
        try:
            with transaction.atomic():
                receiver(signal=signal, sender=sender, **details)
        except Exception as err:
            logger.error(
                "Error calling %s in Signal.send_robust() (%s)",
                receiver.__qualname__,
                err,
                exc_info=err,
            )
