"""The one write path of the document library: adding a document, replacing its file
(a new version; the earlier ones kept), editing and deleting it.

Each action checks who may do it, writes in a transaction, and after commit queues
the reading of the file's text (a Celery task) and tells whom it concerns. The
upload form and ``manage.py import_documents`` both come through here, so a file
gets the same checks whichever way it comes in.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import parsing, uploads
from communities.models import Group, Person, Tag
from documents import extraction, queries, tasks
from documents.models import Document, DocumentVersion, kind_of

logger = logging.getLogger(__name__)

NEW_VERSION = "document_new_version"
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f"\\/<>:|?*]')


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: what to store."""

    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def safe_name(raw: str) -> str:
    """The file's own name, without a path or characters that mean something to a
    browser or a file system, at most 200 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE_IN_NAMES.sub("_", name).strip(" .")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 200 - len(extension) - 1] + dot + extension) if dot else name[:200]
    return name or "document"


def too_large_message(name: str) -> str:
    return _("%(name)s is too large: a document may be at most %(limit)s.") % {
        "name": name,
        "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
    }


def wrong_type_message(name: str) -> str:
    return _(
        "%(name)s is not a file the library takes. Choose a PDF, a Word, Excel or "
        "PowerPoint file (.docx, .xlsx, .pptx), an OpenDocument file (.odt, .ods, .odp), "
        "plain text or CSV, or a picture (JPEG, PNG, GIF, WebP)."
    ) % {"name": name}


def check_file(file: File) -> CheckedFile:
    """Check a file for the library, by its size (before it is read) and its content
    (``communities.uploads``, never its name); ValidationError saying why not."""
    name = safe_name(file.name or "")
    if file.size is not None and file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(too_large_message(name), code="too_large")
    content = file.read(settings.DOCUMENT_MAX_BYTES + 1)
    if len(content) > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(too_large_message(name), code="too_large")
    if not content:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    content_type = uploads.file_type(name, content)
    if content_type is None or content_type in uploads.LEGACY_OFFICE:
        raise ValidationError(wrong_type_message(name), code="wrong_type")
    return CheckedFile(name, content, content_type, hashlib.sha256(content).hexdigest())


TAG_SEPARATORS = re.compile(r"[\s,]+")


def parse_tags(text: str) -> list[str]:
    """Tags as people type them: ``#protocol #hygiene`` (commas do as well), each in
    lower case once; anything that is not a tag is left out."""
    names: dict[str, None] = {}
    for word in TAG_SEPARATORS.split(text or ""):
        name = parsing.clean_tag(word.lstrip("#"))
        if name and re.fullmatch(r"\w[\w-]*", name):
            names[name] = None
    return list(names)


def _tags(names: list[str]) -> list[Tag]:
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def add_document(
    person: Person,
    *,
    title: str,
    file: CheckedFile,
    group: Group | None = None,
    description: str = "",
    tags: list[str] | None = None,
    source: str = "",
) -> Document:
    """Add a document to the organisation's library (``group`` None) or a group's, which
    only the group's members may add to."""
    if not queries.may_add_to(person, group):
        raise PermissionDenied(_("Only the group's members add documents to its library."))
    title = title.strip() or file.name
    with transaction.atomic():
        document = Document(
            title=title[:200], description=description.strip(), group=group, uploaded_by=person
        )
        document.full_clean(exclude=["current"])
        document.save()
        if tags:
            document.tags.set(_tags(tags))
        _store_version(person, document, file, number=1, source=source)
    return document


def replace_file(person: Person, document: Document, file: CheckedFile) -> DocumentVersion:
    """A new version of the document; the earlier ones stay, each downloadable. Its
    uploader hears of it when someone else replaced it."""
    _require_changer(person, document)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = _store_version(person, locked, file, number=number)
        if locked.uploaded_by_id and locked.uploaded_by_id != person.pk:
            uploader_id = locked.uploaded_by_id
            transaction.on_commit(lambda: _tell_uploader(person, locked.pk, uploader_id))
    document.current = version
    return version


def edit_document(
    person: Person, document: Document, *, title: str, description: str, tags: list[str]
) -> Document:
    _require_changer(person, document)
    with transaction.atomic():
        document.title = title.strip()[:200] or document.title
        document.description = description.strip()
        document.full_clean(exclude=["current"])
        document.save()
        document.tags.set(_tags(tags) if tags else [])
    return document


def delete_document(person: Person, document: Document) -> None:
    """Delete the document and every version; the files go once that has committed."""
    _require_changer(person, document)
    with transaction.atomic():
        names = [v.file.name for v in document.versions.all() if v.file]
        Document.objects.filter(pk=document.pk).update(current=None)
        document.delete()
        transaction.on_commit(lambda: _delete_files(names))


# Helpers --------------------------------------------------------------------


def _require_changer(person: Person, document: Document) -> None:
    if not queries.may_change(person, document):
        raise PermissionDenied(
            _("Only who uploaded it and the library's managers can change this document.")
        )


def _store_version(
    person: Person, document: Document, file: CheckedFile, *, number: int, source: str = ""
) -> DocumentVersion:
    readable = extraction.readable(file.content_type)
    version = DocumentVersion(
        document=document,
        number=number,
        name=file.name,
        content_type=file.content_type,
        kind=kind_of(file.content_type),
        size=file.size,
        sha256=file.sha256,
        source=source[:1000],
        uploaded_by=person,
        extraction=(
            DocumentVersion.Extraction.PENDING if readable else DocumentVersion.Extraction.NONE
        ),
    )
    version.file.save(file.name, ContentFile(file.content), save=False)
    try:
        version.save()
        document.current = version
        document.changed_at = timezone.now()
        document.save(update_fields=["current", "changed_at"])
    except Exception:
        version.file.delete(save=False)
        raise
    if readable:
        transaction.on_commit(lambda: _queue_extraction(version.pk))
    return version


def _queue_extraction(version_id: int) -> None:
    try:
        tasks.extract_text.delay(version_id)
    except Exception:
        logger.exception("could not queue the text extraction of document version %s", version_id)


def _tell_uploader(actor: Person, document_id: int, uploader_id: int) -> None:
    from notices import actions as notice_actions

    uploader = Person.objects.filter(pk=uploader_id, is_active=True).first()
    document = Document.objects.filter(pk=document_id).first()
    if uploader is None or document is None:
        return
    if not Document.objects.visible_to(uploader).filter(pk=document_id).exists():
        return
    notice_actions.notify(NEW_VERSION, actor, [uploader], target=document)


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete the document file %s", name)


def remove_uploads_of(person: Person) -> tuple[int, int]:
    """The library's part of erasing someone who asked that what they contributed go
    (``privacy.actions.erase_person``, inside its transaction): the documents they
    added, every version with them, and the versions they uploaded of others'
    documents (each of those then shows its latest version left). The files go once
    that has committed. Returns how many documents went, and how many versions of
    others' documents."""
    documents = versions_removed = 0
    names: list[str] = []
    with transaction.atomic():
        added = Document.objects.select_for_update().filter(uploaded_by=person).order_by("pk")
        for document in added:
            names += [v.file.name for v in document.versions.all() if v.file]
            Document.objects.filter(pk=document.pk).update(current=None)
            document.delete()
            documents += 1
        theirs = DocumentVersion.objects.filter(uploaded_by=person)
        touched = sorted(set(theirs.values_list("document_id", flat=True)))
        for document in Document.objects.select_for_update().filter(pk__in=touched).order_by("pk"):
            versions = list(theirs.filter(document=document))
            names += [v.file.name for v in versions if v.file]
            Document.objects.filter(pk=document.pk).update(current=None)
            DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]).delete()
            versions_removed += len(versions)
            document.current = document.versions.order_by("-number").first()
            document.save(update_fields=["current", "changed_at"])
        transaction.on_commit(lambda: _delete_files(names))
    return documents, versions_removed
