"""The API under ``/api/v1/``, its OpenAPI schema at ``/api/schema/`` and its docs
(Swagger UI at ``/api/docs/``), served from Kring itself (drf-spectacular-sidecar:
no CDN, and within the content security policy). Redoc is left out: it needs
inline styles and always asks a CDN for its logo.

The API authenticates by itself (tokens, or the session): its views are exempt
from Django's login-required redirect, which would send a client a login page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from api import routes

router = DefaultRouter()
routes.register(router)


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)
    return patterns


urlpatterns = _open(
    [
        path("api/v1/", include(router.urls)),
        path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
        path(
            "api/docs/",
            SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
            name="api_docs",
        ),
    ]
)
