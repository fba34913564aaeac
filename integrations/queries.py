"""Reading integrations: the hook an address names, the subscriptions an event goes to."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from integrations.models import Delivery, IncomingHook, Subscription


def hook_for_token(token: str) -> IncomingHook | None:
    """The active hook at this address whose integration is active, or None: an
    unknown address, a hook turned off and a deactivated account all look alike."""
    hook = (
        IncomingHook.objects.select_related("integration__account", "group")
        .filter(token=token, active=True)
        .first()
    )
    if hook is None or not hook.integration.is_active:
        return None
    return hook


def subscriptions_for(event: str) -> list[Subscription]:
    """Active subscriptions to ``event`` of active integrations (filtered here, in
    Python: ``events`` is a JSON list, and there are a handful of subscriptions)."""
    subscriptions = Subscription.objects.filter(
        active=True, integration__account__is_active=True
    ).select_related("integration__account")
    return [s for s in subscriptions if event in s.events]


def due_deliveries(before: datetime) -> QuerySet[Delivery]:
    """Pending deliveries whose next try was due before ``before``."""
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=before
    ).order_by("next_attempt_at")
