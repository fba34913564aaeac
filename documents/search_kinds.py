"""Documents can be found: by their title (weighed most), their description, their
#tags and the text inside the current version's file. Registered with ``search``
from ``DocumentsConfig.ready``; who finds one is the document rule: everyone for
the organisation's library, the group's readers for a group's."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.models import Document, DocumentVersion
from search import registry
from search.models import Audience
from search.registry import Kind


def document_document(document: Document) -> registry.Document:
    current = document.current
    tags = " ".join(f"#{tag.name}" for tag in document.tags.all())
    return registry.Document(
        title=document.title,
        body="\n".join(
            part for part in (document.description, current.text if current else "", tags) if part
        ),
        created_at=document.created_at,
        audience=Audience.of_group_or_organisation(document.group_id),
        group_id=document.group_id,
        person_id=document.uploaded_by_id,
    )


def _described(document: Document) -> str:
    if document.group is None:
        return gettext("Document in the organisation's library")
    return gettext("Document in %(group)s") % {"group": document.group.name}


def register() -> None:
    registry.register_section("documents", _("Documents"), order=24, preview=5)
    registry.register_kind(
        Kind(
            name="document",
            section="documents",
            model=Document,
            document=document_document,
            visible_to=lambda person: Document.objects.visible_to(person),
            everything=lambda: Document.objects.select_related("current").prefetch_related("tags"),
            template="search/fragments/hit_document.html",
            url=lambda document: document.get_absolute_url(),
            described=_described,
            related=("group", "current", "uploaded_by"),
        )
    )
    # The text read from a file is saved on its version: the document's entry follows.
    registry.watch(DocumentVersion, "document", lambda version: [version.document_id])
    registry.watch_many(Document.tags.through, "document", lambda document: [document.pk])
