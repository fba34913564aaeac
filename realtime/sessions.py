"""Open sockets follow the login they were opened with.

When a login ends, every socket opened with it closes at once (code 4401, "not
logged in"), on every Daphne process, through the channel layer:

- a session deleted: logging out (Django flushes the session), an administrator's
  erase, ``clearsessions``: the sockets of that session (``session.<hash>``);
- an account deactivated, or its password changed (which, in Django, ends its
  other logins): every socket of the person (``person.<id>``).

The message goes out after the transaction commits, so a rolled-back change
closes nothing. Under these signals lies a safety net: each socket re-checks
now and then (``SOCKET_RECHECK_SECONDS``) that ``login_holds``, which also
catches a session that simply expired.
"""

import asyncio

from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from realtime import broadcast, groups

END = {"type": "session.end"}


def end_sockets(names: list[str]) -> None:
    """Close the sockets of those groups once the current transaction commits."""
    transaction.on_commit(lambda: _publish(names))


# Sends started from code that runs inside an event loop, kept until done.
_pending: set[asyncio.Task] = set()


def _publish(names: list[str]) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        broadcast.send_to_groups(names, END)
        return
    # Sync code called from async code (a test's force_login, say): the loop is
    # this thread's, so the send is scheduled on it rather than waited for.
    layer = get_channel_layer()
    task = loop.create_task(_send_all(layer, names))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _send_all(layer, names: list[str]) -> None:
    for name in names:
        await layer.group_send(name, END)


@receiver(pre_delete, sender=Session)
def session_deleted(sender, instance, **kwargs) -> None:
    end_sockets([groups.session(instance.session_key)])


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def account_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Deactivated, or a new password (``set_password`` then ``save``): every login of
    the person ends. (The login that changed its password goes on over HTTP with a new
    session key; its page's next socket opens with that.)"""
    if created:
        return
    password_changed = getattr(instance, "_password", None) is not None
    if not instance.is_active or password_changed:
        end_sockets([groups.person(instance.pk)])


def login_holds(session_key: str | None, user) -> bool:
    """Is the login a socket was opened with still good: its session there and not
    expired, for this person, still active, with the same password? One query for the
    session, one for the person."""
    if not session_key:
        return False
    session = Session.objects.filter(
        session_key=session_key, expire_date__gt=timezone.now()
    ).first()
    if session is None:
        return False
    data = session.get_decoded()
    if data.get(SESSION_KEY) != str(user.pk):
        return False
    person = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    if person is None:
        return False
    return constant_time_compare(data.get(HASH_SESSION_KEY, ""), person.get_session_auth_hash())
