"""Changing the organisation's style: the one write path (the admin uses it)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from organisation import colours, queries
from organisation.models import Organisation


def update_style(
    *,
    name: str | None = None,
    short_name: str | None = None,
    accent: str | None = None,
    logo: ContentFile[bytes] | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """Change what is given. ``accent`` is checked again here (readable under white
    text), so no path can store an unreadable colour; ``logo`` is a file made by
    ``images.prepare_logo``."""
    with transaction.atomic():
        organisation = queries.current()
        if name is not None:
            organisation.name = name.strip() or organisation.name
        if short_name is not None:
            organisation.short_name = short_name.strip()
        if accent is not None:
            organisation.accent = colours.validate_accent(accent)
        old_logo = organisation.logo.name if organisation.logo else ""
        if remove_logo:
            organisation.logo = ""
        if logo is not None:
            organisation.logo.save(logo.name, logo, save=False)
        organisation.save()
    new_logo = organisation.logo.name if organisation.logo else ""
    if old_logo and old_logo != new_logo:
        transaction.on_commit(lambda: organisation.logo.storage.delete(old_logo))
    return organisation
