"""The one write path of integrations: the admin, the webhook view and the worker
change integrations, hooks, subscriptions and deliveries only here."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities import actions as community_actions
from communities import signals
from communities.models import Membership, Person, Post
from communities.signals import send_after_commit
from integrations import queries
from integrations.models import Delivery, IncomingHook, Integration, Subscription, check_destination

# The idempotency keys of posts made through a hook are derived in this namespace
# from the hook and the key the sender gave, so two hooks never share one.
HOOK_KEYS = uuid.UUID("5f0c2a4e-8d0b-4c61-9a3e-1b7f6d2c9e10")


def _require_administrator(person: Person) -> None:
    if not person.is_superuser:
        raise PermissionDenied(_("Only administrators manage integrations."))


def create_integration(actor: Person, *, name: str, description: str = "") -> Integration:
    """An administrator adds an integration, and with it its account: username
    ``integration-<slug>``, its name as display name, no usable password."""
    _require_administrator(actor)
    with transaction.atomic():
        slug = _unique_slug(name)
        account = community_actions.add_person(
            f"integration-{slug}", display_name=name, is_integration=True
        )
        return Integration.objects.create(
            name=name, slug=slug, description=description, account=account
        )


def save_integration(actor: Person, integration: Integration) -> Integration:
    """An administrator renames an integration: its account's display name follows."""
    if integration.pk is None:
        return create_integration(actor, name=integration.name, description=integration.description)
    _require_administrator(actor)
    with transaction.atomic():
        integration.save()
        Person.objects.filter(pk=integration.account_id).update(display_name=integration.name)
        send_after_commit(signals.person_changed, Person, person_id=integration.account_id)
    return integration


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "integration"
    slug, number = base, 2
    while (
        Integration.objects.filter(slug=slug).exists()
        or Person.objects.filter(username=f"integration-{slug}").exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_hook(actor: Person, hook: IncomingHook) -> IncomingHook:
    """An administrator makes or changes an incoming webhook. Its integration's account
    becomes a member of the hook's group (through the communities action, recorded in
    the audit trail), so posting through the hook is posting as a member."""
    _require_administrator(actor)
    with transaction.atomic():
        hook.save()
        account = hook.integration.account
        if not Membership.objects.filter(group=hook.group, person=account).exists():
            community_actions.administer_membership(
                actor, Membership(group=hook.group, person=account)
            )
    return hook


def save_subscription(actor: Person, subscription: Subscription) -> Subscription:
    """An administrator makes or changes an outgoing webhook; one to a host not
    allowed is refused (ValidationError), as at every delivery."""
    _require_administrator(actor)
    check_destination(subscription.url)
    subscription.save()
    return subscription


def post_from_hook(hook: IncomingHook, text: str, idempotency_key: str | None = None) -> Post:
    """A delivery to an incoming webhook, posted as the integration's account in the
    hook's group by the one posting action: the same permission, broadcast,
    notifications and search as a person's post. The same ``idempotency_key`` on the
    same hook gives back the post made the first time."""
    key = uuid.uuid5(HOOK_KEYS, f"{hook.pk}:{idempotency_key}") if idempotency_key else None
    return community_actions.post_to_group(
        hook.integration.account, hook.group, text, idempotency_key=key
    )


# Outgoing --------------------------------------------------------------------------


def create_deliveries(
    event: str, payload: dict[str, Any], may_see: Callable[[Person], bool]
) -> list[int]:
    """One pending delivery per active subscription to ``event`` whose integration's
    account may see what it is about; their ids."""
    now = timezone.now()
    deliveries = [
        Delivery(
            subscription=subscription,
            event=event,
            payload=payload,
            next_attempt_at=now,
        )
        for subscription in queries.subscriptions_for(event)
        if may_see(subscription.integration.account)
    ]
    with transaction.atomic():
        for delivery in deliveries:
            delivery.save()
    return [delivery.pk for delivery in deliveries]


def retry_wait(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed try a delivery is tried again."""
    waits = settings.WEBHOOK_RETRY_SECONDS or [30]
    return timedelta(seconds=waits[min(attempts, len(waits)) - 1])


def mark_delivered(delivery: Delivery, status_code: int) -> None:
    delivery.attempts += 1
    delivery.status = Delivery.Status.DELIVERED
    delivery.last_status_code = status_code
    delivery.last_error = ""
    delivery.delivered_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.save()


def mark_attempt_failed(
    delivery: Delivery, error: str, status_code: int | None = None, *, final: bool = False
) -> bool:
    """Record a failed try; the delivery waits for its next try (True), or, after
    ``WEBHOOK_MAX_ATTEMPTS`` tries or a refusal not worth retrying, has failed (False)."""
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:2000]
    if final or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + retry_wait(delivery.attempts)
    delivery.save()
    return delivery.status == Delivery.Status.PENDING


def send_again(actor: Person, deliveries: Iterable[Delivery]) -> list[int]:
    """An administrator sends deliveries again: each as a new delivery of the same
    event, so the log keeps what happened and a delivered one is never resent."""
    _require_administrator(actor)
    now = timezone.now()
    copies = [
        Delivery(
            subscription=delivery.subscription,
            event=delivery.event,
            payload=delivery.payload,
            next_attempt_at=now,
        )
        for delivery in deliveries
    ]
    with transaction.atomic():
        for copy in copies:
            copy.save()
    return [copy.pk for copy in copies]
