"""What happened to knowledge pages, announced after commit (``send_after_commit``):
``realtime`` pushes it to open pages."""

from django.dispatch import Signal

#: A page was saved (a new version). Sent with ``page`` and ``editor``.
page_saved = Signal()
