"""What the settings page reads."""

from __future__ import annotations

from django.conf import settings

from communities.models import Person
from notices import queries as notice_queries


def email_language(person: Person) -> str:
    """The language the person's emails come in (their choice, else the site's)."""
    return notice_queries.preferences(person).email_language()


def language_choice(person: Person, current: str) -> str:
    """What the language form shows as chosen: the person's stored choice, else the
    language the page is read in now."""
    chosen = notice_queries.preferences(person).language
    spoken = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in spoken else current
