"""``{% icon "bell" %}``: a small set of line icons drawn as inline SVG, so that no
page depends on an emoji font. An icon is decoration (``aria-hidden``); the
control it sits in carries a visible or visually hidden label."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# 24×24, drawn with a 2 px stroke in currentColor.
PATHS: dict[str, str] = {
    "bell": '<path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/>'
    '<path d="M13.7 21a2 2 0 0 1-3.4 0"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "close": '<path d="M18 6 6 18M6 6l12 12"/>',
    "home": '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z"/>',
    "groups": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/>'
    '<path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.2a6.5 6.5 0 0 1 3.5 5.8"/>',
    "person": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "people": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "settings": '<path d="M4 7h10M18 7h2M4 17h2M10 17h10"/>'
    '<circle cx="16" cy="7" r="2"/><circle cx="8" cy="17" r="2"/>',
    "logout": '<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/>'
    '<path d="m16 17 5-5-5-5M21 12H9"/>',
    "hash": '<path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18"/>',
    "chevron-down": '<path d="m6 9 6 6 6-6"/>',
    "page": '<path d="M4 4.5A1.5 1.5 0 0 1 5.5 3H11v17H5.5A1.5 1.5 0 0 0 4 21.5z"/>'
    '<path d="M20 4.5A1.5 1.5 0 0 0 18.5 3H13v17h5.5a1.5 1.5 0 0 1 1.5 1.5z"/>',
    "document": '<path d="M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z"/>'
    '<path d="M14 3v5h5M9 13h6M9 17h6"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="1"/>'
    '<path d="M3 10h18M8 3v4M16 3v4"/>',
    "chart": '<path d="M4 20V4M4 20h16"/><path d="M8 16v-5M12 16V8M16 16v-7"/>',
    "arrow-left": '<path d="M19 12H5M12 19l-7-7 7-7"/>',
    "paperclip": '<path d="m21 11-9 9a6 6 0 0 1-8.5-8.5l9-9a4 4 0 0 1 5.7 5.7l-9 9a2 2 0 0 1'
    '-2.9-2.9l8.5-8.4"/>',
    "check": '<path d="M20 6 9 17l-5-5"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "pin": '<path d="M12 17v5M8 3h8l-1 6 3 4H6l3-4z"/>',
    # The five reactions (communities.models.Reaction.Kind), by their stored keys.
    "like": '<path d="M7 10v11H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2'
    ' 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.2 21H7"/>',
    "thanks": '<circle cx="12" cy="12" r="9"/><path d="M8 14.5s1.5 2 4 2 4-2 4-2"/>'
    '<path d="M9 9.5h.01M15 9.5h.01" stroke-width="3"/>',
    "celebrate": '<path d="m12 3 2.8 5.6 6.2.9-4.5 4.4 1 6.1-5.5-2.9L6.5 20l1-6.1L3 9.5l6.2-.9z"/>',
    "insightful": '<path d="M9 18h6M10 21.5h4"/><path d="M12 2.5a6.5 6.5 0 0 0-3.9 11.7c.6.5.9'
    ' 1.1.9 1.8v.5h6v-.5c0-.7.3-1.3.9-1.8A6.5 6.5 0 0 0 12 2.5z"/>',
    "support": '<path d="M12 20.5s-8.5-4.9-8.5-11A4.8 4.8 0 0 1 12 6.6a4.8 4.8 0 0 1 8.5 2.9c0'
    ' 6.1-8.5 11-8.5 11z"/>',
}


@register.simple_tag
def icon(name: str, size: int = 20, css: str = "") -> SafeString:
    """An inline SVG icon, hidden from assistive technology."""
    paths = PATHS.get(name)
    if paths is None:
        raise template.TemplateSyntaxError(f"no icon named {name!r}")
    return format_html(
        '<svg class="icon icon-{}{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">{}</svg>',
        name,
        f" {css}" if css else "",
        size,
        size,
        mark_safe(paths),  # noqa: S308 -- constant markup of this module
    )
