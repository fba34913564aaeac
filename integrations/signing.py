"""Webhook signatures, both ways: what Kring sends is signed here, what it
receives is verified here.

The header is ``X-Kring-Signature: t=<unix seconds>,v1=<hex>``, where ``v1`` is
the HMAC-SHA256, keyed with the shared secret, of ``"<t>."`` followed by the raw
body (the scheme Stripe and Slack use). The timestamp is signed with the body,
so an old request cannot be sent again with a fresh time: one older than
``TOLERANCE_SECONDS`` (or more than that in the future) is refused.
"""

import hashlib
import hmac
import time

HEADER = "X-Kring-Signature"
# Django's request.META name of the header.
META_KEY = "HTTP_X_KRING_SIGNATURE"
TOLERANCE_SECONDS = 5 * 60


class BadSignature(Exception):
    """A request whose signature does not hold; ``reason`` says why, for the log
    and the answer (never the expected signature)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body`` sent now (or at ``timestamp``)."""
    when = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={when},v1={_digest(secret, when, body)}"


def verify(secret: str, body: bytes, header: str | None, now: float | None = None) -> int:
    """Check ``header`` against ``body``; return the signed timestamp, or raise
    BadSignature ("missing", "malformed", "too old", "from the future",
    "mismatch")."""
    if not header:
        raise BadSignature("missing")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            raise BadSignature("malformed")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise BadSignature("malformed") from None
    signatures = parts.get("v1", [])
    if not signatures:
        raise BadSignature("malformed")
    moment = time.time() if now is None else now
    if timestamp < moment - TOLERANCE_SECONDS:
        raise BadSignature("too old")
    if timestamp > moment + TOLERANCE_SECONDS:
        raise BadSignature("from the future")
    expected = _digest(secret, timestamp, body)
    # Several v1 values are allowed, so a secret can be rolled over without a gap.
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise BadSignature("mismatch")
    return timestamp
