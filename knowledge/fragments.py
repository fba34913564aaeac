"""HTML fragments of knowledge pages pushed to open pages: nothing in them depends
on who looks but the language, so each is rendered once per language."""

from __future__ import annotations

from django.template.loader import render_to_string

from communities.fragments import Rendered, in_each_language
from knowledge.models import Page


def updated_messages(page_id: int, editor) -> Rendered:
    """ "Updated by <name> just now", with a link to the new version, for every open
    copy of the page (an out-of-band swap into its ``#page-updates`` live region)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return {}
    context = {"page": page, "editor": editor}
    return in_each_language(lambda: render_to_string("knowledge/fragments/updated.html", context))
