"""Single sign-on with OpenID Connect, through mozilla-django-oidc.

The library does the protocol (the authorisation code flow with state, nonce and
PKCE, the token request, the id token's signature); this module fits it to Kring:

- the provider is configured by environment (``project.settings``), either by its
  issuer, whose discovery document names the endpoints (read on first use and kept
  for the life of the process), or endpoint by endpoint; off without a client id;
- the id token must be meant for Kring (``aud``) and come from the issuer
  (``iss``): the library leaves both unchecked;
- who someone is in Kring is decided by ``accounts.actions.sign_on`` (the one
  write path), and a refusal is said on the login page;
- logging out of Kring can end the provider's session too (``provider_logout_url``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import actions
from communities.models import Person

logger = logging.getLogger(__name__)

# Settings that the provider's discovery document fills when they are not given.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery: dict[str, dict[str, Any]] = {}


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or _("your organisation's account")


def discovery(issuer: str) -> dict[str, Any]:
    """The issuer's ``.well-known/openid-configuration``, fetched once per process.
    Its issuer must be the one configured (OpenID Connect Discovery, section 4.3)."""
    if issuer not in _discovery:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ImproperlyConfigured(
                f"OIDC_ISSUER is {issuer}, its discovery document names {document.get('issuer')}"
            )
        _discovery[issuer] = document
    return _discovery[issuer]


def setting(name: str, *default: Any) -> Any:
    """A setting of mozilla-django-oidc: an endpoint not configured is read from
    the issuer's discovery document."""
    value = import_from_settings(name, *default)
    if not value and name in DISCOVERED and settings.OIDC_ISSUER:
        value = discovery(settings.OIDC_ISSUER).get(DISCOVERED[name]) or value
    return value


class SignOnBackend(OIDCAuthenticationBackend):
    """The library's backend, reading its settings only when it authenticates (Django
    makes a backend for every password login and every request's user, and those
    must neither need the provider nor wait for it)."""

    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 (the library's names)
        return setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Person | None:
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id: int) -> Person | None:
        """Django's rule, not the library's: a deactivated person's session holds no
        one (the library's ``get_user`` returns them all the same)."""
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature and the nonce; a token issued to
        another client, or by another issuer, is refused here too."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The id token is meant for another client.")
        if settings.OIDC_ISSUER and str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("The id token comes from another issuer.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> Person | None:
        if not payload.get("sub") or not payload.get("iss"):
            raise SuspiciousOperation("The id token names no subject or no issuer.")
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: else the userinfo may be someone else's.
            raise SuspiciousOperation("The userinfo names another subject than the id token.")
        try:
            return actions.sign_on(claims_of({**payload, **userinfo, "iss": payload["iss"]}))
        except actions.SignOnRefused as refusal:
            self.request.kring_sign_on_refused = refusal.message
            return None


def claims_of(claims: dict[str, Any]) -> actions.SignOnClaims:
    """Kring's reading of the provider's claims (OpenID Connect's standard names;
    job title and department by the names configured)."""

    def text(name: str) -> str:
        value = claims.get(name)
        return value.strip() if isinstance(value, str) else ""

    def present(name: str) -> str | None:
        return text(name) if name in claims and claims[name] is not None else None

    verified = claims.get("email_verified")
    name = text("name") or " ".join(filter(None, (text("given_name"), text("family_name"))))
    return actions.SignOnClaims(
        issuer=text("iss"),
        subject=str(claims["sub"]),
        email=text("email"),
        email_verified=verified is True or verified == "true",
        username=text("preferred_username") or text("email"),
        display_name=name,
        job_title=present(settings.OIDC_CLAIM_JOB_TITLE),
        department=present(settings.OIDC_CLAIM_DEPARTMENT),
    )


class SignOnStartView(OIDCAuthenticationRequestView):
    """ "Sign in with …": off the browser goes to the provider."""

    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are read in ``get``, where a provider out of reach can be said.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            logger.exception("the OpenID provider's discovery document could not be read")
            messages.error(request, unavailable())
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. A refusal (a closed account, an
    address two people share) or a failure (the provider out of reach, a token
    that does not hold) ends on the login page, saying so; nothing is logged in."""

    get_settings = staticmethod(setting)

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            logger.warning("single sign-on failed: %s", error)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        refused = getattr(self.request, "kring_sign_on_refused", None)
        messages.error(self.request, refused or unavailable())
        return super().login_failure()


def unavailable() -> str:
    return _("Signing in with %(provider)s did not succeed. Try again, or ask IT.") % {
        "provider": provider_name()
    }


def provider_logout_url(request: HttpRequest) -> str | None:
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the
    provider's end-session address, naming the login by its id token, that sends
    the browser back to Kring's login page. None when the provider has no such
    endpoint configured or this login was not a single sign-on."""
    id_token = request.session.get("oidc_id_token")
    if not settings.OIDC_OP_LOGOUT_ENDPOINT or not id_token:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
