"""Keeping the index in step: one object at a time after each commit, or all
of a kind at once (``manage.py rebuild_search_index``).

An object is read again from the database when it is indexed, so what the
index holds is what was committed; a write that rolls back schedules nothing,
because ``schedule`` waits for the commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from search import registry, text
from search.models import Entry
from search.registry import Document

BATCH = 2000


class _Reindex:
    """Indexing one object after commit; equal to another for the same object."""

    def __init__(self, kind: str, pk: int) -> None:
        self.kind, self.pk = kind, pk

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reindex) and (other.kind, other.pk) == (self.kind, self.pk)

    def __hash__(self) -> int:
        return hash((self.kind, self.pk))

    def __call__(self) -> None:
        reindex(self.kind, self.pk)


def schedule(kind: str, pk: int) -> None:
    """Index ``kind`` object ``pk`` as it is once the current transaction commits;
    once, however often it changed in that transaction (a profile saved, then its
    topics set). A rollback drops what waits, so nothing is indexed for it."""
    job = _Reindex(kind, pk)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        job == func for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(job)


registry.on_change(schedule)


def _entry_fields(kind: str, document: Document) -> dict:
    return {
        "suggested": registry.kind(kind).suggested,
        "title": document.title,
        "body": document.body,
        "title_stems": text.stemmed(document.title),
        "body_stems": text.stemmed(document.body),
        "audience": document.audience,
        "group_id": document.group_id,
        "person_id": document.person_id,
        "created_at": document.created_at,
    }


def reindex(kind: str, pk: int) -> None:
    """The entry of one object as it now is: written, updated, or gone."""
    found = registry.kind(kind)
    obj = found.everything().filter(pk=pk).first()
    document = found.document(obj) if obj is not None else None
    with transaction.atomic():
        if document is None:
            Entry.objects.filter(kind=kind, object_id=pk).delete()
        else:
            Entry.objects.update_or_create(
                kind=kind, object_id=pk, defaults=_entry_fields(kind, document)
            )


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Index every object of ``kinds`` (all by default) again, from nothing; how many each."""
    counts: dict[str, int] = {}
    for name in kinds or [k.name for k in registry.kinds()]:
        found = registry.kind(name)
        with transaction.atomic():
            Entry.objects.filter(kind=name).delete()
            count = 0
            batch: list[Entry] = []
            for obj in found.everything().order_by("pk").iterator(chunk_size=BATCH):
                document = found.document(obj)
                if document is None:
                    continue
                batch.append(Entry(kind=name, object_id=obj.pk, **_entry_fields(name, document)))
                if len(batch) >= BATCH:
                    Entry.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            Entry.objects.bulk_create(batch)
            counts[name] = count + len(batch)
    return counts
