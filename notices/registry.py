"""The kinds of notification, registered by the apps they belong to.

A *preference* is one line of the notification settings ("Someone mentions
me"): how a person wants to hear of some kinds, and its default. A *kind* is
one sort of notification ("Bob replied to your post"): the preference that
governs it, its wording, where it leads, and what it points at. What it
points at is a *target*: a model and the rule for who may still see its
objects, applied whenever a notification is listed, counted, opened or
emailed, so a notification of something a person may no longer see is gone
for them.

An app registers its preferences, targets and kinds from its
``AppConfig.ready()``; ``notices`` never imports the apps above it. Adding a
kind is one ``register_kind`` call: the settings page, unsubscribe links,
digests and the visibility check all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import Model, QuerySet

    from communities.models import Person
    from notices.queries import Notice


@dataclass(frozen=True)
class Preference:
    """One choice on the settings page, stored under ``name`` (also in unsubscribe links)."""

    name: str
    label: Any  # a lazy translation
    default: str  # a ``Delivery`` value


@dataclass(frozen=True)
class Target:
    """Something notifications point at: a model, and who may still see its objects."""

    model: type[Model]
    #: The model's visibility rule: the objects this person may see.
    visible_to: Callable[[Person], QuerySet[Any]]
    #: What to load with each object, so a page of notices costs the same queries
    #: whatever its length.
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One sort of notification, stored as the notification's verb (``name``)."""

    name: str
    preference: str
    #: What happened, in a sentence, in the active language: the bell, the page and emails.
    text: Callable[[Notice], str]
    #: Where the notice leads: always something the recipient may see.
    url: Callable[[Notice], str]
    #: What it is about; None when it is about the actor alone (a new follower).
    target: Target | None = None
    #: A second thing it is about (the reply of "replied to your post"): it must still be there.
    action_object: Target | None = None
    #: A short plain quote of what it is about, or "".
    excerpt: Callable[[Notice], str] = field(default=lambda notice: "")
    #: Repeated in every digest, whatever the person chose for its preference; and first.
    always_in_digest: bool = False
    #: Told to its actor too: a notice of what someone asked for themselves (their
    #: data download is ready). Other kinds never tell the actor of their own doing.
    tells_actor: bool = False


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest section: what, where it leads (a path), and when."""

    text: str
    url: str
    at: datetime | None = None


@dataclass(frozen=True)
class DigestSection:
    """A part of the digest that an app above ``notices`` adds ("Your events in the
    coming week"). ``build(person, since)`` returns its items, read through the
    app's visibility rule, in a fixed number of queries; none: the section is left out.

    ``who(person_ids, since)``, if given, says for a batch of digests in one cheap
    query which of these people may have items (more is fine, fewer is not): the
    others' digests skip ``build``, so an empty digest stays cheap."""

    name: str
    label: Any  # a lazy translation
    build: Callable[[Person, datetime], list[DigestItem]]
    who: Callable[[Sequence[int], datetime], set[int]] | None = None


_preferences: dict[str, Preference] = {}
_targets: dict[type, Target] = {}
_kinds: dict[str, Kind] = {}
_digest_sections: dict[str, DigestSection] = {}


def register_preference(name: str, label: Any, default: str) -> Preference:
    preference = Preference(name, label, default)
    if _preferences.setdefault(name, preference) != preference:
        raise ValueError(f"preference {name!r} is registered already")
    return preference


def register_target(
    model: type[Model],
    visible_to: Callable[[Person], QuerySet[Any]],
    related: tuple[str, ...] = (),
) -> Target:
    target = Target(model, visible_to, tuple(related))
    if _targets.setdefault(model, target) != target:
        raise ValueError(f"a target for {model.__name__} is registered already")
    return target


def register_kind(kind: Kind) -> Kind:
    if kind.preference not in _preferences:
        raise ValueError(f"kind {kind.name!r}: no preference {kind.preference!r}")
    for target in (kind.target, kind.action_object):
        if target is not None and _targets.get(target.model) is not target:
            raise ValueError(f"kind {kind.name!r}: register its target first")
    if _kinds.setdefault(kind.name, kind) != kind:
        raise ValueError(f"kind {kind.name!r} is registered already")
    return kind


def preferences() -> list[Preference]:
    """In the order they were registered: the order of the settings page."""
    return list(_preferences.values())


def preference(name: str) -> Preference:
    return _preferences[name]


def targets() -> list[Target]:
    return list(_targets.values())


def target_for(model: type) -> Target | None:
    return _targets.get(model)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def register_digest_section(
    name: str,
    label: Any,
    build: Callable[[Person, datetime], list[DigestItem]],
    who: Callable[[Sequence[int], datetime], set[int]] | None = None,
) -> DigestSection:
    section = DigestSection(name, label, build, who)
    if _digest_sections.setdefault(name, section) != section:
        raise ValueError(f"digest section {name!r} is registered already")
    return section


def digest_sections() -> list[DigestSection]:
    """In the order they were registered: their order in the digest."""
    return list(_digest_sections.values())
