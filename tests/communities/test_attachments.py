"""Photos and documents: checked by content, cleaned, and served only to those who may see them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities import actions
from communities.models import Attachment, Group, Post
from tests.factories import GroupFactory, PersonFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def jpeg_with_exif(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    exif[0x013B] = "Alice de Vries"  # Artist: who took it, where, with what
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, files, body="Zie bijlage"):
    return client.post("/groups/wondzorg/posts/", {"body": body, "files": files}, **HTMX)


def test_a_photo_is_reencoded_without_exif_scaled_and_given_a_thumbnail(team, client_for):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    response = upload(client_for(team.alice), [SimpleUploadedFile("vakantie.jpeg", original)])
    assert response.status_code == 200
    photo = Attachment.objects.get()
    assert (photo.kind, photo.content_type, photo.name) == ("photo", "image/jpeg", "vakantie.jpg")
    stored = Image.open(photo.file.path)
    assert not stored.getexif() and "exif" not in stored.info
    assert max(stored.size) == 2560 and (photo.width, photo.height) == stored.size
    assert max(Image.open(photo.thumbnail.path).size) == 640
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert f'src="/files/{photo.pk}/thumbnail/"' in page
    assert f'href="/files/{photo.pk}/vakantie.jpg"' in page
    full = client_for(team.bob).get(photo.get_absolute_url())
    assert full["Content-Type"] == "image/jpeg"
    assert b"".join(full.streaming_content)[:2] == b"\xff\xd8"


def test_documents_are_known_by_content_not_by_name(team, client_for):
    client = client_for(team.alice)
    upload(
        client,
        [
            SimpleUploadedFile("notities.txt", PDF),
            SimpleUploadedFile("verslag.pdf", "Gewoon tekst, één regel.\n".encode()),
        ],
    )
    pdf, text = Attachment.objects.order_by("id")
    assert (pdf.kind, pdf.content_type) == ("document", "application/pdf")
    assert text.content_type == "text/plain; charset=utf-8"
    response = client.get(pdf.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("foto.jpg", b"MZ\x90\x00" + bytes(range(256)) * 4, "is not a photo"),
        ("script.pdf", b"\x00\x01binary\xff\xfe", "is not a photo"),
        ("leeg.txt", b"", "is empty"),
    ],
)
def test_a_refused_file_says_why_and_keeps_the_typed_text(team, client_for, name, content, reason):
    response = upload(
        client_for(team.alice), [SimpleUploadedFile(name, content)], body="Mijn zorgvuldige tekst"
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert f"{name} {reason}" in html
    assert "Mijn zorgvuldige tekst</textarea>" in html
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(team, client_for, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload(client_for(team.alice), [SimpleUploadedFile("groot.pdf", PDF * 100)])
    assert response.status_code == 422
    assert "groot.pdf is too large: files may be at most 1.0" in response.content.decode()
    assert not Post.objects.exists()


def test_a_secret_groups_file_is_a_404_to_everyone_outside_it(db, client_for):
    alice = PersonFactory()
    secret = GroupFactory(privacy=Group.Privacy.SECRET, members=[alice])
    photo = SimpleUploadedFile("geheim.jpg", jpeg_with_exif((100, 80)))
    from communities.uploads import prepare

    post = actions.post_to_group(alice, secret, "geheim", files=[prepare(photo)])
    attachment = post.attachments.get()
    outsider = client_for(PersonFactory())
    for url in [attachment.get_absolute_url(), attachment.thumbnail_url()]:
        assert outsider.get(url).status_code == 404
        assert client_for(alice).get(url).status_code == 200
    actions.delete_post(alice, post)
    assert client_for(alice).get(attachment.get_absolute_url()).status_code == 404


def test_only_people_logged_in_reach_a_file(team, client, client_for):
    upload(client_for(team.alice), [SimpleUploadedFile("a.pdf", PDF)])
    response = client.get(Attachment.objects.get().get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_text_file_named_as_a_photo_is_refused_not_taken_as_a_document(team, client_for):
    fake = SimpleUploadedFile("schema.png", b"Gewoon tekst.\n", content_type="image/png")
    response = upload(client_for(team.alice), [fake], body="Het nieuwe schema")
    html = response.content.decode()
    assert response.status_code == 422
    assert "schema.png is not a photo: its name or type says it is one" in html
    assert "Het nieuwe schema</textarea>" in html
    assert not Post.objects.exists() and not Attachment.objects.exists()


def photo_on_a_post(team, client_for):
    png = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 90)).save(png, "PNG")
    upload(client_for(team.alice), [SimpleUploadedFile("IMG_2041.png", png.getvalue())])
    return Attachment.objects.get()


def test_a_photo_has_no_file_name_for_alt_text_and_its_author_is_asked_to_describe_it(
    team, client_for
):
    photo = photo_on_a_post(team, client_for)
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert f'<img src="/files/{photo.pk}/thumbnail/" alt=""' in page
    assert 'alt="IMG_2041' not in page
    assert "A photo without a description; open it full size" in page
    # The prompt is there for the author's page to show (feed.js shows it to her alone).
    assert "Describe this photo for colleagues who cannot see it" in page
    assert f'data-owner-only data-owner-id="{team.alice.pk}" hidden' in page

    alice = client_for(team.alice)
    response = alice.post(
        f"/files/{photo.pk}/describe/",
        {"description": "  Drie verpleegkundigen   bij de nieuwe wondkar "},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'alt="Drie verpleegkundigen bij de nieuwe wondkar"' in response.content.decode()
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert 'alt="Drie verpleegkundigen bij de nieuwe wondkar"' in page
    assert "Describe this photo" not in page and "without a description" not in page


def test_only_the_author_describes_a_photo_and_a_long_text_is_kept_with_a_reason(team, client_for):
    photo = photo_on_a_post(team, client_for)
    refused = client_for(team.bob).post(
        f"/files/{photo.pk}/describe/", {"description": "Een foto"}, **HTMX
    )
    assert refused.status_code == 403
    long = "een wondkar " * 30
    response = client_for(team.alice).post(
        f"/files/{photo.pk}/describe/", {"description": long}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "A description is at most 300 characters; this one has 359." in html
    assert f'value="{long}"' in html and 'aria-invalid="true"' in html
    photo.refresh_from_db()
    assert photo.description == ""
