"""The login lock-out, with back-off: per username and per address.

``RATE_LIMITS["login"]`` (e.g. ``5/15m``) is how many attempts a username may
fail within the period; the one that uses the last up locks it for
``LOGIN_LOCKOUT_FIRST`` seconds. Once a lock ends one more attempt is allowed,
and if that fails too the next lock is twice as long (1, 2, 4 … minutes, up to
``LOGIN_LOCKOUT_MAX``). ``login:address`` does the same for the network address,
with a higher allowance (colleagues behind one address mistype too). A
successful login forgets its username's failures and locks; the address only
forgets that one attempt, so knowing one password does not reopen an address
for guessing others'. Lock levels are forgotten after a day without a lock.

Attempts are counted before the password is checked, so a burst of parallel
guesses cannot slip past the count while the first ones are still being
checked. Neither django-ratelimit (fixed windows) nor django-axes (one fixed
cool-off) grows the lock, so this is Kring's own, on the same cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# The address as the rate limits see it (IPv6 by its /64), and their rate syntax.
from django_ratelimit.core import _get_ip, _split_rate
from redis.exceptions import RedisError

from limits.counting import Limited, rate_of

# How long a lock's level (how many came before it) is remembered.
LEVEL_MEMORY = 24 * 3600


class _Scope:
    """The counters of one username, or one address, in the cache."""

    def __init__(self, name: str, value: str, rate: str) -> None:
        self.name = name
        digest = hashlib.sha256(f"{name}:{value}".encode()).hexdigest()
        self.key = f"{settings.RATELIMIT_CACHE_PREFIX}lockout:{digest}"
        self.allowed, self.period = _split_rate(rate)

    def locked_for(self) -> int:
        """Seconds until this scope's lock ends (0: not locked)."""
        until = cache.get(f"{self.key}:until")
        return max(0, math.ceil(until - time.time())) if until else 0

    def count_attempt(self) -> int:
        cache.add(f"{self.key}:attempts", 0, self.period)
        return int(cache.incr(f"{self.key}:attempts"))

    def attempts(self) -> int:
        return int(cache.get(f"{self.key}:attempts", 0))

    def lock(self) -> int:
        """Lock (unless another request just did), each lock twice the one before;
        the seconds it lasts."""
        level = int(cache.get(f"{self.key}:level", 0))
        seconds: int = min(settings.LOGIN_LOCKOUT_FIRST * 2**level, settings.LOGIN_LOCKOUT_MAX)
        if cache.add(f"{self.key}:until", time.time() + seconds, seconds):
            cache.set(f"{self.key}:level", level + 1, LEVEL_MEMORY)
            # After the lock, one more attempt before the next (longer) lock.
            cache.set(f"{self.key}:attempts", self.allowed - 1, seconds + self.period)
            return seconds
        return self.locked_for()

    def forget(self) -> None:
        cache.delete_many([f"{self.key}:{part}" for part in ("attempts", "level", "until")])

    def forget_one_attempt(self) -> None:
        with contextlib.suppress(ValueError):  # expired meanwhile
            cache.decr(f"{self.key}:attempts")


def _scopes(request: HttpRequest, username: str) -> list[_Scope]:
    scopes = []
    for name, value in (("login", username.strip().lower()), ("login:address", _get_ip(request))):
        rate = rate_of(name)
        if rate is not None:
            scopes.append(_Scope(name, value, rate))
    return scopes


def _refusal(seconds: int) -> Limited | None:
    return Limited("login", seconds) if seconds else None


def attempt(request: HttpRequest, username: str) -> Limited | None:
    """Before checking a password: the lock that refuses this attempt, if any.
    Counts the attempt."""
    try:
        scopes = _scopes(request, username)
        wait = max((scope.locked_for() for scope in scopes), default=0)
        if not wait:
            for scope in scopes:
                if scope.count_attempt() > scope.allowed:
                    wait = max(wait, scope.lock())
        return _refusal(wait)
    except (RedisError, OSError):
        return None


def failed(request: HttpRequest, username: str) -> Limited | None:
    """After a wrong password: the lock it brings about, if it used the last attempt."""
    try:
        wait = 0
        for scope in _scopes(request, username):
            if scope.attempts() >= scope.allowed:
                wait = max(wait, scope.lock())
        return _refusal(wait)
    except (RedisError, OSError):
        return None


def succeeded(request: HttpRequest, username: str) -> None:
    """After a right password: the username starts afresh."""
    try:
        for scope in _scopes(request, username):
            if scope.name == "login":
                scope.forget()
            else:
                scope.forget_one_attempt()
    except (RedisError, OSError):
        pass
