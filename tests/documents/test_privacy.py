"""A group's documents reach exactly the group's readers, on every path: the list, the
document's page, the download of each version, search (by a word inside the file),
and the notification of a new version. For a secret and a closed group, for the five
viewers of ``tests/test_privacy.build_world``; and what an outsider gets for a
document does not differ from what anyone gets for one that does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import actions
from documents.models import Document
from notices import queries as notice_queries
from tests.documents import files
from tests.documents.helpers import checked
from tests.test_privacy import ENTITLED, VIEWERS, build_world


def add_private(alice, group, word: str) -> Document:
    document = actions.add_document(
        alice,
        title=f"Dossier {group.slug}",
        description="vertrouwelijk",
        tags=["vertrouwelijk"],
        group=group,
        file=checked("dossier.docx", files.docx_bytes(f"Het woord {word} staat in het bestand")),
    )
    actions.replace_file(alice, document, checked("dossier-2.docx", files.docx_bytes(word)))
    return document


def paths(document: Document) -> list[str]:
    return [
        reverse("document_list"),
        reverse("document_list") + "?tag=vertrouwelijk",
        reverse("document_list") + f"?group={document.group.slug}",
        reverse("document_list") + "?type=word",
        document.get_absolute_url(),
        reverse("document_edit", args=[document.pk]),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", ["geheim", "team"])
def test_a_groups_documents_reach_only_its_readers_on_every_path(slug, client_for):
    alice, viewers, private = build_world()
    word = f"zoekwoord{slug}"
    document = add_private(alice, private[slug], word)
    title = f"Dossier {slug}"
    for name, viewer in viewers.items():
        client = client_for(viewer)
        entitled = name in ENTITLED
        for url in paths(document):
            response = client.get(url)
            if url.endswith("/edit/"):
                # Only the uploader and managers may edit; nobody else learns it exists.
                expected = 200 if name == "manager" else (403 if entitled else 404)
                assert response.status_code == expected, (name, url)
                continue
            assert response.status_code in (200, 404), url
            assert (title in response.content.decode()) == entitled, (name, url)
        for version in document.versions.all():
            download = client.get(version.get_absolute_url())
            assert download.status_code == (200 if entitled else 404), (name, version.number)
        for url in (
            reverse("search") + f"?q={word}",
            reverse("search") + f"?q={word}&kind=documents",
            reverse("search_suggestions") + f"?q={word}",
        ):
            html = client.get(url).content.decode()
            found = f"/search/open/document/{document.pk}/" in html
            assert found == entitled, (name, url)
            if "suggestions" not in url:
                assert (f"{word}</mark>" in html) == entitled, (name, url)
        if name != "manager":
            forms = [
                client.post(reverse("document_replace", args=[document.pk])).status_code,
                client.post(reverse("document_delete", args=[document.pk])).status_code,
            ]
            assert forms == [403 if entitled else 404] * 2, name
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", ["geheim", "team"])
def test_the_notice_of_a_new_version_reaches_only_an_uploader_who_may_still_see_it(
    slug, client_for
):
    """Each viewer uploaded a document of the group (the outsiders while they could);
    Alice uploads a new version of each: only those who may still read the group hear."""
    alice, viewers, private = build_world()
    for name, viewer in viewers.items():
        document = actions.add_document(
            alice,
            title=f"Van {name} in {slug}",
            group=private[slug],
            file=checked("a.docx", files.docx_bytes("x")),
        )
        Document.objects.filter(pk=document.pk).update(uploaded_by=viewer)
        document.refresh_from_db()
        actions.replace_file(alice, document, checked("b.docx", files.docx_bytes("y")))
    for name, viewer in viewers.items():
        text = f"uploaded a new version of “Van {name} in {slug}”"
        told = [n.text for n in notice_queries.latest(viewer)]
        page = client_for(viewer).get("/notifications/").content.decode()
        assert (any(text in t for t in told), text in page) == (name in ENTITLED,) * 2, name


def without_tokens(html: str) -> str:
    import re

    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("viewer", ["outsider", "other_member", "removed"])
def test_an_outsider_gets_the_page_of_a_document_that_does_not_exist(db, client_for, viewer):
    alice, viewers, private = build_world()
    document = add_private(alice, private["geheim"], "ultrageheimx")
    client = client_for(viewers[viewer])
    missing = document.pk + 1000
    pairs = [
        (document.get_absolute_url(), reverse("document", args=[missing])),
        (
            document.current.get_absolute_url(),
            reverse("document_download", args=[missing, 2, "dossier-2.docx"]),
        ),
        (
            reverse("document_download", args=[document.pk, 1, "x"]),
            reverse("document_download", args=[missing, 1, "x"]),
        ),
        (reverse("document_edit", args=[document.pk]), reverse("document_edit", args=[missing])),
    ]
    for real, absent in pairs:
        got, none = client.get(real), client.get(absent)
        assert got.status_code == none.status_code == 404
        assert without_tokens(got.content.decode()).replace(real, "URL") == without_tokens(
            none.content.decode()
        ).replace(absent, "URL")
    listed = client.get(reverse("document_list") + "?group=geheim").content.decode()
    nowhere = client.get(reverse("document_list") + "?group=nergens").content.decode()
    assert without_tokens(listed).replace("geheim", "X") == without_tokens(nowhere).replace(
        "nergens", "X"
    )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_organisations_library_is_read_by_every_active_colleague(db, client_for, viewer):
    alice, viewers, private = build_world()
    document = actions.add_document(
        alice, title="Voor iedereen", file=checked("a.pdf", files.pdf_bytes("x"))
    )
    client = client_for(viewers[viewer])
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(document.current.get_absolute_url()).status_code == 200
    viewers[viewer].is_active = False
    viewers[viewer].save()
    assert Document.objects.visible_to(viewers[viewer]).count() == 0


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    alice, viewers, private = build_world()
    document = actions.add_document(
        alice, title="Voor iedereen", file=checked("a.pdf", files.pdf_bytes("x"))
    )
    for url in (
        reverse("document_list"),
        document.get_absolute_url(),
        document.current.get_absolute_url(),
        reverse("document_upload"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
