"""How the API describes itself in its OpenAPI schema (drf-spectacular): the bearer
token scheme, and the errors every operation may answer with, so that a client (and
the schema-driven tests) can rely on every answer being in the schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import Direction

# DRF's own error body: {"detail": "..."}.
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# What was wrong with the input: a list of messages per field (or "non_field_errors").
_INVALID = {
    "type": "object",
    "additionalProperties": {},
    "description": "The fields' errors: each field named, with its messages.",
}
ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": ("The input is not valid.", _INVALID),
    "401": ("No token, or one that does not work (unknown, revoked, expired).", _DETAIL),
    "403": ("Not allowed: a read token writing, or the person may not do this.", _DETAIL),
    "404": ("Not found, or not visible to the token's person.", _DETAIL),
    "429": ("Too many requests for this token: wait the seconds in Retry-After.", _DETAIL),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, with the errors DRF answers for any operation."""

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, (description, schema) in ERRORS.items():
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": schema}}},
            )
        return responses


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
