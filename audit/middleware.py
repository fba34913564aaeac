from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit import context


class AuditContextMiddleware:
    """Tell the audit trail where this request's acts come from: the address (see
    ``limits.addresses.client_address`` for proxies), the browser, the request and the person.
    After authentication, so ``request.user`` is there (it is read only when needed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with context.acting_from(context.origin_of(request)):
            return self.get_response(request)
