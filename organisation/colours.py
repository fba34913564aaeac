"""Colour arithmetic for the accent: WCAG contrast, and a dark-mode variant.

The accent is used for links, buttons (white text on it) and the focus ring, so
it must reach 4.5:1 against white; in dark mode the same roles sit on a dark
background, where a lighter variant of the same hue is needed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WHITE = "#ffffff"
BLACK = "#000000"
# The page, card and reply backgrounds of each mode (static/kring/tokens.css:
# --bg, --surface, --surface-2): the accent is text on all of them.
LIGHT_SURFACES = ("#ffffff", "#f5f6f8", "#f0f2f5")
DARK_SURFACES = ("#12161c", "#1b2129", "#232a34")
AA_TEXT = 4.5

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def normalise(value: str) -> str:
    """``#RGB``, ``RRGGBB`` or ``#rrggbb`` as ``#rrggbb``; ValueError otherwise."""
    found = _HEX.match(value.strip())
    if not found:
        raise ValueError(value)
    digits = found.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def rgb(value: str) -> tuple[int, int, int]:
    digits = normalise(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in (red, green, blue))


def luminance(value: str) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_accent(value: str) -> str:
    """The accent as ``#rrggbb``, or a ValidationError saying what is wrong with it."""
    try:
        colour = normalise(value)
    except ValueError:
        raise ValidationError(
            _("Give the colour as a hex code such as #0b6e6e."), code="not_hex"
        ) from None
    ratio = contrast(colour, WHITE)
    if ratio < AA_TEXT:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of "
                "%(ratio).1f:1, and at least 4.5:1 is needed to be readable. "
                "Choose a darker shade."
            ),
            code="low_contrast",
            params={"ratio": ratio},
        )
    return colour


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0–1) of the way towards ``other``."""
    a, b = rgb(colour), rgb(other)
    return to_hex(*(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def readable_variant(accent: str, surfaces: tuple[str, ...], towards: str) -> str:
    """``accent`` moved towards ``towards`` just enough to reach 4.5:1 on every one
    of ``surfaces`` and on the accent's faint wash over them (pressed buttons,
    unread rows): the same hue, readable as text and as a focus ring."""
    for step in range(0, 101):
        candidate = mix(accent, towards, step / 100)
        backgrounds = [*surfaces, *(soft_tint(candidate, surface) for surface in surfaces)]
        if min(contrast(candidate, background) for background in backgrounds) >= AA_TEXT:
            return candidate
    return towards


# Every page asks (the accent changes when an administrator saves it): worked out once.
@lru_cache(maxsize=16)
def light_variant(accent: str) -> str:
    """The accent for light mode: itself when dark enough for the grey surfaces too."""
    return readable_variant(accent, LIGHT_SURFACES, BLACK)


# Every page asks (the accent changes when an administrator saves it): worked out once.
@lru_cache(maxsize=16)
def dark_variant(accent: str) -> str:
    """The accent for dark mode: lightened until readable on the dark surfaces."""
    return readable_variant(accent, DARK_SURFACES, WHITE)


def soft_tint(accent: str, background: str, amount: float = 0.12) -> str:
    """A faint wash of the accent over ``background`` (pressed buttons, unread rows)."""
    return mix(background, accent, amount)
