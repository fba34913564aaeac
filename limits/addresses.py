"""The address a request came from: one rule for the rate limits and the audit trail."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Counted for a request whose address cannot be read (a Unix socket with no proxy
# header): all such requests share one count rather than escaping the limits.
UNKNOWN = "0.0.0.0"  # noqa: S104 (a label, nothing listens on it)


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from. ``X-Forwarded-For`` is anyone's to write, so
    it counts only behind as many proxies as ``TRUSTED_PROXY_COUNT`` says: each of them
    appends the address it saw, so the client is that many entries from the end."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def address_to_count(request: HttpRequest) -> str:
    """``client_address`` for django-ratelimit (``RATELIMIT_IP_META_KEY``)."""
    return client_address(request) or UNKNOWN
