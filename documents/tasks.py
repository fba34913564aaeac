"""Celery tasks of the document library: reading the text inside a file for search.

Queued after commit by the actions that store a file, never run in the request.
Taking an id and reading the database when it runs, it is idempotent: run again
(a redelivery), it reads the same file and writes the same text.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from documents import extraction
from documents.models import DocumentVersion

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def extract_text(version_id: int) -> str:
    """Read the text of one version and keep it (saving it re-indexes its document)."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    try:
        with version.file.open("rb") as file:
            content = file.read()
        text = extraction.extract(version.content_type, content, settings.DOCUMENT_TEXT_MAX_CHARS)
        state = DocumentVersion.Extraction.DONE
    except (extraction.Unreadable, OSError) as error:
        logger.warning("could not read the text of document version %s: %s", version_id, error)
        text, state = "", DocumentVersion.Extraction.FAILED
    version.text = text.replace("\x00", "")
    version.extraction = state
    version.save(update_fields=["text", "extraction"])
    return state
