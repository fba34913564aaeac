"""Reading the document library, always through ``Document.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from communities.models import Group, Membership, Person, Tag
from documents.models import Document, DocumentVersion, FileKind


def visible_documents(person: Any) -> QuerySet[Document]:
    return Document.objects.visible_to(person)


def document_for(person: Any, document_id: int) -> Document:
    """The document if this person may see it; Document.DoesNotExist otherwise (the
    same for one they may not see as for one that does not exist)."""
    return (
        visible_documents(person)
        .select_related("group", "uploaded_by", "current")
        .prefetch_related("tags")
        .get(pk=document_id)
    )


def version_for(person: Any, document_id: int, number: int) -> DocumentVersion:
    """One version of a document this person may see; DocumentVersion.DoesNotExist otherwise."""
    return DocumentVersion.objects.select_related("document").get(
        document__in=visible_documents(person), document_id=document_id, number=number
    )


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


@dataclass(frozen=True)
class Filters:
    tag: str = ""
    group: str = ""  # a group's slug, or "organisation"
    kind: str = ""


ORGANISATION = "organisation"


def listed(person: Any, filters: Filters) -> QuerySet[Document]:
    """The documents of the list, newest first, filtered; each with what its line shows
    loaded, so a page costs the same queries however many it holds."""
    documents = visible_documents(person)
    if filters.tag:
        documents = documents.filter(tags__name=filters.tag)
    if filters.group == ORGANISATION:
        documents = documents.filter(group=None)
    elif filters.group:
        documents = documents.filter(group__slug=filters.group)
    if filters.kind in FileKind.values:
        documents = documents.filter(current__kind=filters.kind)
    return (
        documents.select_related("group", "uploaded_by", "current")
        .prefetch_related("tags")
        .order_by("-changed_at", "-id")
    )


def readable_groups_with_documents(person: Any) -> list[Group]:
    """The groups offered in the list's filter: those the person may read that have documents."""
    return list(
        Group.objects.readable_by(person)
        .filter(pk__in=Document.objects.exclude(group=None).values("group_id"))
        .order_by("name")
    )


def tags_in_use(person: Any) -> list[Tag]:
    """The tags of the documents this person may see, for the list's filter."""
    return list(
        Tag.objects.filter(documents__in=visible_documents(person)).distinct().order_by("name")
    )


def libraries_of(person: Any) -> list[Group]:
    """The groups whose library this person may add to: those they belong to."""
    return list(
        Group.objects.filter(
            pk__in=Membership.objects.filter(person=person).values("group_id")
        ).order_by("name")
    )


def may_add_to(person: Any, group: Group | None) -> bool:
    if not person.is_authenticated or not person.is_active:
        return False
    if group is None:
        return True
    return Membership.objects.filter(group=group, person=person).exists()


def may_change(person: Any, document: Document) -> bool:
    """The uploader, the group's managers, and for the organisation's library the
    administrators (staff) may replace, edit and delete a document."""
    if not person.is_authenticated or not person.is_active:
        return False
    if not visible_documents(person).filter(pk=document.pk).exists():
        return False
    if document.uploaded_by_id == person.pk:
        return True
    if document.group_id is None:
        return bool(person.is_staff)
    return Membership.objects.managing().filter(group_id=document.group_id, person=person).exists()


def imported(group: Group | None, source: str, size: int, sha256: str) -> bool:
    """Whether the file at ``source`` (as imported before) is in this library already."""
    return DocumentVersion.objects.filter(
        document__group=group, source=source, size=size, sha256=sha256
    ).exists()


def person_named(username: str) -> Person:
    return Person.objects.get(username=username)
