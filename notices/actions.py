"""The one write path for notifications: making them, reading them, and preferences.

This and ``notices.queries`` are the only modules that use the ``notifications``
app (django-notifications-community: the ``Notification`` model and
``notify.send``); views, emails, tasks and the bell work with ``Notice``
objects. Moving to another notifications library changes only these two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from notifications.models import Notification
from notifications.signals import notify as send_notification

from communities.models import Person
from communities.signals import send_after_commit
from notices import queries, registry, signals
from notices.models import Delivery, DigestFrequency, EmailDelivery, NotificationPreferences

_emails_off: ContextVar[bool] = ContextVar("emails_off", default=False)

#: The unsubscribe scope of the digest (the others are preference names).
DIGEST = "digest"


@contextmanager
def without_emails() -> Iterator[None]:
    """Notify as usual, but send no email for it: for history loaded in bulk (the
    demo), which nobody should get 138 emails about. Notices made inside count as
    emailed, so the sweep leaves them alone too."""
    token = _emails_off.set(True)
    try:
        yield
    finally:
        _emails_off.reset(token)


# Making notifications --------------------------------------------------------------


def notify(
    kind: str,
    actor: Person,
    recipients: Iterable[Person],
    *,
    target: Any = None,
    action_object: Any = None,
    data: dict[str, Any] | None = None,
    emailed: bool = False,
) -> list[int]:
    """Notify each recipient (never the actor, never someone who turned this kind off),
    ring their bells and ask for the emails wanted at once. Returns who was notified.

    The caller decides who may hear of it, with the visibility rule; every read
    applies the rule again (``queries.visible_rows``)."""
    spec = registry.kind(kind)
    if spec is None:
        raise ValueError(f"unregistered kind of notification: {kind!r}")
    emailed = emailed or _emails_off.get()
    by_pk = {r.pk: r for r in recipients if (r.pk != actor.pk or spec.tells_actor) and r.is_active}
    prefs = queries.preferences_of(by_pk)
    wanted = [r for pk, r in by_pk.items() if queries.delivery_of(kind, prefs[pk]) != Delivery.OFF]
    if not wanted:
        return []
    with transaction.atomic():
        # The notifications app's one receiver answers with the notifications it made.
        created = cast(
            list[Notification],
            send_notification.send(
                actor,
                recipient=wanted,
                verb=kind,
                target=target,
                action_object=action_object,
                data=data or {},
                emailed=emailed,
            )[0][1],
        )
        at_once = [
            n.pk
            for n in created
            if not emailed and queries.delivery_of(kind, prefs[n.recipient_id]) == Delivery.EMAIL
        ]
        _ring([r.pk for r in wanted])
        if at_once:
            send_after_commit(signals.emails_wanted, Notification, notification_ids=at_once)
    return [r.pk for r in wanted]


def replace_notice(notification_id: int) -> None:
    """Remove a notice that a fresher one of the same thing replaces (reactions gather)."""
    Notification.objects.filter(pk=notification_id).delete()


def _ring(person_ids: list[int]) -> None:
    """After commit, the bells of these people show their new count."""
    if person_ids:
        send_after_commit(signals.notices_changed, Notification, person_ids=person_ids)


# Reading ------------------------------------------------------------------------


def open_notice(person: Person, notice_id: int) -> str | None:
    """Mark a notice read and say where it leads; None if it is not (or no longer) there."""
    notice = queries.visible_notice(person, notice_id)
    if notice is None:
        return None
    mark_read(person, notice_id)
    return notice.url


def mark_read(person: Person, notice_id: int) -> None:
    changed = Notification.objects.filter(recipient=person, pk=notice_id, unread=True).update(
        unread=False
    )
    if changed:
        _ring([person.pk])


def mark_all_read(person: Person) -> None:
    if Notification.objects.filter(recipient=person, unread=True).update(unread=False):
        _ring([person.pk])


def mark_read_until(person: Person, until: datetime) -> None:
    """Someone looked at everything that arrived until ``until`` (the demo's people
    caught up on their notifications at some moment; newer ones stay unread)."""
    rows = Notification.objects.filter(recipient=person, unread=True, timestamp__lte=until)
    if rows.update(unread=False):
        _ring([person.pk])


def mark_emailed(notification_id: int) -> None:
    """Its email is settled (sent, not needed, or failed for good): the sweep leaves it."""
    Notification.objects.filter(pk=notification_id).update(emailed=True)


# Preferences ---------------------------------------------------------------------


def save_notification_preferences(
    person: Person, values: dict[str, Any]
) -> NotificationPreferences:
    """Store what the person wants to hear of, and how (the settings page). ``values``
    holds a Delivery per registered preference name, and any of the other fields."""
    names = {p.name for p in registry.preferences()}
    fields = {"digest_frequency", "quiet_from", "quiet_until", "language"}
    unknown = set(values) - names - fields
    if unknown:
        raise ValidationError(
            _("Unknown setting: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    for name in names & set(values):
        if values[name] not in Delivery.values:
            raise ValidationError(_("Choose one of the options."))
    with transaction.atomic():
        prefs, _created = NotificationPreferences.objects.select_for_update().get_or_create(
            person=person
        )
        prefs.deliveries = {
            **(prefs.deliveries or {}),
            **{name: values[name] for name in names & set(values)},
        }
        for name in fields & set(values):
            setattr(prefs, name, values[name])
        prefs.full_clean()
        prefs.save()
    return prefs


def unsubscribe(person: Person, scope: str, choice: str) -> NotificationPreferences:
    """Change what one kind of email does, from its unsubscribe link: ``scope`` is
    "digest" (choose a frequency) or a preference (choose a delivery)."""
    if scope == DIGEST:
        field, allowed = "digest_frequency", DigestFrequency.values
    elif scope in {p.name for p in registry.preferences()}:
        field, allowed = scope, Delivery.values
    else:
        raise ValidationError(_("This link does not belong to an email of Kring."))
    if choice not in allowed:
        raise ValidationError(_("Choose one of the options."))
    return save_notification_preferences(person, {field: choice})


# Erasure -------------------------------------------------------------------------


def forget_person(person: Person) -> int:
    """An erased person's part in notifications: those they received and those they
    are the actor of (others' "Bob replied to your post"), their preferences and the
    record of the emails sent to them. The bells of those who lose an unread notice
    show their new count. Returns how many notifications went."""
    as_actor = Q(
        actor_content_type=ContentType.objects.get_for_model(Person),
        actor_object_id=str(person.pk),
    )
    rows = Notification.objects.filter(Q(recipient=person) | as_actor)
    rung = set(
        rows.exclude(recipient=person).filter(unread=True).values_list("recipient_id", flat=True)
    )
    deleted = rows.delete()[0]
    NotificationPreferences.objects.filter(person=person).delete()
    EmailDelivery.objects.filter(person=person).delete()
    _ring(sorted(rung))
    return deleted
