"""What privacy announces after commit."""

from django.dispatch import Signal

#: A person asked for their data. Sent with ``export_id``; the tasks queue its making.
export_requested = Signal()
