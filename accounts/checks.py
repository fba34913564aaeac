"""Start-up checks of the sign-on settings: a configuration that lets nobody log in,
or that names no provider, is said before anyone meets it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

ENDPOINTS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


@register()
def sign_on_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if not settings.LOCAL_LOGIN and not settings.OIDC_RP_CLIENT_ID:
        errors.append(
            Error(
                "LOCAL_LOGIN is off and single sign-on is not configured: nobody can log in.",
                hint="Set OIDC_RP_CLIENT_ID (and the provider), or LOCAL_LOGIN=true.",
                id="accounts.E001",
            )
        )
    missing = [name for name in ENDPOINTS if not getattr(settings, name)]
    if settings.OIDC_RP_CLIENT_ID and not settings.OIDC_ISSUER and missing:
        errors.append(
            Error(
                f"Single sign-on needs OIDC_ISSUER or these endpoints: {', '.join(missing)}.",
                id="accounts.E002",
            )
        )
    return errors
