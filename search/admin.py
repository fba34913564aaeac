from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from search.models import Search


class OutcomeFilter(admin.SimpleListFilter):
    """A search that found nothing (a page to write) apart from one whose results
    nobody opened (words or titles to fix)."""

    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("nothing", _("Found nothing")),
            ("unopened", _("Found, nothing opened")),
            ("opened", _("A result opened")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Search]) -> QuerySet[Search]:
        if self.value() == "nothing":
            return queryset.filter(results=0)
        if self.value() == "unopened":
            return queryset.filter(results__gt=0, opened_at=None)
        if self.value() == "opened":
            return queryset.exclude(opened_at=None)
        return queryset


@admin.register(Search)
class SearchAdmin(admin.ModelAdmin):
    """The search log, read only: what people look for, pseudonymously."""

    list_display = ["term", "results", "opened_kind", "opened_position", "searched_at"]
    list_filter = [OutcomeFilter, "searched_at"]
    search_fields = ["term"]
    date_hierarchy = "searched_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
