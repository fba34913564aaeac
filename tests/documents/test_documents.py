"""Adding, replacing, editing and deleting documents: who may, what is kept, and that a
refused file leaves the rest of the form as it was typed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import actions as community_actions
from communities.models import Group
from documents import actions
from documents.models import Document, DocumentVersion
from tests.documents import files
from tests.documents.helpers import add, checked
from tests.factories import PersonFactory


def test_a_member_adds_a_document_to_the_groups_library_with_tags(team):
    document = add(
        team.bob, group=team.group, description="Hoe we wonden verzorgen", tags=["wondzorg"]
    )
    assert document.group == team.group
    assert [t.name for t in document.tags.all()] == ["wondzorg"]
    version = document.current
    assert (version.number, version.name, version.kind) == (1, "protocol.docx", "word")
    assert version.size == version.file.size and version.file.name.startswith("documents/")
    assert version.content_type == files.DOCX


def test_only_members_add_to_a_groups_library(team):
    outsider = PersonFactory(username="dave")
    with pytest.raises(PermissionDenied):
        add(outsider, group=team.group)
    assert not Document.objects.exists()


def test_everyone_adds_to_the_organisations_library(team):
    assert add(PersonFactory(username="dave")).group is None


def test_tags_are_typed_with_hashes_or_commas():
    assert actions.parse_tags("#Protocol #hygiëne, wondzorg  #protocol #") == [
        "protocol",
        "hygiëne",
        "wondzorg",
    ]


def test_replacing_makes_a_new_version_and_keeps_the_earlier_ones(team, client_for):
    first_content = files.docx_bytes("eerste versie")
    document = actions.add_document(
        team.bob,
        title="Protocol",
        group=team.group,
        file=checked("protocol.docx", first_content),
    )
    client = client_for(team.bob)
    response = client.post(
        reverse("document_replace", args=[document.pk]),
        {"file": files.upload("protocol-2.docx", files.docx_bytes("tweede versie"))},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current.number == 2 and document.current.name == "protocol-2.docx"
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Version 2: protocol-2.docx" in page and "Version 1: protocol.docx" in page
    for number, name in ((1, "protocol.docx"), (2, "protocol-2.docx")):
        download = client.get(reverse("document_download", args=[document.pk, number, name]))
        assert download.status_code == 200
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Type"] == files.DOCX
    first = b"".join(client.get(reverse("document_download", args=[document.pk, 1, "x"])))
    assert first == first_content  # the earlier version, as it was uploaded


@pytest.mark.parametrize("who", ["uploader", "manager", "member", "staff", "outsider"])
def test_who_may_replace_edit_and_delete_a_groups_document(team, who):
    document = add(team.bob, group=team.group)
    person = {
        "uploader": team.bob,
        "manager": team.alice,
        "member": team.carol,
        "staff": PersonFactory(username="admin", is_staff=True),
        "outsider": PersonFactory(username="dave"),
    }[who]
    allowed = who in ("uploader", "manager")
    acts = [
        lambda: actions.replace_file(person, document, checked("n.docx", files.docx_bytes("n"))),
        lambda: actions.edit_document(person, document, title="Nieuw", description="", tags=[]),
        lambda: actions.delete_document(person, document),
    ]
    for act in acts:
        if allowed:
            act()
        else:
            with pytest.raises(PermissionDenied):
                act()
    assert Document.objects.exists() != allowed


@pytest.mark.parametrize("who", ["uploader", "staff", "someone"])
def test_who_may_change_a_document_of_the_organisations_library(team, who):
    document = add(team.bob)
    person = {
        "uploader": team.bob,
        "staff": PersonFactory(username="admin", is_staff=True),
        "someone": team.carol,
    }[who]
    if who == "someone":
        with pytest.raises(PermissionDenied):
            actions.delete_document(person, document)
    else:
        actions.delete_document(person, document)
    assert Document.objects.exists() == (who == "someone")


def test_the_pages_hide_the_forms_and_refuse_the_acts_of_who_may_not_change(team, client_for):
    document = add(team.bob, group=team.group)
    client = client_for(team.carol)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Upload a new version" not in page and "Delete this document" not in page
    assert client.post(reverse("document_delete", args=[document.pk])).status_code == 403
    assert client.get(reverse("document_edit", args=[document.pk])).status_code == 403
    replaced = client.post(
        reverse("document_replace", args=[document.pk]),
        {"file": files.upload("x.docx", files.docx_bytes("x"))},
    )
    assert replaced.status_code == 403
    assert DocumentVersion.objects.count() == 1


def test_deleting_removes_every_version_and_its_file(team, django_capture_on_commit_callbacks):
    document = add(team.bob, group=team.group)
    actions.replace_file(team.bob, document, checked("b.docx", files.docx_bytes("b")))
    stored = [v.file for v in DocumentVersion.objects.all()]
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_document(team.alice, document)
    assert not DocumentVersion.objects.exists()
    assert not any(f.storage.exists(f.name) for f in stored)


def test_editing_changes_title_description_and_tags(team, client_for):
    document = add(team.bob, group=team.group, tags=["oud"])
    response = client_for(team.bob).post(
        reverse("document_edit", args=[document.pk]),
        {"title": "Nieuwe titel", "description": "Nieuw", "tags": "#nieuw, #wondzorg"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Nieuwe titel"
    assert sorted(t.name for t in document.tags.all()) == ["nieuw", "wondzorg"]


# Refused files ----------------------------------------------------------------


def test_uploading_through_the_form(team, client_for):
    response = client_for(team.bob).post(
        reverse("document_upload"),
        {
            "title": "",
            "description": "Voor iedereen",
            "tags": "#protocol",
            "library": "wondzorg",
            "file": files.upload("Wondprotocol.docx", files.docx_bytes("wondzorg")),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.title == "Wondprotocol.docx" and document.group == team.group


def _refused(client, upload, **fields):
    data = {
        "title": "Mijn titel",
        "description": "Mijn beschrijving",
        "tags": "#protocol #hygiene",
        "library": "wondzorg",
        "file": upload,
        **fields,
    }
    response = client.post(reverse("document_upload"), data)
    assert response.status_code == 422
    assert not Document.objects.exists()
    html = response.content.decode()
    assert 'value="Mijn titel"' in html and "Mijn beschrijving</textarea>" in html
    assert 'value="#protocol #hygiene"' in html
    assert '<option value="wondzorg" selected>' in html
    return html


def test_a_file_of_the_wrong_type_is_refused_and_the_form_keeps_the_rest(team, client_for):
    html = _refused(client_for(team.bob), files.upload("virus.docx", b"MZ\x90\x00\x03binary"))
    assert "virus.docx is not a file the library takes" in html


def test_a_legacy_office_file_is_refused(team, client_for):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(ValidationError):
        checked("oud.doc", ole)


def test_a_file_too_large_is_refused_before_it_is_read(team, client_for, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    html = _refused(client_for(team.bob), files.upload("groot.pdf", files.pdf_bytes("x" * 2000)))
    assert "groot.pdf is too large: a document may be at most 1000" in html


def test_a_library_not_ones_own_cannot_be_chosen(team, client_for):
    other = Group.objects.create(name="Ander", slug="ander")
    response = client_for(team.bob).post(
        reverse("document_upload"),
        {"title": "t", "library": other.slug, "file": files.upload("a.pdf", files.pdf_bytes("a"))},
    )
    assert response.status_code == 422 and not Document.objects.exists()


def test_text_csv_and_pictures_are_taken(team):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    assert checked("lijst.csv", b"naam;afdeling\nCarol;Kliniek\n").content_type.startswith(
        "text/plain"
    )
    picture = checked("foto.png", out.getvalue())
    assert picture.content_type == "image/png" and picture.content == out.getvalue()


def test_names_are_made_safe(team):
    assert actions.safe_name('..\\..\\"evil"\r\n.pdf') == "_evil___.pdf"
    assert actions.safe_name("") == "document"


def test_the_group_page_links_to_its_library(team, client_for):
    html = client_for(team.bob).get(team.group.get_absolute_url()).content.decode()
    assert reverse("document_list") + "?group=wondzorg" in html


def test_a_removed_member_no_longer_downloads_a_closed_groups_document(team, client_for):
    team.group.privacy = Group.Privacy.CLOSED
    team.group.save()
    document = add(team.bob, group=team.group)
    community_actions.remove_member(team.alice, team.group, team.carol)
    url = document.current.get_absolute_url()
    assert client_for(team.carol).get(url).status_code == 404
    assert client_for(team.bob).get(url).status_code == 200


def test_a_body_too_large_for_a_document_is_refused_before_it_is_read(settings):
    from limits.bodies import body_limit

    assert body_limit("/documents/new/") == settings.DOCUMENT_MAX_BYTES + 1024 * 1024
    assert body_limit("/documents/7/replace/") == settings.DOCUMENT_MAX_BYTES + 1024 * 1024
    assert body_limit("/documents/7/edit/") == settings.FORM_BODY_MAX_BYTES


def test_a_name_beyond_ascii_is_downloaded_under_its_own_name(team, client_for):
    document = actions.add_document(
        team.bob, title="Café", file=checked("Café-regels.pdf", files.pdf_bytes("x"))
    )
    response = client_for(team.bob).get(document.current.get_absolute_url())
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''Caf%C3%A9-regels.pdf")


def test_opening_the_form_does_not_count_against_the_upload_limit(team, client_for, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "2/h"}
    client = client_for(team.bob)
    for _ in range(4):
        assert client.get(reverse("document_upload")).status_code == 200
    for n in range(2):
        upload = files.upload(f"d{n}.pdf", files.pdf_bytes("x"))
        response = client.post(reverse("document_upload"), {"library": "wondzorg", "file": upload})
        assert response.status_code == 302
    upload = files.upload("d3.pdf", files.pdf_bytes("x"))
    response = client.post(reverse("document_upload"), {"library": "wondzorg", "file": upload})
    assert response.status_code == 429
