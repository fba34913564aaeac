"""The bell's fragment, shared by the page, the count fetch and the live push."""

from django.template.loader import render_to_string

from communities.models import Person
from notices import queries


def notice_count_message(person: Person) -> str:
    """The bell's unread count as an out-of-band swap: pushed over every socket of the
    person when it changes, and fetched when a socket (re)connects.

    The count differs per person, so unlike posts it is rendered for each; it
    holds only a number, and the page words it in its own language.
    """
    return render_to_string(
        "notices/fragments/count.html",
        {"count": queries.unread_count(person), "oob": True},
    )
