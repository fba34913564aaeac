"""Where an act comes from: the request that made it, or else the command or task.

Actions do not see the request. ``middleware.AuditContextMiddleware`` puts the
person's address, browser and the request itself in a context variable for the
request's life; ``actions.record`` reads it. Outside a request (a management
command, a Celery task) the origin is the command line or the task's name.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from limits.addresses import client_address

USER_AGENT_MAX = 500


@dataclass(frozen=True)
class Origin:
    ip_address: str | None
    user_agent: str
    description: str
    # request.user, unevaluated: the person acting, when an action names none.
    person: Any = None


_current: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def origin_of(request: HttpRequest) -> Origin:
    return Origin(
        ip_address=client_address(request),
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
        description=f"{request.method} {request.path}"[:300],
        person=getattr(request, "user", None),
    )


@contextmanager
def acting_from(origin: Origin) -> Iterator[Origin]:
    """Acts recorded inside come from ``origin``."""
    token = _current.set(origin)
    try:
        yield origin
    finally:
        _current.reset(token)


def current() -> Origin:
    """The request's origin; outside one, the task or command running."""
    found = _current.get()
    if found is not None:
        return found
    return Origin(ip_address=None, user_agent="", description=_outside_a_request())


def _outside_a_request() -> str:
    task = _celery_task_name()
    if task:
        return f"task {task}"
    program, *arguments = sys.argv or [""]
    if program.endswith("manage.py") and arguments:
        return f"manage.py {arguments[0]}"[:300]
    return " ".join(sys.argv)[:300]


def _celery_task_name() -> str:
    worker = sys.modules.get("celery")
    if worker is None:
        return ""
    task = getattr(worker, "current_task", None)
    return str(getattr(task, "name", "") or "") if task else ""
