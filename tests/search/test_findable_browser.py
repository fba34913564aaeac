"""One search finds everything Kring knows about a word, in Debian's Chromium:
"wondzorg" finds the colleague who knows about it, the knowledge page, the document
(by a word only inside its file, read by the worker) and the posts, each in its
section."""

from __future__ import annotations

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from communities import actions
from documents import actions as document_actions
from documents.models import DocumentVersion
from knowledge import actions as knowledge_actions
from tests.documents import files
from tests.documents.test_browser import library_server  # noqa: F401 - the fixture
from tests.pages import open_page
from tests.search.helpers import make_carol_the_expert

pytestmark = pytest.mark.browser


@pytest.fixture
def wound_care(team_committed):
    team = team_committed
    make_carol_the_expert(team)
    actions.post_to_group(team.alice, team.group, "Wie heeft ervaring met wondzorg bij ouderen?")
    knowledge_actions.create_page(
        team.alice,
        title="Protocol decubitus",
        body="Zo doen we de wondzorg bij decubitus: beoordelen, wisselliggen, vastleggen.",
        group=team.group,
    )
    document = document_actions.add_document(
        team.bob,
        title="Handboek verbandmiddelen",
        description="Het handboek van de kenniskring.",
        group=team.group,
        file=document_actions.check_file(
            SimpleUploadedFile(
                "handboek.docx", files.docx_bytes("Alles over wondzorg met schuimverband.")
            )
        ),
    )
    return team, document


def read_by_the_worker(document, seconds: float = 60) -> None:
    """The worker reads the file's text after the upload commits (bounded wait)."""
    deadline = time.monotonic() + seconds
    version = DocumentVersion.objects.filter(document=document)
    while version.filter(extraction=DocumentVersion.Extraction.PENDING).exists():
        assert time.monotonic() < deadline, "the worker did not read the file"
        time.sleep(0.2)
    assert version.filter(extraction=DocumentVersion.Extraction.DONE).exists()


def test_one_word_finds_the_expert_the_page_the_document_and_the_posts(
    wound_care,
    library_server,  # noqa: F811 - the fixture imported above
    browser,
):
    team, document = wound_care
    read_by_the_worker(document)
    page = open_page(browser, library_server, "bob", "/")
    box = page.get_by_role("combobox", name="Search posts, people and groups")
    box.fill("wondzorg")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("main h2")).to_have_text(
        [
            re.compile("^People"),
            re.compile("^Groups"),
            re.compile("^Knowledge pages"),
            re.compile("^Documents"),
            re.compile("^Posts and replies"),
        ]
    )
    expect(page.locator("#hits-people .hit")).to_contain_text(["Carol Smit"])
    expect(page.locator("#hits-knowledge .hit")).to_contain_text(["Protocol decubitus"])
    documents = page.locator("#hits-documents .hit")
    expect(documents).to_contain_text(["Handboek verbandmiddelen"])
    # Found by a word inside the file, shown highlighted in the snippet.
    expect(documents.locator("mark").first).to_have_text(re.compile("wondzorg", re.I))
    expect(page.locator("#hits-posts .hit")).to_contain_text(
        ["Wie heeft ervaring met wondzorg bij ouderen?"]
    )
    documents.get_by_role("link", name="Handboek verbandmiddelen").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+/"))
