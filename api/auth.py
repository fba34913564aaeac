"""Who a request to the API is, what it may do, and how often.

A request names its token in ``Authorization: Bearer <secret>``; a page of Kring
itself (the docs, for a signed-in person) comes with its session instead, for which
DRF checks CSRF. A token's scope limits it: a read token may only read. Each token
(or, with a session, each person) has its own rate, ``API_RATE_LIMIT``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts import actions as account_actions
from accounts import queries as account_queries
from accounts.models import AccessToken

KEYWORD = "Bearer"
# Marks the Django request as one made with a token, for middleware that must
# leave such requests alone (no session, no "active today" for an integration).
REQUEST_MARK = "kring_api_token"


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer kr_…``: the person the token acts as. A secret that
    is unknown, revoked or expired, or whose account is closed, is refused alike
    (401): the answer tells nothing of which."""

    def authenticate(self, request: Request) -> tuple[Any, AccessToken] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("This token does not work.")) from None
        token = account_queries.working_token(secret)
        if token is None:
            raise AuthenticationFailed(_("This token does not work."))
        account_actions.note_token_used(token)
        setattr(request._request, REQUEST_MARK, token)
        return token.person, token

    def authenticate_header(self, request: Request) -> str:
        """Makes a refusal a 401 that says how to authenticate."""
        return f'{KEYWORD} realm="api"'


class TokenScope(BasePermission):
    """A read token may only read (GET, HEAD, OPTIONS); a read-write token, and a
    signed-in person's session, may do whatever the person may."""

    message = _("This token may only read: make a read-and-write token to change things.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if isinstance(token, AccessToken) and not token.writes:
            return request.method in SAFE_METHODS
        return True


class TokenRateThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` requests per token (a session's requests count per person).
    Over it: 429 with ``Retry-After``. Counted in the default cache (Redis when
    ``REDIS_URL`` is set, so every process counts together)."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read per request, not once at import, so a changed setting takes effect.
        rate = settings.API_RATE_LIMIT
        return None if rate == "off" else rate

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, AccessToken):
            ident = f"token:{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"person:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        # Under the rate limits' prefix, which tests set afresh for each test.
        return f"{settings.RATELIMIT_CACHE_PREFIX}api:{ident}"
