"""The widget's HTML, the same for every reader: the home page's first render, the
catch-up fetch and the push all use ``incidents/fragments/``. Who follows what is
not in it (``data-followed`` on the page says so), so a push is rendered once per
language, not once per reader."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.fragments import Rendered, in_each_language
from incidents.models import Impact, Incident, Status
from incidents.queries import current_incidents


def with_hide_after(incidents: list[Incident]) -> list[Incident]:
    """Each resolved one says in how many seconds the page should drop it (a timer
    in the page, relative to now: the reader's clock may be off)."""
    now = timezone.now()
    shown = settings.INCIDENTS_SHOW_RESOLVED_SECONDS
    for incident in incidents:
        incident.hide_after = None
        if incident.is_resolved and incident.resolved_at:
            left = shown - (now - incident.resolved_at).total_seconds()
            incident.hide_after = max(0, int(left) + 1)
    return incidents


def widget_html(incidents: list[Incident]) -> str:
    return render_to_string(
        "incidents/fragments/widget.html", {"incidents": with_hide_after(incidents)}
    )


def live_message(incidents: list[Incident]) -> str:
    """The out-of-band message that replaces the widget's content on an open page."""
    return render_to_string(
        "incidents/fragments/live.html", {"incidents": with_hide_after(incidents)}
    )


def live_messages() -> Rendered:
    """The current widget, in each language, for every open home page. One query."""
    incidents = current_incidents()
    return in_each_language(lambda: live_message(incidents))


def described(update) -> list[tuple[str, str]]:
    """An update's changes as a reader reads them: (what, now), in the active language."""
    labels = {"title": _("Title"), "status": _("Status"), "impact": _("Impact"), "url": _("Link")}
    shown = []
    for name, (_before, after) in update.changes.items():
        if name not in labels:
            continue
        if name == "status":
            after = Status(after).label if after in Status.values else after
        elif name == "impact":
            after = Impact(after).label if after in Impact.values else (after or "—")
        shown.append((labels[name], str(after)))
    return shown
