"""Counting requests against ``settings.RATE_LIMITS``, per person and per address.

django-ratelimit does the counting: a fixed window per limit, kept in Django's
cache, so every process that shares the cache (Redis, when scaled out) counts
together. A kind such as ``post`` has two limits: ``post`` for the person (or
the email address or username a request names) and ``post:address`` for the
network address it comes from.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a person is told, per kind; ``%(wait)s`` is how long, e.g. "4 minutes".
MESSAGES = {
    "post": _("Too many posts in a short time. Try again in %(wait)s."),
    "reply": _("Too many replies in a short time. Try again in %(wait)s."),
    "react": _("Too many reactions in a short time. Try again in %(wait)s."),
    "follow": _("Too many follows in a short time. Try again in %(wait)s."),
    "upload": _("Too many uploads in a short time. Try again in %(wait)s."),
    "search": _("Too many searches in a short time. Try again in %(wait)s."),
    "password_reset": _("Too many reset requests. Try again in %(wait)s."),
    "login": _("Too many attempts. Try again in %(wait)s."),
    "calendar_feed": _("Too many calendar requests. Try again in %(wait)s."),
    "webhook": _("Too many webhook deliveries. Try again in %(wait)s."),
}


def wait_text(seconds: int) -> str:
    """How long, rounded up, in words: "30 seconds", "4 minutes", "2 hours"."""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


@dataclass(frozen=True)
class Limited:
    """A refusal: which kind of limit, and in how many seconds it lifts."""

    kind: str
    retry_after: int

    @property
    def message(self) -> str:
        """In the language active when it is shown."""
        return str(MESSAGES[self.kind]) % {"wait": wait_text(self.retry_after)}


def rate_of(name: str) -> str | None:
    """The rate named ``name`` in ``RATE_LIMITS`` (``post``, ``post:address``), or
    None when it is off, or all limits are (``RATE_LIMITS_ENABLED=false``)."""
    rate = settings.RATE_LIMITS.get(name)
    if not settings.RATELIMIT_ENABLE or not rate or rate == "off":
        return None
    return rate


def check(request: HttpRequest, kind: str, *, subject: str = "") -> Limited | None:
    """Count this request against ``kind``'s limits and say whether it goes over one.

    Counted per person (the signed-in person, or ``subject`` where a request is
    about an email address or a username) and per address. Every request counts,
    the refused ones too, so hammering does not shorten the wait. When the cache
    cannot be reached the request goes through: a Redis away must not stop
    people posting (it is logged).
    """
    if subject:
        person = subject.strip().lower()
    elif request.user.is_authenticated:
        person = f"person:{request.user.pk}"
    else:
        person = ""
    wait = 0
    for name, key in ((kind, _constant(person)), (f"{kind}:address", "ip")):
        rate = rate_of(name)
        if rate is None or key is None:
            continue
        try:
            usage = get_usage(request, group=f"kring.{name}", key=key, rate=rate, increment=True)
        except (RedisError, OSError):
            logger.warning("rate limit %s not counted: the cache is unreachable", name)
            continue
        if usage and usage["should_limit"]:
            wait = max(wait, usage["time_left"], 1)
    return Limited(kind, wait) if wait else None


def _constant(value: str) -> Callable[[str, HttpRequest], str] | None:
    """django-ratelimit's key for a value known beforehand (None when there is none)."""
    return (lambda group, request: value) if value else None
