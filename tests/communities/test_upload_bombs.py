"""Decompression bombs: a small file that would unpack to gigabytes is refused with a
message, before it is unpacked, and the form keeps what was typed."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Attachment, Post
from tests.factories import PersonFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def docx(document: bytes) -> bytes:
    """A Word file (an Office Open XML zip) whose text part is ``document``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def post_files(client, *files, body="Mijn zorgvuldige tekst"):
    return client.post("/groups/wondzorg/posts/", {"body": body, "files": list(files)}, **HTMX)


def refused_keeping_the_text(client, upload) -> str:
    """Post ``upload`` with a text; assert it is refused, nothing posted, the text kept;
    return the form as it came back."""
    response = post_files(client, upload)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Mijn zorgvuldige tekst</textarea>" in html
    assert not Post.objects.exists() and not Attachment.objects.exists()
    return html


def test_a_tiny_png_claiming_50000_by_50000_pixels_is_refused_and_the_text_kept(team, client_for):
    bomb = png_claiming(50_000, 50_000)
    assert len(bomb) < 100
    html = refused_keeping_the_text(client_for(team.alice), SimpleUploadedFile("scan.png", bomb))
    assert "scan.png is too large a picture" in html
    assert "at most 50 million pixels" in html


def test_a_photo_just_past_the_pixel_limit_is_refused_from_its_header(team, client_for, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = post_files(
        client_for(team.alice), SimpleUploadedFile("foto.png", png_claiming(1001, 1000))
    )
    assert response.status_code == 422
    assert "foto.png is too large a picture: 1001 × 1000 pixels" in response.content.decode()


def test_a_profile_photo_bomb_is_refused_and_the_profile_form_keeps_what_was_typed(db, client_for):
    emma = PersonFactory(username="emma", job_title="")
    response = client_for(emma).post(
        "/settings/profile/",
        {
            "job_title": "Wondverpleegkundige",
            "photo": SimpleUploadedFile("ik.png", png_claiming(50_000, 50_000)),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "ik.png is too large a picture" in html
    assert 'value="Wondverpleegkundige"' in html
    emma.refresh_from_db()
    assert emma.job_title == "" and not emma.photo


def test_a_word_file_that_unpacks_a_thousandfold_is_refused_and_the_text_kept(team, client_for):
    bomb = docx(b"<w:document>" + b"0" * 50 * 1024 * 1024 + b"</w:document>")
    assert len(bomb) < 100 * 1024  # 50 MB packed into less than 100 KB
    html = refused_keeping_the_text(
        client_for(team.alice), SimpleUploadedFile("verslag.docx", bomb)
    )
    assert "verslag.docx is refused: it would unpack to 50.0" in html


def test_an_archive_of_too_many_parts_or_too_much_in_all_is_refused(team, client_for, settings):
    settings.ARCHIVE_MAX_ENTRIES = 2
    response = post_files(
        client_for(team.alice), SimpleUploadedFile("a.docx", docx(b"<w:document/>"))
    )
    assert (
        "a.docx is refused" in response.content.decode()
        and "in 3 parts" in response.content.decode()
    )
    settings.ARCHIVE_MAX_ENTRIES = 5000
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1000
    response = post_files(
        client_for(team.alice),
        SimpleUploadedFile("b.docx", docx(b"<w:t>%s</w:t>" % bytes(range(256)) * 8)),
    )
    assert "b.docx is refused" in response.content.decode()


def test_an_ordinary_word_file_is_still_taken(team, client_for):
    text = b"".join(
        b"<w:p><w:t>Regel %d van het verslag over wondzorg.</w:t></w:p>" % i for i in range(20000)
    )
    ordinary = docx(b"<w:document><w:body>" + text + b"</w:body></w:document>")
    response = post_files(client_for(team.alice), SimpleUploadedFile("verslag.docx", ordinary))
    assert response.status_code == 200
    document = Attachment.objects.get()
    assert document.content_type.endswith("wordprocessingml.document")
