"""Major incidents in the admin, to look at: they come from the service desk
(the API, the hook, the poller) through ``actions.record_incident``, so an edit
here would bypass the history, the followers' notifications and the live widget,
and be overwritten by the desk's next update. Read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from incidents.models import Incident, IncidentUpdate


class IncidentUpdateInline(admin.TabularInline):
    model = IncidentUpdate
    fields = ("at", "created", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "status", "impact", "source", "opened_at", "resolved_at")
    list_filter = ("status", "impact", "source")
    search_fields = ("number", "title", "external_id")
    readonly_fields = (
        "source",
        "external_id",
        "number",
        "title",
        "status",
        "impact",
        "url",
        "opened_at",
        "updated_at",
        "resolved_at",
        "changed_at",
    )
    inlines = [IncidentUpdateInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing is allowed by the view permission; saving is never offered.
        return False
