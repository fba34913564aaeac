"""The logo as stored, and the app icons made from it (or from a default mark)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, UnidentifiedImageError

LOGO_MAX_SIDE = 512
LOGO_MAX_BYTES = 5 * 1024 * 1024


def prepare_logo(upload) -> ContentFile[bytes]:
    """An uploaded logo, checked by its content and re-encoded as a PNG of at most
    512 px a side (what the header, the icons and the manifest need); whatever
    else the file held (EXIF, other frames) is left behind."""
    if upload.size and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is too large: at most 5 MB."), code="too_large")
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image Kring can read. Upload a PNG, JPEG or WebP."),
            code="not_an_image",
        ) from None
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="logo.png")


def _default_mark(size: int, accent: str, *, padding: float) -> Image.Image:
    """A ring (a *kring*) in white on the accent: the mark when there is no logo."""
    image = Image.new("RGBA", (size, size), accent)
    draw = ImageDraw.Draw(image)
    inner = size * padding
    width = max(2, round(size * 0.09))
    draw.ellipse((inner, inner, size - inner, size - inner), outline="#ffffff", width=width)
    dot = size * 0.09
    centre = size / 2
    draw.ellipse((centre - dot, centre - dot, centre + dot, centre + dot), fill="#ffffff")
    return image


def app_icon(size: int, accent: str, logo_path: str = "", *, maskable: bool = False) -> bytes:
    """A square PNG icon of ``size`` px. A maskable icon keeps everything inside the
    safe zone (the middle 80 %), on a full-bleed accent background."""
    safe = 0.2 if maskable else 0.12
    if logo_path:
        canvas = Image.new("RGBA", (size, size), accent if maskable else "#ffffff")
        with Image.open(settings.MEDIA_ROOT / logo_path) as opened:
            logo = opened.convert("RGBA")
            room = round(size * (1 - 2 * safe))
            logo.thumbnail((room, room))
            canvas.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
        image = canvas
    else:
        image = _default_mark(size, accent, padding=0.3 if maskable else 0.22)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
