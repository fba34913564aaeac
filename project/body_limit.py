"""Refusing a request body larger than its place allows, before Django reads it.

Django's ASGI handler reads a whole body into a file before any middleware or
upload handler runs, so the refusal sits in front of it, in ASGI: a body whose
``Content-Length`` is over the limit is not read at all, and one without a
length (chunked) is counted as it arrives and cut off where it passes the limit.
Django then gets an empty body and a scope marked ``REFUSED``, and
``RefusedBodyMiddleware`` answers 413 with a page, or over htmx a message for
the form, in the person's language. (``realtime.daphne_server`` makes Daphne,
which reads bodies before calling the application, call it at once instead.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from limits.bodies import body_limit

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

REFUSED = "kring.body_refused"  # scope key: the body was too large and is not read
LAST_EMPTY = {"type": "http.request", "body": b"", "more_body": False}


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: the app behind it never receives more than ``limit(scope)`` bytes
    (by default the limit for the request's path, ``limits.bodies``)."""

    def __init__(self, app: ASGIApp, limit: Callable[[Scope], int] | None = None) -> None:
        self.app = app
        self.limit = limit or (lambda scope: body_limit(scope["path"]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        limit = self.limit(scope)
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            scope[REFUSED] = declared
            await self.app(scope, _no_body(), send)
        else:
            await self.app(scope, _counted(receive, scope, limit), send)


def _no_body() -> Receive:
    """An empty body, then nothing: the client's body is never asked for. (Django
    waits for a disconnect beside the view and cancels that wait when it answers.)"""
    given = False

    async def receive() -> Message:
        nonlocal given
        if not given:
            given = True
            return dict(LAST_EMPTY)
        await asyncio.Future()  # never done
        raise AssertionError("unreachable")

    return receive


def _counted(receive: Receive, scope: Scope, limit: int) -> Receive:
    """The body as it comes, until it passes ``limit``: then it ends there, the scope
    is marked refused, and nothing more is read from the client."""
    received = 0
    cut_off: Receive | None = None

    async def counting() -> Message:
        nonlocal received, cut_off
        if cut_off is not None:
            return await cut_off()
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                scope[REFUSED] = received
                cut_off = _no_body()
                return await cut_off()
        return message

    return counting


class RefusedBodyMiddleware:
    """Django middleware: a request whose body was refused is answered 413 here, before
    anything reads its (empty) form. Placed after the session, language, user and
    htmx middleware, so the answer is in the person's language and page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = getattr(request, "scope", None) or {}
        if REFUSED not in scope:
            return self.get_response(request)
        return too_large_response(request)


def too_large_response(request: HttpRequest) -> HttpResponse:
    context = {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "total": filesizeformat(settings.UPLOAD_BODY_MAX_BYTES),
        "back": _same_site_referer(request),
    }
    if getattr(request, "htmx", False):
        # Into the form's place for refusals; the form itself, and what was typed in
        # it, stays as it is (the server never read it, so it could not send it back).
        response = render(request, "fragments/too_large.html", context, status=413)
        response["HX-Retarget"] = "find [data-refusal]"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "413.html", context, status=413)


def _same_site_referer(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    origin = f"{request.scheme}://{request.get_host()}/"
    return referer if referer.startswith(origin) else ""
