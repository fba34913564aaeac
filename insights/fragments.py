"""The parts of the coach's pages that change live: a nudge's progress bar, the same
for every coach watching (rendered once per language)."""

from __future__ import annotations

from django.template.loader import render_to_string

from communities.fragments import Rendered, in_each_language
from insights import queries
from insights.models import Nudge


def progress_html(nudge: Nudge, oob: bool = False) -> str:
    return render_to_string("insights/fragments/nudge_progress.html", {"nudge": nudge, "oob": oob})


def progress_messages(nudge_id: int) -> Rendered:
    """ "3 of 5 sent": an out-of-band swap into every open page of the nudge."""
    nudge = queries.progress(nudge_id)
    if nudge is None:
        return {}
    return in_each_language(lambda: progress_html(nudge, oob=True))
