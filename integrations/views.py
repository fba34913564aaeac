"""The incoming webhook: another system posts in a group as its integration.

It answers JSON for a machine: what went wrong is in ``error`` (and ``reason``
for a signature). Every refusal comes before anything is written.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations import actions, queries, signing
from integrations.forms import IncomingDelivery
from limits.counting import check


def _refuse(status: int, error: str, **details: Any) -> JsonResponse:
    return JsonResponse({"error": error, **details}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def incoming(request: HttpRequest, token: str) -> JsonResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.WEBHOOK_MAX_BYTES:
        # Refused unread (Daphne refuses it earlier still: limits.bodies).
        return _refuse(413, "body too large", limit=settings.WEBHOOK_MAX_BYTES)
    hook = queries.hook_for_token(token)
    if hook is None:
        return _refuse(404, "no such webhook")
    limited = check(request, "webhook", subject=f"hook:{hook.pk}")
    if limited is not None:
        response = _refuse(429, "too many deliveries", retry_after=limited.retry_after)
        response["Retry-After"] = str(limited.retry_after)
        return response
    body = request.body
    if len(body) > settings.WEBHOOK_MAX_BYTES:
        return _refuse(413, "body too large", limit=settings.WEBHOOK_MAX_BYTES)
    header = request.META.get(signing.META_KEY)
    try:
        signing.verify(hook.secret, body, header)
    except signing.BadSignature as bad:
        return _refuse(401, "bad signature", reason=bad.reason)
    form = IncomingDelivery.from_body(body)
    if not form.is_valid():
        return _refuse(400, "bad request", details=form.errors.get_json_data())
    # The same signed delivery twice (a replay, or a sender's retry) posts once:
    # remembered as long as its signature would be accepted.
    seen = f"integrations:seen:{hook.pk}:{hashlib.sha256(str(header).encode()).hexdigest()}"
    if not cache.add(seen, 1, timeout=2 * signing.TOLERANCE_SECONDS):
        return _refuse(409, "already delivered")
    try:
        post = actions.post_from_hook(
            hook, form.cleaned_data["text"], form.cleaned_data["idempotency_key"] or None
        )
    except (ValidationError, PermissionDenied) as error:
        cache.delete(seen)
        messages = getattr(error, "messages", None) or [str(error)]
        return _refuse(
            400 if isinstance(error, ValidationError) else 403, "refused", details=messages
        )
    path = reverse("post", args=[post.pk])
    return JsonResponse({"id": post.pk, "url": f"{settings.SITE_URL}{path}"}, status=201)
