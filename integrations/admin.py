"""The admin of integrations. Every save goes through ``integrations.actions``: an
integration's account is made with it, a hook's integration joins the hook's
group, a subscription to a host not allowed is refused. The delivery log is read
only; "send again" makes a new delivery of the same event."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations import actions, tasks
from integrations.forms import SubscriptionForm
from integrations.models import AllowedHost, Delivery, IncomingHook, Integration, Subscription


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ("name", "account_username", "active", "created_at")
    search_fields = ("name", "account__username")
    fields = ("name", "description", "account_username", "active")
    readonly_fields = ("account_username", "active")

    @admin.display(description=_("account"))
    def account_username(self, integration: Integration) -> str:
        return integration.account.username if integration.pk else "—"

    @admin.display(description=_("active"), boolean=True)
    def active(self, integration: Integration) -> bool | None:
        return integration.is_active if integration.pk else None

    def save_model(self, request, obj, form, change):
        saved = actions.save_integration(request.user, obj)
        obj.pk, obj.account = saved.pk, saved.account


@admin.register(IncomingHook)
class IncomingHookAdmin(admin.ModelAdmin):
    list_display = ("integration", "group", "active", "created_at")
    list_filter = ("active",)
    fields = ("integration", "group", "active", "address", "secret")
    readonly_fields = ("address", "secret")

    @admin.display(description=_("address"))
    def address(self, hook: IncomingHook) -> str:
        if not hook.pk:
            return str(_("Shown once saved."))
        return settings.SITE_URL + reverse("hook_incoming", args=[hook.token])

    def save_model(self, request, obj, form, change):
        actions.save_hook(request.user, obj)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("integration", "url", "active", "created_at")
    list_filter = ("active",)
    readonly_fields = ("secret",)

    def save_model(self, request, obj, form, change):
        actions.save_subscription(request.user, obj)


@admin.register(AllowedHost)
class AllowedHostAdmin(admin.ModelAdmin):
    list_display = ("host",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event", "subscription__integration")
    list_select_related = ("subscription__integration",)
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def send_again(self, request, queryset):
        ids = actions.send_again(request.user, queryset.select_related("subscription"))
        transaction.on_commit(lambda: tasks.queue(ids))
        messages.success(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(ids)
            )
            % {"count": len(ids)},
        )
