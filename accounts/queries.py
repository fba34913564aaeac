"""What the settings page reads: the language choices and where one is logged in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import Login, SignOn
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


@dataclass(frozen=True)
class LoginSeen:
    """One place the person is logged in, as the settings page lists it."""

    login: Login
    this_device: bool


def logins_of(person: Person, session_key: str | None) -> list[LoginSeen]:
    """Where the person is logged in: this device first, then the most recently
    active. Only sessions that have not expired (``clearsessions`` deletes those
    later). One query."""
    logins = Login.objects.filter(person=person, session__expire_date__gt=timezone.now()).order_by(
        "-last_seen", "-pk"
    )
    seen = [LoginSeen(login, login.session_id == session_key) for login in logins]
    return sorted(seen, key=lambda item: not item.this_device)


def is_this_device(person: Person, login_id: int, session_key: str | None) -> bool:
    return (
        session_key is not None
        and Login.objects.filter(pk=login_id, person=person, session_id=session_key).exists()
    )


def sign_ons_of(person: Person) -> list[SignOn]:
    """The person's accounts at the sign-on provider (their data download)."""
    return list(SignOn.objects.filter(person=person).order_by("created"))
