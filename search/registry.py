"""What can be found, registered by the apps it belongs to.

A *kind* is one sort of thing in the index ("post", "person"): its model, how
one of its objects reads as a ``Document`` (or ``None``: not to be found, e.g.
deleted), the model's own visibility rule (applied again to every hit shown,
so a stale entry can never show what its rule refuses), and how a hit looks.
A *section* groups kinds on the results page ("Posts and replies").

An app registers its kinds from its ``AppConfig.ready()``; ``search`` never
imports the apps above it. Registering a kind also watches its model: every
save and delete re-indexes the object after commit. ``watch`` adds the models
an object's document reads besides its own (a person's profile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import signals

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from communities.models import Person


@dataclass(frozen=True)
class Document:
    """What the index keeps of one object."""

    title: str
    body: str
    created_at: datetime
    #: An ``Audience`` value: who may find it, with ``group_id``.
    audience: str
    group_id: int | None = None
    #: Whose it is (the author; a person's own entry): the "by" filter.
    person_id: int | None = None


@dataclass(frozen=True)
class Section:
    name: str
    label: Any  # a lazy translation
    #: Where it comes on the results page, lowest first.
    order: int
    #: How many of its hits the page of all kinds shows (the rest: its own page).
    preview: int


@dataclass(frozen=True)
class Kind:
    name: str
    section: str
    model: type[Model]
    #: The object as the index keeps it, or None if it is not to be found.
    document: Callable[[Any], Document | None]
    #: The model's visibility rule: the objects this person may see.
    visible_to: Callable[[Person], QuerySet[Any]]
    #: Every object of the kind, for rebuilding the index (in pk order).
    everything: Callable[[], QuerySet[Any]]
    #: The template of one hit (gets ``hit``: its object, snippet and position).
    template: str
    #: Where a hit leads.
    url: Callable[[Any], str]
    #: What a suggestion says under its text: "Group", "Post by Bob in Wondzorg".
    described: Callable[[Any], str] = lambda obj: ""
    #: Offered first as one types, in the header's box (the others follow, a few).
    suggested: bool = False
    #: What to load with each hit, so a page costs the same queries whatever its length.
    related: tuple[str, ...] = ()
    #: The fields its document reads: a save of only other fields (a login's
    #: ``last_login``) re-indexes nothing. None: every save re-indexes.
    fields: frozenset[str] | None = None
    #: A new object is indexed when its app announces it, not by its first save:
    #: a new post is indexed with its announcement (``post_published``), off the
    #: post request.
    announced: bool = False


_sections: dict[str, Section] = {}
_kinds: dict[str, Kind] = {}


def _not_yet(kind: str, pk: int) -> None:
    raise RuntimeError("search.indexing sets the scheduler when it is imported")


#: Called with (kind, pk) for each change watched; ``indexing`` sets it, so this
#: module, below it, never imports it.
_schedule: Callable[[str, int], None] = _not_yet


def on_change(schedule: Callable[[str, int], None]) -> None:
    global _schedule
    _schedule = schedule


def register_section(name: str, label: Any, order: int, preview: int = 5) -> Section:
    section = Section(name, label, order, preview)
    _sections[name] = section
    return section


def register_kind(kind: Kind) -> Kind:
    if kind.section not in _sections:
        raise LookupError(f"Register the section {kind.section!r} before its kinds.")
    _kinds[kind.name] = kind
    watch(
        kind.model, kind.name, lambda obj: [obj.pk], fields=kind.fields, created=not kind.announced
    )
    return kind


def watch(
    model: type[Model],
    kind: str,
    ids_of: Callable[[Any], Iterable[int]],
    fields: frozenset[str] | None = None,
    created: bool = True,
) -> None:
    """Re-index the ``kind`` objects ``ids_of(instance)`` whenever a ``model`` is saved
    (one of ``fields``, if given) or deleted; after commit, so nothing for a write
    that rolls back. ``created`` False: not when it is first saved (its app's
    announcement indexes it)."""

    def changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # loading fixtures: the rebuild command indexes afterwards
        if not created and kwargs.get("created"):
            return
        saved = kwargs.get("update_fields")
        if fields is not None and saved is not None and not fields & set(saved):
            return
        for pk in ids_of(instance):
            _schedule(kind, pk)

    uid = f"search:{kind}:{model._meta.label}"
    signals.post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    signals.post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")


def watch_many(through: type[Model], kind: str, ids_of: Callable[[Any], Iterable[int]]) -> None:
    """The same for a many-to-many relation (``through``): a person's expertise."""

    def changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
        if action.startswith("post_"):
            for pk in ids_of(instance):
                _schedule(kind, pk)

    signals.m2m_changed.connect(
        changed, sender=through, weak=False, dispatch_uid=f"search:{kind}:{through._meta.label}"
    )


def kind(name: str) -> Kind:
    return _kinds[name]


def kinds() -> list[Kind]:
    return list(_kinds.values())


def section(name: str) -> Section:
    return _sections[name]


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def kinds_of(section_name: str) -> list[str]:
    return [k.name for k in _kinds.values() if k.section == section_name]
