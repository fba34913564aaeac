"""Writing the audit trail. ``record`` is called by the acts themselves, inside their
transaction: an act that rolls back leaves no entry, and an entry that cannot be
written undoes the act (nothing done by a manager goes unrecorded)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import context, queries
from audit.models import Entry, Verb

if TYPE_CHECKING:
    from communities.models import Group, Person

# Stored, not translated: the label stands for whoever it was, in any language.
ERASED_PERSON = "erased person"
SYSTEM = "system"


def record(
    verb: Verb,
    *,
    actor: Person | None,
    target: Person | None = None,
    group: Group | None = None,
    **detail: Any,
) -> Entry:
    """Write one entry of what ``actor`` did. With no actor, the person of the request
    (if any) acted; outside a request, the system did, through the command or task in
    ``origin``. ``detail`` holds what else tells the act apart (ids, roles, a reason):
    plain JSON values, no names (``forget_person`` rewrites labels, not details).

    Call it inside the act's ``transaction.atomic()``, after the act's writes."""
    origin = context.current()
    if actor is None and origin.person is not None and origin.person.is_authenticated:
        actor = origin.person
    return Entry.objects.create(
        verb=verb,
        actor=actor,
        actor_label=label(actor) if actor is not None else SYSTEM,
        target=target,
        target_label=label(target) if target is not None else "",
        group=group,
        group_label=group.name if group is not None else "",
        detail=detail,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        origin=origin.description,
    )


def label(person: Person) -> str:
    name = person.display_name or person.get_full_name()
    return f"{name} ({person.username})" if name else person.username


def forget_person(person: Person) -> int:
    """Keep the entries about someone who is erased, but not who they were: their
    labels become "erased person", the links to their account go, and so do the
    address and browser of what they did. Returns how many entries named them."""
    with transaction.atomic():
        named = Entry.objects.filter(Q(actor=person) | Q(target=person)).count()
        Entry.objects.filter(actor=person).update(
            actor=None, actor_label=ERASED_PERSON, ip_address=None, user_agent=""
        )
        Entry.objects.filter(target=person).update(target=None, target_label=ERASED_PERSON)
    return named


def prune(now: datetime | None = None) -> int:
    """Remove the entries older than ``AUDIT_RETENTION_DAYS``; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _by_model = queries.older_than(cutoff).delete()
    return deleted
