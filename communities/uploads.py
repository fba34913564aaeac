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
import warnings
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
    content_type = _document_type(name, content)
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


def _decoded_image(name: str, content: bytes) -> Image.Image | None:
    """The picture in ``content``, decoded; None if it holds none. One that claims more
    than IMAGE_MAX_PIXELS is refused from its header, before it is decoded: a file of
    a few kilobytes can claim 50,000 × 50,000 pixels, gigabytes once unpacked."""
    # Pillow's own guard follows the setting: past twice the limit it refuses to open
    # the file at all; its warning past the limit is ours to act on, with the size.
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                _refuse_too_many_pixels(name, probe.width, probe.height)
                probe.verify()
            image = Image.open(io.BytesIO(content))
            image.load()
    except Image.DecompressionBombError:
        raise ValidationError(_too_many_pixels_message(name)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return image


def _refuse_too_many_pixels(name: str, width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(_too_many_pixels_message(name, width, height))


def _too_many_pixels_message(name: str, width: int | None = None, height: int | None = None) -> str:
    limit = {"name": name, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000 or 1}
    if width is None:
        return (
            _(
                "%(name)s is too large a picture: at most %(limit)s million pixels fit. "
                "Choose a smaller photo, or save this one smaller."
            )
            % limit
        )
    return _(
        "%(name)s is too large a picture: %(width)s × %(height)s pixels, and at most "
        "%(limit)s million pixels fit. Choose a smaller photo, or save this one smaller."
    ) % {**limit, "width": width, "height": height}


def _photo(name: str, content: bytes) -> PreparedFile | None:
    image = _decoded_image(name, content)
    if image is None or image.format not in PHOTO_FORMATS:
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


def _document_type(name: str, content: bytes) -> str | None:
    try:
        kind = puremagic.magic_string(content)[0].mime_type
    except (puremagic.PureError, IndexError, ValueError):
        kind = ""
    if kind == "application/pdf":
        return kind
    if kind in LEGACY_OFFICE:
        return kind
    if content.startswith(b"PK\x03\x04"):
        return _zipped_office_type(name, content)
    if _is_text(content):
        return "text/plain; charset=utf-8"
    return None


def _zipped_office_type(name: str, content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _refuse_zip_bomb(name, archive.infolist())
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
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


# A part this small may pack as tightly as it likes: it cannot unpack to much.
RATIO_FREE_BYTES = 1024 * 1024


def _refuse_zip_bomb(name: str, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would unpack to too much, from the sizes its directory
    declares; nothing is unpacked (and zipfile never unpacks a part past the size
    declared for it, so a directory that lies gains nothing)."""
    unpacked = sum(entry.file_size for entry in entries)
    tightest = max(
        (
            entry.file_size / max(entry.compress_size, 1)
            for entry in entries
            if entry.file_size > RATIO_FREE_BYTES
        ),
        default=0,
    )
    if (
        len(entries) > settings.ARCHIVE_MAX_ENTRIES
        or unpacked > settings.ARCHIVE_MAX_UNPACKED_BYTES
        or tightest > settings.ARCHIVE_MAX_RATIO
    ):
        raise ValidationError(
            _(
                "%(name)s is refused: it would unpack to %(size)s in %(count)s parts, "
                "far more than a document holds (such a “zip bomb” can bring a server "
                "down). If it is a real document, save it again from its program, or "
                "share it another way."
            )
            % {"name": name, "size": filesizeformat(unpacked), "count": len(entries)}
        )


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# For other apps that keep files as they came (the document library) ---------------

ORIGINAL_IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


def file_type(name: str, content: bytes) -> str | None:
    """The content type of a file kept as it came, recognised by its content: a JPEG,
    PNG, GIF or WebP picture (decoded, refused past IMAGE_MAX_PIXELS), or a document
    as ``prepare`` recognises them (zip bombs refused); None for anything else.
    Raises ValidationError for a picture or archive too large to take."""
    image = _decoded_image(name, content)
    if image is not None and image.format in ORIGINAL_IMAGE_TYPES:
        return ORIGINAL_IMAGE_TYPES[image.format]
    return _document_type(name, content)


# Checked in the browser too ------------------------------------------------------


def size_check_attrs() -> dict[str, str]:
    """A file input's attributes with which compose.js refuses a file too large before
    anything is sent: the limits, and what to say (in the page's language)."""
    return {
        "data-max-bytes": str(settings.ATTACHMENT_MAX_BYTES),
        "data-max-total": str(settings.UPLOAD_BODY_MAX_BYTES - FORM_FIELDS_MARGIN),
        "data-too-large": _(
            "{name} is too large: a file may be at most %(limit)s. Nothing was sent: "
            "choose a smaller file."
        )
        % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
        "data-too-much": _(
            "These files are more than %(limit)s together, more than can be sent at once. "
            "Nothing was sent: choose fewer or smaller files."
        )
        % {"limit": filesizeformat(settings.UPLOAD_BODY_MAX_BYTES - FORM_FIELDS_MARGIN)},
    }


# What a form's other fields may take of the body's limit, at most.
FORM_FIELDS_MARGIN = 64 * 1024


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
    image = _decoded_image(name, content)
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
