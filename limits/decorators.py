from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from limits.counting import check
from limits.responses import too_many


def limit(kind: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``@limit("search")`` on a view: each request counts against ``kind``'s limits
    (``settings.RATE_LIMITS``); one over a limit gets ``too_many`` instead of the view.
    Below ``require_POST`` and the like, so a wrong method is not counted."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limited = check(request, kind)
            if limited is not None:
                return too_many(request, limited)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
