"""The library as a person uses it, in Debian's Chromium: Bob uploads a Word file through
the form; a file of the wrong type is refused with a message while the title he typed
stays; then the search page finds the document by a word inside the file.

The text is read by the task queued after the upload commits: in the server process
on the embedded default, by a real ``celery worker`` on Redis in the integration run."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import SCALED_OUT
from tests.documents import files
from tests.live import DaphneProcess, server_environment
from tests.mail import Worker
from tests.pages import open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def library_server(team_committed, tmp_path, server_logs):
    """A Daphne (and on Redis, a worker) sharing this run's database and a media folder."""
    env = {**server_environment(), "MEDIA_ROOT": str(tmp_path / "media"), "DOCUMENT_MAX_MB": "1"}
    worker = None
    if SCALED_OUT:
        worker = Worker({**env, "REDIS_URL": os.environ["REDIS_URL"]}, server_logs / "worker.log")
        worker.start()
    server = DaphneProcess("documents", server_logs, env).start()
    yield server
    server.stop()
    if worker is not None:
        worker.stop()


def file_payload(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_upload_a_word_file_refuse_a_wrong_one_then_find_it_by_a_word_inside(
    library_server, browser
):
    page = open_page(browser, library_server, "bob", "/documents/")
    page.get_by_role("link", name="Add a document").click()
    page.wait_for_url(re.compile(r"/documents/new/$"))

    # A file too large: refused in the page, before anything is sent.
    page.get_by_label("File").set_input_files(
        file_payload("scan.pdf", b"%PDF-1.4\n" + b"0" * 1_200_000, "application/pdf")
    )
    expect(page.locator("[data-refusal]")).to_have_text(
        "scan.pdf is too large: a document may be at most 1.0 MB. Nothing was sent."
    )
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_label("File")).to_be_focused()
    assert page.url.endswith("/documents/new/")

    # A program named like a document: refused, and what he typed stays.
    page.get_by_label("File").set_input_files(
        file_payload("richtlijn.docx", b"MZ\x90\x00\x03\x00\x00\x00programma", files.DOCX)
    )
    page.get_by_label("Title").fill("Richtlijn wondzorg")
    page.get_by_label("Description").fill("Hoe we wonden verzorgen")
    page.get_by_label("Tags", exact=True).fill("#protocol #wondzorg")
    page.get_by_label("Library").select_option(label="Kenniskring wondzorg")
    page.get_by_role("button", name="Add to the library").click()
    expect(page.locator("#id_file_error")).to_contain_text(
        "richtlijn.docx is not a file the library takes"
    )
    expect(page.get_by_label("Title")).to_have_value("Richtlijn wondzorg")
    expect(page.get_by_label("Description")).to_have_value("Hoe we wonden verzorgen")
    expect(page.get_by_label("Tags", exact=True)).to_have_value("#protocol #wondzorg")
    expect(page.get_by_label("Library")).to_have_value("wondzorg")

    # The real file: in the library.
    content = files.docx_bytes("Bij twijfel over de wond bel de wondverpleegkundige Zilvermeeuw")
    page.get_by_label("File").set_input_files(file_payload("richtlijn.docx", content, files.DOCX))
    page.get_by_role("button", name="Add to the library").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Richtlijn wondzorg")
    expect(page.get_by_role("link", name="Version 1: richtlijn.docx")).to_be_visible()

    # Found by a word that is only inside the file, once the task has read it.
    for _attempt in range(50):
        page.goto(f"{library_server.url}/search/?q=Zilvermeeuw")
        if page.locator(".hit-document").count():
            break
        page.wait_for_timeout(200)
    hit = page.locator("#hits-documents .hit-document")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("Richtlijn wondzorg")
    expect(hit).to_contain_text("Word")
    expect(hit.locator("mark")).to_have_text("Zilvermeeuw")
    hit.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
