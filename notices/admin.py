from django.contrib import admin

from notices.models import EmailDelivery, NotificationPreferences


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Every email Kring meant to send; filter on *failed* for the dead-letter log."""

    list_display = ("key", "person", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    list_select_related = ("person",)
    search_fields = ("key", "person__username", "last_error")
    readonly_fields = ("key", "person", "attempts", "created_at", "sent_at", "last_error")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = ("person", "digest_frequency", "quiet_from", "quiet_until")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
