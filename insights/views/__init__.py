"""The coach's pages: the dashboard (dashboard.py) and nudges (nudges.py)."""

from __future__ import annotations

from django.http import HttpRequest

from communities.models import Person
from insights.queries import require_coach


def person_of(request: HttpRequest) -> Person:
    """The person asking (login is required everywhere, so never anonymous)."""
    assert isinstance(request.user, Person)
    return request.user


def coach_of(request: HttpRequest) -> Person:
    """The coach asking; PermissionDenied (403) for anyone else."""
    person = person_of(request)
    require_coach(person)
    return person
