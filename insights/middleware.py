"""Records, after the view, what the coach's figures need from a request: that its
person opened Kring today (once per session and day: the session remembers the
day, so most requests write nothing) and, for a full page shown, one more use of
that page today (counted per page and day, not per person)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from insights import actions

SESSION_DAY = "insights_active_day"
# What ``api.auth`` marks a request made with an access token by (insights is below
# the API in the layers, so the name is repeated rather than imported).
API_TOKEN_MARK = "kring_api_token"  # noqa: S105 (an attribute name)


def place_of(request: HttpRequest) -> str | None:
    """The page a request showed, as PageUse counts it: its route's name, and the
    one thing it shows where it shows one ("page_detail:12"); None for what is no
    page of Kring (the admin, an unnamed route)."""
    match = request.resolver_match
    if match is None or not match.url_name or "admin" in match.namespaces:
        return None
    if match.kwargs:
        return f"{match.url_name}:{next(iter(match.kwargs.values()))}"
    return match.url_name


def remember_active(request: HttpRequest, person) -> None:
    """Note that ``person`` is active today, unless the request's session did already."""
    today = timezone.localdate()
    session = request.session
    if session.get(SESSION_DAY) != today.isoformat():
        actions.note_active(person, today)
        session[SESSION_DAY] = today.isoformat()


def is_page(response: HttpResponse) -> bool:
    """A whole page, not a fragment fetched by a page's script (suggestions, a menu)."""
    if getattr(response, "streaming", False):
        return False
    return response.content[:100].lstrip()[:15].lower() == b"<!doctype html>"


class UseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or response.status_code >= 400:
            return response
        if getattr(request, API_TOKEN_MARK, None) is not None:
            # The API with a token: another system acting, no session to remember
            # the day in (and an integration's account is no colleague to count).
            return response
        remember_active(request, user)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not getattr(request, "htmx", False)
            and response.get("Content-Type", "").startswith("text/html")
            and is_page(response)
        ):
            place = place_of(request)
            if place is not None:
                actions.count_use(place, timezone.localdate())
        return response
