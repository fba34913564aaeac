from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts import actions


class LoginSeenMiddleware:
    """Keeps each login's "last active" (``actions.note_seen``), after the view, so a
    login that changed its session key in the request (a password change) is
    recorded under the new one. Requests that never read the session (static
    files, the manifest) are left alone; most others write nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and response.status_code < 500:
            actions.note_seen(request)
        return response
