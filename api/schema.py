"""What drf-spectacular says of Kring's own authentication in the OpenAPI schema
(loaded by ``ApiConfig.ready``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token (Settings, Access tokens) or an integration "
                "token from an administrator: Authorization: Bearer kr_..."
            ),
        }
