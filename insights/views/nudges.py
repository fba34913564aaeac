"""The coach's nudges: the list with each one's effect, a new nudge (who is in the
segment, who is left out and why, the message) and one nudge's live progress."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from communities.models import Person
from communities.views.feeds import live_url
from insights import actions, queries
from insights.forms import NudgeForm
from insights.models import Nudge
from insights.wording import message_for


def nudge_list(request: HttpRequest) -> HttpResponse:
    queries.require_coach(request.user)
    return render(request, "insights/nudges.html", {"effects": queries.nudge_effects(limit=50)})


def nudge_new(request: HttpRequest) -> HttpResponse:
    """A GET with a segment, or a POST with "Preview", shows who it reaches; "Send"
    sends it (``actions.send_nudge``) and opens its progress."""
    queries.require_coach(request.user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = NudgeForm(data, initial={"segment": Nudge.Segment.NO_PHOTO})
    preview = example = None
    if form.is_bound and form.is_valid():
        fields = form.nudge_fields()
        if request.method == "POST" and "send" in request.POST:
            try:
                nudge = actions.send_nudge(cast(Person, request.user), **fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("nudge_detail", nudge.pk)
        preview = queries.preview(fields["segment"], inactive_days=fields["inactive_days"])
        example = message_for(Nudge(**fields), str(request.user))
    return render(
        request, "insights/nudge_form.html", {"form": form, "preview": preview, "example": example}
    )


def nudge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queries.require_coach(request.user)
    nudge = queries.nudge(pk)
    if nudge is None:
        raise Http404
    context = {
        "nudge": nudge,
        "effect": queries.nudge_effects(nudge_id=pk),
        "live_url": live_url("live_nudge", nudge.pk),
    }
    return render(request, "insights/nudge_detail.html", context)
