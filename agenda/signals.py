"""What happened on the agenda, announced after commit (``send_after_commit``):
``realtime.agenda`` pushes it to open event pages; ``integrations`` tells other
systems of new events."""

from django.dispatch import Signal

#: Who goes changed, or the event itself (edited, cancelled). Sent with
#: ``event_id`` and ``moved_up``: the ids of people whose own answer changed
#: without their doing (moved up from the waiting list), whose open pages show it.
event_changed = Signal()

#: A new event was added (in a group or organisation-wide). Sent with ``event``.
event_created = Signal()
