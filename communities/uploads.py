"""Checking and preparing uploaded files before they are attached to a post.

Photos must open in Pillow as JPEG, PNG, GIF or WebP; they are re-encoded
(which drops EXIF and anything hidden in the file), turned upright, scaled to
at most MAX_PHOTO_SIDE and given a thumbnail. Documents are recognised by
their content (puremagic, and the parts inside Office and OpenDocument zip
files), never by their name: PDF, Word, Excel, PowerPoint, OpenDocument and
plain UTF-8 text. Anything else is refused with a message that says why.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_SIDE = 2560
THUMBNAIL_SIDE = 640
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/png", "WEBP": "image/jpeg"}
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
LEGACY_OFFICE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}


@dataclass
class PreparedFile:
    kind: str  # Attachment.Kind value
    name: str
    content: bytes
    content_type: str
    thumbnail: bytes = b""
    width: int | None = None
    height: int | None = None


def _checked_name(upload: UploadedFile, default: str, too_large: str) -> str:
    """The upload's own file name (no path, at most 200 characters), once its size is
    known to be within ATTACHMENT_MAX_BYTES; else ValidationError with ``too_large``."""
    name = (upload.name or default).rsplit("/", 1)[-1][:200]
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            too_large % {"name": name, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    return name


def prepare(upload: UploadedFile) -> PreparedFile:
    """Check one upload and return what to store, or raise ValidationError saying why."""
    name = _checked_name(
        upload, "bestand", _("%(name)s is too large: files may be at most %(limit)s.")
    )
    content = upload.read()
    if not content:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    photo = _photo(name, content)
    if photo is not None:
        return photo
    if claims_to_be_a_photo(upload, name):
        raise ValidationError(
            _(
                "%(name)s is not a photo: its name or type says it is one, but it holds "
                "no JPEG, PNG, GIF or WebP picture. Choose the photo itself."
            )
            % {"name": name}
        )
    content_type = _document_type(content)
    if content_type is None:
        raise ValidationError(
            _(
                "%(name)s is not a photo (JPEG, PNG, GIF, WebP) or a document "
                "(PDF, Word, Excel, PowerPoint, OpenDocument or text)."
            )
            % {"name": name}
        )
    return PreparedFile("document", name, content, content_type)


PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def claims_to_be_a_photo(upload: UploadedFile, name: str) -> bool:
    """Whether the sender meant a photo: its name ends like one, or the browser called
    it an image. Such a file is never taken silently as a document."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension in PHOTO_EXTENSIONS or (upload.content_type or "").startswith("image/")


def _photo(name: str, content: bytes) -> PreparedFile | None:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if image.format not in PHOTO_FORMATS:
        return None
    content_type = PHOTO_FORMATS[image.format]
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    full = _encode(image, content_type)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    stem = name.rsplit(".", 1)[0]
    extension = ".jpg" if content_type == "image/jpeg" else ".png"
    return PreparedFile(
        "photo",
        stem + extension,
        full,
        content_type,
        thumbnail=_encode(thumb, content_type),
        width=image.width,
        height=image.height,
    )


def _encode(image: Image.Image, content_type: str) -> bytes:
    """Write the pixels only: no EXIF, no comments, no trailing data."""
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _document_type(content: bytes) -> str | None:
    try:
        kind = puremagic.magic_string(content)[0].mime_type
    except (puremagic.PureError, IndexError, ValueError):
        kind = ""
    if kind == "application/pdf":
        return kind
    if kind in LEGACY_OFFICE:
        return kind
    if content.startswith(b"PK\x03\x04"):
        return _zipped_office_type(content)
    if _is_text(content):
        return "text/plain; charset=utf-8"
    return None


def _zipped_office_type(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return mimetype
            if "[Content_Types].xml" in names:
                for folder, content_type in OOXML.items():
                    if any(n.startswith(folder) for n in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Profile photos -------------------------------------------------------------------

PROFILE_PHOTO_SIDE = 512
PROFILE_THUMBNAIL_SIDE = 128


@dataclass
class PreparedProfilePhoto:
    photo: bytes  # a square JPEG of PROFILE_PHOTO_SIDE (or the upload's smaller side)
    thumbnail: bytes  # a square JPEG of PROFILE_THUMBNAIL_SIDE


def prepare_profile_photo(upload: UploadedFile) -> PreparedProfilePhoto:
    """A profile photo from an upload: must be a JPEG, PNG, GIF or WebP photo no larger
    than ATTACHMENT_MAX_BYTES. Turned upright, centre-cropped to a square and
    re-encoded as JPEG, which drops EXIF (location!) and anything else in the file.
    Raises ValidationError saying what is wrong."""
    name = _checked_name(
        upload, "foto", _("%(name)s is too large: a photo may be at most %(limit)s.")
    )
    content = upload.read()
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image = None
    if image is None or image.format not in PHOTO_FORMATS:
        raise ValidationError(
            _("%(name)s is not a photo: choose a JPEG, PNG, GIF or WebP image.") % {"name": name}
        )
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        # Transparent parts become white rather than black.
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    side = min(image.width, image.height, PROFILE_PHOTO_SIDE)
    square = ImageOps.fit(image.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
    thumbnail = square.resize(
        (PROFILE_THUMBNAIL_SIDE, PROFILE_THUMBNAIL_SIDE), Image.Resampling.LANCZOS
    )
    return PreparedProfilePhoto(_encode(square, "image/jpeg"), _encode(thumbnail, "image/jpeg"))
