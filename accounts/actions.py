"""The one write path of a person's account settings and of their logins."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import devices
from accounts.models import Login
from communities.models import Person
from limits.addresses import client_address
from notices import actions as notice_actions


def choose_language(person: Person, code: str) -> str:
    """The language a person reads Kring in is also the one their emails come in
    (notification emails, digests, a password reset). The interface language is the
    browser's cookie, which the view sets; this stores the emails' side."""
    if code not in {c for c, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the languages."))
    notice_actions.save_notification_preferences(person, {"language": code})
    return code


# Where one is logged in -------------------------------------------------------------

# What a session remembers of its login, so most requests write nothing:
# [a mark of the session key, last seen, logged in] (seconds since the epoch).
STAMP = "kring.login"
# How often "last active" moves on: at most one write per login in this time.
SEEN_EVERY = 300


def record_login(request: HttpRequest, person: Person) -> None:
    """A person has just logged in (``user_logged_in``): this session is one of their
    logins, on this browser, from this address."""
    _record(request, person, started=time.time())


def note_seen(request: HttpRequest) -> None:
    """After a logged-in request: the login's "last active" moves on, at most once
    in ``SEEN_EVERY``. A session whose key changed (a password change cycles it) or
    that began before this list was kept is recorded afresh, keeping when its login
    began as far as the session knows."""
    session = request.session
    key = session.session_key
    user = getattr(request, "user", None)
    if key is None or user is None or not user.is_authenticated:
        return
    stamp = session.get(STAMP)
    if not (isinstance(stamp, list) and len(stamp) == 3):
        _record(request, user, started=None)
    elif stamp[0] != _mark(key) or time.time() - stamp[1] >= SEEN_EVERY:
        _record(request, user, started=stamp[2])


def _record(request: HttpRequest, person: Person, started: float | None) -> None:
    session = request.session
    key = session.session_key
    if key is None:
        return
    now = time.time()
    seen = datetime.fromtimestamp(now, tz=UTC)
    browser, system = devices.describe(request.headers.get("User-Agent", ""))
    try:
        with transaction.atomic():
            Login.objects.update_or_create(
                session_id=key,
                defaults={"person": person, "last_seen": seen, "address": client_address(request)},
                create_defaults={
                    "person": person,
                    "last_seen": seen,
                    "address": client_address(request),
                    "started": datetime.fromtimestamp(started, tz=UTC) if started else None,
                    "browser": browser,
                    "system": system,
                },
            )
    except IntegrityError:
        # The session was deleted meanwhile (logged out from elsewhere): no login.
        return
    session[STAMP] = [_mark(key), now, started]


def _mark(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:12]


def end_login(person: Person, login_id: int) -> bool:
    """One of the person's logins ends: its session is deleted, which closes its open
    pages' sockets (``realtime.sessions``) and, by cascade, its row here. False if
    the person has no such login."""
    deleted, _counts = Session.objects.filter(
        kring_login__pk=login_id, kring_login__person=person
    ).delete()
    return deleted > 0


def end_all_logins(person: Person) -> int:
    """Every login of the person ends, on every device, and with it every open page's
    socket. How many sessions there were."""
    _deleted, counts = Session.objects.filter(kring_login__person=person).delete()
    return counts.get(Session._meta.label, 0)
