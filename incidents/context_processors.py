"""The home page's widget, without the home page knowing of incidents: the home
template shows ``home_widgets`` (HTML from the apps that add to it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from incidents import fragments, queries


def home_widgets(request: HttpRequest) -> dict:
    """Read only when the home page shows it: two queries (current incidents, what the
    reader follows), whatever their number."""

    def render() -> SafeString:
        user = request.user
        if not queries.may_see_incidents(user):
            return mark_safe("")  # noqa: S308 -- nothing at all
        incidents = fragments.with_hide_after(queries.current_incidents())
        followed = sorted(queries.followed_ids(user))
        html = render_to_string(
            "incidents/fragments/home.html",
            {"incidents": incidents, "followed": followed},
            request=request,
        )
        return mark_safe(html)  # noqa: S308 -- a template's output, escaped there

    return {"home_widgets": SimpleLazyObject(render)}
