from django.contrib import admin
from django.http import HttpRequest

from audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read only: entries are written by the acts themselves, never added, changed or
    removed here (beat removes them after ``AUDIT_RETENTION_DAYS``). Superusers read
    them; give other staff the "Can view audit entry" permission."""

    list_display = (
        "created_at",
        "actor_label",
        "verb",
        "target_label",
        "group_label",
        "ip_address",
    )
    list_filter = (
        "verb",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("actor_label", "target_label", "group_label", "ip_address", "user_agent")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "verb",
        "actor_label",
        "actor",
        "target_label",
        "target",
        "group_label",
        "group",
        "detail",
        "ip_address",
        "user_agent",
        "origin",
    )
    readonly_fields = fields
    # Counting every entry for "N total" is a second full count on a long trail.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
