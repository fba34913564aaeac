"""With real parts: a ``celery -A project worker`` on Redis reads the text of a file
uploaded in this process (PostgreSQL), and PostgreSQL's search finds the document
by a word inside it, stemmed the Dutch way."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.urls import reverse

from documents import actions
from documents.models import DocumentVersion
from tests.documents import files
from tests.documents.helpers import checked
from tests.live import server_environment
from tests.mail import Worker, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(team_committed, server_logs):
    env = {
        **server_environment(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = Worker(env, server_logs / "documents-worker.log").start()
    yield process
    process.stop()


def test_the_worker_reads_the_file_and_search_finds_a_word_inside(
    worker, team_committed, client_for
):
    team = team_committed
    document = actions.add_document(
        team.bob,
        title="Richtlijn",
        group=team.group,
        file=checked("richtlijn.docx", files.docx_bytes("Wondverpleegkundigen verbinden wonden")),
    )
    version = DocumentVersion.objects.get(document=document)

    def read() -> bool:
        version.refresh_from_db()
        return version.extraction == DocumentVersion.Extraction.DONE

    wait_until(read)
    assert "verbinden" in version.text
    # The index follows the worker's save of the text (after its commit, in the worker).
    html = b""

    def found() -> bool:
        nonlocal html
        html = client_for(team.carol).get(reverse("search") + "?q=wondverpleegkundige").content
        return b"hit-document" in html

    wait_until(found)
    assert b"<mark>Wondverpleegkundigen</mark>" in html
