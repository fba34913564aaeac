"""How large a request body may be, by where it goes.

A form with files may carry them (a post: all its files at their largest; the
profile: one photo); any other request only what forms hold, Django's own limit
for form data and a margin. Read from the request's path before its body, by
``realtime.daphne_server`` (as soon as the headers are in) and
``project.body_limit`` (in front of Django), so a body too large for its place is
refused before it is read.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.urls import Resolver404, resolve


def body_limit(path: str) -> int:
    """The most bytes a request to ``path`` (its query string allowed) may send."""
    try:
        match = resolve(unquote(path.split("?", 1)[0]))
    except Resolver404:
        return settings.FORM_BODY_MAX_BYTES
    limits = settings.UPLOAD_BODY_LIMITS
    for name in (match.view_name, match.namespace):
        if name in limits:
            return min(limits[name], settings.UPLOAD_BODY_MAX_BYTES)
    return settings.FORM_BODY_MAX_BYTES
