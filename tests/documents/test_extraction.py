"""The text inside each kind of file is read by the Celery task queued after the
upload commits (never in the request), kept within its bound, and found by search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import actions, tasks
from documents.models import DocumentVersion
from tests.documents import files
from tests.documents.helpers import checked

FORMATS = [
    ("richtlijn.docx", files.docx_bytes),
    ("rooster.xlsx", files.xlsx_bytes),
    ("scholing.pptx", files.pptx_bytes),
    ("notulen.odt", files.odt_bytes),
    ("protocol.pdf", files.pdf_bytes),
]


def add_file(person, name, content, django_capture_on_commit_callbacks, group=None):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.add_document(
            person, title="Een document", group=group, file=checked(name, content)
        )


@pytest.mark.parametrize(("name", "make"), FORMATS)
def test_the_text_inside_each_format_is_read_after_commit(
    team, name, make, django_capture_on_commit_callbacks
):
    document = add_file(
        team.bob,
        name,
        make("Zorgvuldige wondzorg bij decubitus"),
        django_capture_on_commit_callbacks,
    )
    version = DocumentVersion.objects.get(document=document)
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "wondzorg bij decubitus" in version.text


def test_nothing_is_read_in_the_request_before_commit(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = actions.add_document(
            team.bob, title="t", file=checked("a.docx", files.docx_bytes("wondzorg"))
        )
    assert document.current.extraction == DocumentVersion.Extraction.PENDING
    assert document.current.text == ""
    assert callbacks  # the task, queued once the upload commits


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kapot.docx", files.docx_bytes("wondzorg")[:-200]),
        ("geheim.pdf", files.encrypted_pdf_bytes("wondzorg")),
        ("kapot.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"),
    ],
)
def test_a_broken_or_encrypted_file_is_marked_failed(
    team, name, content, django_capture_on_commit_callbacks, client_for
):
    from documents.models import Document

    content_type = (
        files.DOCX if name.endswith(".docx") else "application/pdf"
    )  # as recognised at upload; the content is broken past its first bytes
    checked_file = actions.CheckedFile(name, content, content_type, "0" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.add_document(team.bob, title="Kapot", file=checked_file)
    version = DocumentVersion.objects.get(document=document)
    assert version.extraction == DocumentVersion.Extraction.FAILED and version.text == ""
    page = client_for(team.bob).get(Document.objects.get().get_absolute_url())
    assert "its text could not be read for search" in page.content.decode()


def test_the_text_kept_is_bounded(team, settings, django_capture_on_commit_callbacks):
    settings.DOCUMENT_TEXT_MAX_CHARS = 50
    document = add_file(
        team.bob, "lang.txt", ("wondzorg " * 1000).encode(), django_capture_on_commit_callbacks
    )
    assert len(DocumentVersion.objects.get(document=document).text) == 50


def test_a_picture_has_no_text_to_read(team, django_capture_on_commit_callbacks):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    document = add_file(team.bob, "foto.png", out.getvalue(), django_capture_on_commit_callbacks)
    assert document.current.extraction == DocumentVersion.Extraction.NONE


def test_the_task_again_writes_the_same_and_a_gone_version_is_nothing(
    team, django_capture_on_commit_callbacks
):
    document = add_file(
        team.bob, "a.docx", files.docx_bytes("wondzorg"), django_capture_on_commit_callbacks
    )
    assert tasks.extract_text(document.current.pk) == "done"
    assert tasks.extract_text(999999) == "gone"


def test_search_finds_a_document_by_a_word_inside_its_file(team_committed, client_for):
    """Committed for real: the task runs after the upload's commit, and its save of the
    text re-indexes the document after its own."""
    team = team_committed
    document = actions.add_document(
        team.bob,
        title="Een document",
        group=team.group,
        file=checked(
            "richtlijn.docx",
            files.docx_bytes("Bij twijfel over wondzorg bel de wondverpleegkundige"),
        ),
    )
    html = client_for(team.carol).get(reverse("search") + "?q=wondverpleegkundige").content.decode()
    assert "Documents" in html and "hit-document" in html
    assert "<mark>wondverpleegkundige</mark>" in html
    assert document.title in html and "Word" in html
    # A new version's text replaces the old one's in the index.
    actions.replace_file(
        team.bob, document, checked("v2.docx", files.docx_bytes("Alleen nog hygiëne"))
    )
    html = client_for(team.carol).get(reverse("search") + "?q=wondverpleegkundige").content.decode()
    assert "hit-document" not in html
    html = client_for(team.carol).get(reverse("search") + "?q=hygiëne").content.decode()
    assert "hit-document" in html


def test_search_finds_by_title_description_and_tag(
    team, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_document(
            team.bob,
            title="Handhygiëne",
            description="Over handschoenen",
            tags=["infectiepreventie"],
            file=checked("a.pdf", files.pdf_bytes("niets bijzonders")),
        )
    client = client_for(team.carol)
    for word in ("Handhygiëne", "handschoenen", "infectiepreventie"):
        html = client.get(reverse("search") + f"?q={word}").content.decode()
        assert "hit-document" in html, word
