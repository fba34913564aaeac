"""The logo, the web app manifest and its icons: public, so the login page and a
phone's "add to home screen" can fetch them before anyone logs in."""

from __future__ import annotations

import json
from functools import lru_cache

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from organisation import images, queries

ICON_SIZES = (192, 512)
APPLE_TOUCH_SIZE = 180


@login_not_required
@require_GET
@cache_control(max_age=3600)
def logo(request: HttpRequest) -> HttpResponseBase:
    organisation = queries.current()
    if not organisation.logo:
        raise Http404("no logo")
    return FileResponse(organisation.logo.open("rb"), content_type="image/png")


@lru_cache(maxsize=32)
def _icon(size: int, accent: str, logo_path: str, maskable: bool, version: str) -> bytes:
    # ``version`` is part of the key: a new logo under the same name is a new icon.
    return images.app_icon(size, accent, logo_path, maskable=maskable)


@login_not_required
@require_GET
@cache_control(max_age=3600)
def icon(request: HttpRequest, size: int, purpose: str = "any") -> HttpResponse:
    if size not in (*ICON_SIZES, APPLE_TOUCH_SIZE) or purpose not in ("any", "maskable"):
        raise Http404("no such icon")
    organisation = queries.current()
    style = queries.style_of(organisation)
    logo_path = organisation.logo.name if organisation.logo else ""
    png = _icon(size, style.accent, logo_path, purpose == "maskable", style.version)
    return HttpResponse(png, content_type="image/png")


def icon_url(size: int, purpose: str, version: str) -> str:
    name = "organisation_icon_maskable" if purpose == "maskable" else "organisation_icon"
    return f"{reverse(name, args=[size])}?v={version}"


@login_not_required
@require_GET
@cache_control(max_age=300)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: Kring on a phone's home screen, in the organisation's
    name and colours, opening on the home timeline."""
    style = queries.style()
    icons = [
        {
            "src": icon_url(size, purpose, style.version),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for purpose in ("any", "maskable")
        for size in ICON_SIZES
    ]
    data = {
        "name": style.name,
        "short_name": style.app_name,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": style.accent,
        "background_color": style.accent,
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@login_not_required
@require_GET
@cache_control(max_age=3600)
def style(request: HttpRequest) -> HttpResponse:
    """The organisation's colours as a stylesheet: the content security policy allows
    no inline style, so base.html links this (with the change marker in its address)."""
    colours = queries.style()
    css = (
        f":root {{ --brand: {colours.accent}; --brand-light: {colours.accent_light};"
        f" --brand-dark: {colours.accent_dark}; }}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")
