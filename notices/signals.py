"""What happened to notifications, announced after the write committed.

``realtime`` rings the bells (``notices_changed``); ``notices.tasks`` queues
the emails wanted at once (``emails_wanted``). So the modules that read and
make notifications import neither the channel layer nor Celery nor email.
"""

from django.dispatch import Signal

#: A person's notifications changed (one came, or they read some). Sent with
#: ``person_ids``; their open pages update the bell's unread count.
notices_changed = Signal()

#: Notifications were made that their recipients want by email at once. Sent
#: with ``notification_ids``.
emails_wanted = Signal()
