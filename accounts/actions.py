"""The one write path of a person's account settings and of their logins."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import devices
from accounts.models import AccessToken, Login, SignOn, hash_secret
from audit import actions as audit_actions
from audit.models import Verb
from communities import actions as core_actions
from communities.models import Person
from limits.addresses import client_address
from notices import actions as notice_actions


def choose_language(person: Person, code: str) -> str:
    """The language a person reads Kring in is also the one their emails come in
    (notification emails, digests, a password reset). The interface language is the
    browser's cookie, which the view sets; this stores the emails' side."""
    if code not in {c for c, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the languages."))
    notice_actions.save_notification_preferences(person, {"language": code})
    return code


# Where one is logged in -------------------------------------------------------------

# What a session remembers of its login, so most requests write nothing:
# [a mark of the session key, last seen, logged in] (seconds since the epoch).
STAMP = "kring.login"
# How often "last active" moves on: at most one write per login in this time.
SEEN_EVERY = 300


def record_login(request: HttpRequest, person: Person) -> None:
    """A person has just logged in (``user_logged_in``): this session is one of their
    logins, on this browser, from this address."""
    _record(request, person, started=time.time())


def note_seen(request: HttpRequest) -> None:
    """After a logged-in request: the login's "last active" moves on, at most once
    in ``SEEN_EVERY``. A session whose key changed (a password change cycles it) or
    that began before this list was kept is recorded afresh, keeping when its login
    began as far as the session knows."""
    session = request.session
    key = session.session_key
    user = getattr(request, "user", None)
    if key is None or user is None or not user.is_authenticated:
        return
    stamp = session.get(STAMP)
    if not (isinstance(stamp, list) and len(stamp) == 3):
        _record(request, user, started=None)
    elif stamp[0] != _mark(key) or time.time() - stamp[1] >= SEEN_EVERY:
        _record(request, user, started=stamp[2])


def _record(request: HttpRequest, person: Person, started: float | None) -> None:
    session = request.session
    key = session.session_key
    if key is None:
        return
    now = time.time()
    seen = datetime.fromtimestamp(now, tz=UTC)
    browser, system = devices.describe(request.headers.get("User-Agent", ""))
    try:
        with transaction.atomic():
            Login.objects.update_or_create(
                session_id=key,
                defaults={"person": person, "last_seen": seen, "address": client_address(request)},
                create_defaults={
                    "person": person,
                    "last_seen": seen,
                    "address": client_address(request),
                    "started": datetime.fromtimestamp(started, tz=UTC) if started else None,
                    "browser": browser,
                    "system": system,
                },
            )
    except IntegrityError:
        # The session was deleted meanwhile (logged out from elsewhere): no login.
        return
    session[STAMP] = [_mark(key), now, started]


def _mark(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:12]


def end_login(person: Person, login_id: int) -> bool:
    """One of the person's logins ends: its session is deleted, which closes its open
    pages' sockets (``realtime.sessions``) and, by cascade, its row here. False if
    the person has no such login."""
    deleted, _counts = Session.objects.filter(
        kring_login__pk=login_id, kring_login__person=person
    ).delete()
    return deleted > 0


def end_all_logins(person: Person) -> int:
    """Every login of the person ends, on every device, and with it every open page's
    socket. How many sessions there were."""
    _deleted, counts = Session.objects.filter(kring_login__person=person).delete()
    return counts.get(Session._meta.label, 0)


# Access tokens for the REST API ------------------------------------------------------

# What every secret begins with, so a secret pasted into a chat or a repository is
# recognisable (and findable by secret scanners).
SECRET_PREFIX = "kr_"  # noqa: S105 (a prefix, not a secret)
# How much of the secret the lists show, to tell tokens apart: "kr_" and 5 more.
VISIBLE_PREFIX = 8
# "Last used" moves on at most this often: one write a minute, not one a request.
USED_EVERY = timedelta(minutes=1)


def make_personal_token(
    person: Person,
    name: str,
    scope: str,
    expires_at: datetime | None = None,
) -> tuple[AccessToken, str]:
    """A person makes a token that acts as themselves. Returns the token and its
    secret, which is shown to them once and kept nowhere."""
    if not person.is_active:
        raise PermissionDenied(_("A closed account makes no tokens."))
    return _make_token(person, name, scope, AccessToken.Kind.PERSONAL, None, expires_at)


def make_integration_token(
    person: Person, name: str, scope: str, made_by: Person
) -> tuple[AccessToken, str]:
    """An administrator makes a token for an integration's account (``person``):
    what the integration does through the API, that account does. Audited."""
    if not made_by.is_active or not made_by.has_perm("accounts.add_accesstoken"):
        raise PermissionDenied(_("Only an administrator makes integration tokens."))
    if not person.is_active:
        raise ValidationError(_("That account is closed: open it first."))
    with transaction.atomic():
        token, secret = _make_token(
            person, name, scope, AccessToken.Kind.INTEGRATION, made_by, None
        )
        audit_actions.record(
            Verb.TOKEN_MADE, actor=made_by, target=person, token_id=token.pk, scope=scope
        )
    return token, secret


def _make_token(
    person: Person,
    name: str,
    scope: str,
    kind: str,
    made_by: Person | None,
    expires_at: datetime | None,
) -> tuple[AccessToken, str]:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name: what it is for."))
    if scope not in AccessToken.Scope.values:
        raise ValidationError(_("Choose read, or read and write."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Choose an expiry date in the future."))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            person=person,
            name=name[:100],
            scope=scope,
            kind=kind,
            made_by=made_by,
            prefix=secret[:VISIBLE_PREFIX],
            secret_hash=hash_secret(secret),
            expires_at=expires_at,
        )
    return token, secret


def revoke_token(token: AccessToken, by: Person) -> bool:
    """The token stops working. Its owner revokes their own; an administrator any
    (one who may change tokens; audited, as an administrator's act). False if it was
    revoked already."""
    own = token.person_id == by.pk
    if not own and not (by.is_active and by.has_perm("accounts.change_accesstoken")):
        raise PermissionDenied(_("You can revoke only your own tokens."))
    with transaction.atomic():
        revoked = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked and not own:
            audit_actions.record(
                Verb.TOKEN_REVOKED, actor=by, target=token.person, token_id=token.pk
            )
    return bool(revoked)


def revoke_tokens_of(person: Person) -> int:
    """Every token of the person stops working (their account was closed): how many
    were still working. Opening the account again does not bring them back."""
    return AccessToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def delete_tokens_of(person: Person) -> int:
    """An erasure: the person's tokens go, names and all. How many there were."""
    deleted, _counts = AccessToken.objects.filter(person=person).delete()
    return deleted


def note_token_used(token: AccessToken) -> None:
    """A request came with the token: its "last used" moves on, at most once in
    ``USED_EVERY`` (one UPDATE, only when due), so the API's requests mostly write
    nothing."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USED_EVERY:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# Single sign-on ----------------------------------------------------------------------


@dataclass(frozen=True)
class SignOnClaims:
    """What the organisation's OpenID provider says of someone signing on (its id
    token and userinfo claims, read by ``accounts.sso``). ``job_title`` and
    ``department`` are None when the provider sent no such claim: then Kring
    keeps what it has."""

    issuer: str
    subject: str
    email: str = ""
    email_verified: bool = False
    username: str = ""
    display_name: str = ""
    job_title: str | None = None
    department: str | None = None


class SignOnRefused(Exception):
    """Single sign-on names someone who may not log in; ``message`` says why, for
    the login page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sign_on(claims: SignOnClaims) -> Person:
    """Someone signed on at the provider: the person they are in Kring, found or
    made, with the job title and department the provider holds (the organisation's
    directory is the source, so they are filled at every login).

    Found by the provider's (issuer, subject) first; else by a verified email
    address, if exactly one active person has it (case aside); else a new person
    is made, with no password (they log in through the provider), and their
    sign-on is remembered. An erased person is never found: their old sign-on is
    forgotten and they come back as someone new. A deactivated person is refused,
    and so is an address that two active people share (which one would it be?).
    All of it or nothing."""
    with transaction.atomic():
        known = (
            SignOn.objects.select_for_update()
            .select_related("person")
            .filter(issuer=claims.issuer, subject=claims.subject)
            .first()
        )
        if known is not None and known.person.is_erased:
            known.delete()
            known = None
        if known is not None:
            person = known.person
            _refuse_closed(person)
        else:
            person = _person_by_email(claims) or _new_person(claims)
            SignOn.objects.create(person=person, issuer=claims.issuer, subject=claims.subject)
        _fill_details(person, claims)
    return person


def forget_sign_ons(person: Person) -> int:
    """An erased person's accounts at the provider are forgotten with them."""
    deleted, _counts = SignOn.objects.filter(person=person).delete()
    return deleted


def _refuse_closed(person: Person) -> None:
    if not person.is_active:
        raise SignOnRefused(
            _("Your account in Kring is closed. Ask an administrator if that is a mistake.")
        )


def _person_by_email(claims: SignOnClaims) -> Person | None:
    if not claims.email or not (claims.email_verified or settings.OIDC_TRUST_EMAIL):
        return None
    people = list(
        Person.objects.select_for_update().filter(email__iexact=claims.email, erased_at=None)
    )
    active = [person for person in people if person.is_active]
    if len(active) > 1:
        raise SignOnRefused(
            _(
                "More than one account in Kring has your email address. Ask an "
                "administrator to tell them apart."
            )
        )
    if active:
        return active[0]
    if people:
        _refuse_closed(people[0])
    return None


def _new_person(claims: SignOnClaims) -> Person:
    taken = (
        claims.email and Person.objects.filter(email__iexact=claims.email, erased_at=None).exists()
    )
    username = _free_username(claims.username or claims.email.partition("@")[0])
    try:
        return core_actions.add_person(
            username,
            display_name=(claims.display_name.strip() or username)[:150],
            # An address someone else has (unverified): not given twice.
            email="" if taken else claims.email,
            job_title=(claims.job_title or "").strip()[:150],
            department=(claims.department or "").strip()[:150],
        )
    except ValidationError as error:
        raise SignOnRefused(
            _("Kring could not make your account from what the provider sent.")
        ) from error


def _free_username(wanted: str) -> str:
    """A username from the provider's (the part before an @), in the characters a
    mention reads, not yet taken: ``jan.smit``, else ``jan.smit-2``…"""
    base = re.sub(r"[^\w.-]+", "", wanted.partition("@")[0])[:140].strip(".-") or "person"
    username, n = base, 1
    while Person.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _fill_details(person: Person, claims: SignOnClaims) -> None:
    job_title = person.job_title if claims.job_title is None else claims.job_title.strip()[:150]
    department = person.department if claims.department is None else claims.department.strip()[:150]
    if (job_title, department) != (person.job_title, person.department):
        core_actions.update_person_details(
            person, job_title=job_title, department=department, location=person.location
        )
