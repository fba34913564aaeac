"""Pages of incidents: the widget's catch-up, following, an incident's history, and the
hook a service desk posts to. Every read goes through the visibility rule."""

from __future__ import annotations

import json
import logging
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from communities.models import Person
from incidents import actions, fragments, queries
from incidents.forms import FollowForm, HookForm
from incidents.models import Source
from integrations import signing

logger = logging.getLogger(__name__)

#: A hook's body larger than this is refused unread.
HOOK_MAX_BYTES = 64 * 1024


@require_GET
def widget(request: HttpRequest) -> HttpResponse:
    """The widget as it is now, out of band: what an open home page fetches whenever
    its socket (re)opens, so a push missed while away is not missed for good."""
    incidents = queries.visible_current(request.user)
    response = HttpResponse(fragments.live_message(incidents))
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    incident = queries.visible_incident(request.user, pk)
    if incident is None:
        raise Http404
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("follow must be 1 or 0")
    person = cast(Person, request.user)  # visible_incident let only a colleague here
    try:
        if form.cleaned_data["follow"]:
            actions.follow(person, incident)
        else:
            actions.unfollow(person, incident)
    except PermissionDenied:
        raise Http404 from None
    if request.headers.get("HX-Request") == "true":
        # The page shows the other button itself (incidents.js).
        response = HttpResponse(status=204)
        response["Kring-Following"] = "1" if form.cleaned_data["follow"] else "0"
        return response
    return redirect("home")


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = queries.visible_incident(request.user, pk)
    if incident is None:
        raise Http404
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "updates": [
                (update, fragments.described(update)) for update in incident.updates.all()[:200]
            ],
            "following": incident.pk in queries.followed_ids(request.user),
        },
    )


def _refuse(status: int, reason: str) -> JsonResponse:
    logger.warning("incident hook refused: %s", reason)
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def hook(request: HttpRequest) -> HttpResponse:
    """A service desk tells of an incident: signed with ``INCIDENTS_WEBHOOK_SECRET``
    (``integrations.signing``), JSON. Refused, with nothing written, when the
    signature does not hold, is older than five minutes, the body is too large or
    not an incident."""
    secret = settings.INCIDENTS_WEBHOOK_SECRET
    if not secret:
        raise Http404
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > HOOK_MAX_BYTES:
        return _refuse(413, "too large")
    body = request.body
    if len(body) > HOOK_MAX_BYTES:
        return _refuse(413, "too large")
    try:
        signing.verify(secret, body, request.META.get(signing.META_KEY))
    except signing.BadSignature as refused:
        return _refuse(403, f"signature {refused.reason}")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return _refuse(400, "not JSON")
    if not isinstance(data, dict):
        return _refuse(400, "not a JSON object")
    form = HookForm({k: v for k, v in data.items() if v is not None})
    if not form.is_valid():
        return JsonResponse({"error": "invalid", "fields": form.errors}, status=400)
    try:
        incident, change = actions.record_incident(
            Source.WEBHOOK, form.cleaned_data["external_id"], **form.fields_to_record()
        )
    except ValidationError as invalid:
        return JsonResponse({"error": "invalid", "detail": invalid.messages}, status=400)
    return JsonResponse({"id": incident.pk, "changed": change is not None})
