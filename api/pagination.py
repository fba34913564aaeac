"""The API's one way to page a list: a cursor, so a page does not shift when new
items arrive between two requests (as an offset does on a busy feed)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class Cursor(CursorPagination):
    """Newest first by ``created_at`` unless the view sets ``ordering``; 50 a page,
    ``?page_size=`` up to 200. Items with the same time keep their place (DRF counts
    an offset within a tie)."""

    ordering = "-created_at"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
