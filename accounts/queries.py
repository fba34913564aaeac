"""What the settings page reads: the language choices, where one is logged in and
one's access tokens; and which token a request's secret is."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import AccessToken, Login, SignOn, hash_secret
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


def tokens_of(person: Person) -> list[AccessToken]:
    """The person's tokens that still work or could (not revoked), newest first;
    expired ones stay listed, marked, until revoked. One query."""
    return list(AccessToken.objects.filter(person=person, revoked_at__isnull=True))


def own_token(person: Person, token_id: int) -> AccessToken | None:
    """One of the person's tokens that is not revoked yet; None for anyone else's."""
    return AccessToken.objects.filter(pk=token_id, person=person, revoked_at__isnull=True).first()


def all_tokens_of(person: Person) -> list[AccessToken]:
    """Every token of the person, revoked ones too (their data download)."""
    return list(AccessToken.objects.filter(person=person).order_by("created_at", "pk"))


def working_token(secret: str) -> AccessToken | None:
    """The token a secret is, with its person, if it works now: not revoked, not
    expired, and its account active (a deactivated or erased account's tokens stop
    at once, whatever their rows say). One query, by the hash's unique index."""
    token = (
        AccessToken.objects.select_related("person")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.person.is_active or token.person.is_erased:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token


def sign_ons_of(person: Person) -> list[SignOn]:
    """The person's accounts at the sign-on provider (their data download)."""
    return list(SignOn.objects.filter(person=person).order_by("created"))
