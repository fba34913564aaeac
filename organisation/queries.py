"""Reading the organisation's style."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from organisation import colours
from organisation.models import Organisation


def current() -> Organisation:
    """The one row (one query); before an administrator saved it, the defaults,
    unsaved: reading never writes."""
    return Organisation.objects.filter(pk=1).first() or Organisation(pk=1)


@dataclass(frozen=True)
class Style:
    """What a page needs of the organisation: its name, logo and colours."""

    name: str
    app_name: str
    short_name: str  # as the administrator wrote it; empty if none
    logo_url: str
    accent: str  # as the administrator chose it: buttons with white text, the theme colour
    accent_light: str  # as text and focus ring on the light surfaces
    accent_dark: str  # the same in dark mode
    version: str  # changes with every edit: in the logo's and icons' addresses

    @property
    def theme_color(self) -> str:
        return self.accent


def style_of(organisation: Organisation) -> Style:
    version = str(int(organisation.updated_at.timestamp())) if organisation.updated_at else "0"
    accent = organisation.accent or "#0b6e6e"
    return Style(
        name=organisation.name,
        app_name=organisation.app_name,
        short_name=organisation.short_name,
        logo_url=f"{reverse('organisation_logo')}?v={version}" if organisation.logo else "",
        accent=accent,
        accent_light=colours.light_variant(accent),
        accent_dark=colours.dark_variant(accent),
        version=version,
    )


def style() -> Style:
    """The organisation's style: one query."""
    return style_of(current())
