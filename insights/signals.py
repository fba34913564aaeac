"""What happened in the insights app, announced after commit (``send_after_commit``):
``realtime.insights`` pushes it to the open pages of a nudge."""

from django.dispatch import Signal

#: A nudge's sending moved on (one more recipient sent to, or all). Sent with ``nudge_id``.
nudge_progressed = Signal()

#: A coach sent a nudge: the worker delivers it (``tasks.deliver_nudge``). Sent with ``nudge_id``.
nudge_sent = Signal()
