"""The bell's fragment, shared by the page, the count fetch and the live push."""

from django.template.loader import render_to_string
from django.utils import translation

from communities.models import Person
from notices import queries


def notice_count_message(person: Person, language: str | None = None) -> str:
    """The bell's unread count as an out-of-band swap: pushed over every socket of the
    person when it changes, and fetched when a socket (re)connects.

    The count differs per person, so unlike posts it is rendered for each. It
    carries the newest unread notice's text too, in ``language`` (the page's; the
    request's when None), so that the bell can say what arrived, not only how many.
    """
    with translation.override(language or translation.get_language()):
        newest = queries.latest(person, limit=1)
        latest = newest[0].text if newest and newest[0].unread else ""
        return render_to_string(
            "notices/fragments/count.html",
            {"count": queries.unread_count(person), "latest": latest, "oob": True},
        )
