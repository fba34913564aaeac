"""Reads of the insights app that are not figures: who is a coach, segments, nudges."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from communities.models import Person


def is_coach(person: Person) -> bool:
    """Community coaches (a role an administrator grants) see the dashboard and nudge."""
    return bool(person.is_authenticated and person.is_active and person.is_coach)


def require_coach(person: Person) -> None:
    if not is_coach(person):
        raise PermissionDenied(_("Only community coaches see this."))
