"""The emails Kring sends: a notification at once, and the daily or weekly digest.

Each is HTML with a plain-text twin, in the recipient's language, and carries
List-Unsubscribe with one-click unsubscribe (RFC 8058): a signed token names
the person and the kind of email, so the link works without logging in and
only ever changes its owner's settings. What an email shows is read through
the visibility rule when it is built, that is when it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities import queries as community_queries
from communities.models import Person, Post
from notices import queries, registry
from notices.actions import DIGEST
from notices.models import Delivery, DigestFrequency, NotificationPreferences
from notices.queries import Notice

TOKEN_SALT = "kring.unsubscribe"  # noqa: S105 - a namespace for signing, not a secret

#: What a one-click unsubscribe does: no more digests; or, for a kind of
#: notification, no more emails of it (it stays in Kring's bell).
ONE_CLICK_CHOICE = {DIGEST: DigestFrequency.NEVER, "kind": Delivery.IN_APP}

PERIOD = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
TOP_POSTS = 5
DIGEST_NOTICES = 8


# Unsubscribing ------------------------------------------------------------------


def unsubscribe_token(person_id: int, scope: str) -> str:
    """A token for one person and one kind of email ("digest" or a preference's name)."""
    return signing.dumps([person_id, scope], salt=TOKEN_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person and kind of email a token is for; ValueError if it was not made by us."""
    try:
        person_id, scope = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise ValueError("not a valid unsubscribe token") from None
    scopes = {DIGEST} | {p.name for p in registry.preferences()}
    if not isinstance(person_id, int) or scope not in scopes:
        raise ValueError("not a valid unsubscribe token")
    return person_id, scope


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(person_id: int, scope: str) -> str:
    return absolute(reverse("unsubscribe", args=[unsubscribe_token(person_id, scope)]))


def unsubscribe_choices(scope: str, prefs: NotificationPreferences) -> list[tuple[str, str]]:
    """What the unsubscribe page offers: less of it, or none, rather than all or nothing."""
    if scope == DIGEST:
        order = [DigestFrequency.DAILY, DigestFrequency.WEEKLY, DigestFrequency.NEVER]
        lower = order[order.index(prefs.digest_frequency) + 1 :]
        return [(choice.value, choice.label) for choice in lower]
    order = [Delivery.EMAIL, Delivery.DIGEST, Delivery.IN_APP, Delivery.OFF]
    current = prefs.delivery(scope)
    lower = order[order.index(current) + 1 :] if current in order else order
    return [(choice.value, choice.label) for choice in lower]


def _message(person: Person, subject: str, template: str, context: dict, scope: str):
    context = {
        **context,
        "person": person,
        "site_url": settings.SITE_URL,
        "settings_url": absolute(reverse("notice_settings")),
        "notices_url": absolute(reverse("notices")),
        "unsubscribe_url": unsubscribe_url(person.pk, scope),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notices/emails/{template}.txt", context),
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"notices/emails/{template}.html", context), "text/html"
    )
    return message


# A notification at once -------------------------------------------------------------


def notice_email(notification_id: int) -> EmailMultiAlternatives | None:
    """The email of one notification, or None when there is nothing to send any more:
    the recipient left, no longer may see what it is about, read it already, or no
    longer wants it by email."""
    notice = queries.notice_for_email(notification_id)
    if notice is None or not notice.unread:
        return None
    person = Person.objects.filter(pk=notice.recipient_id, is_active=True).exclude(email="").first()
    if person is None:
        return None
    prefs = queries.preferences(person)
    if queries.delivery_of(notice.kind, prefs) != Delivery.EMAIL:
        return None
    with translation.override(prefs.email_language()):
        return _message(
            person,
            notice.text,
            "notice",
            {"notice": notice, "notice_url": absolute(notice.open_url)},
            notice.preference,
        )


# The digest ------------------------------------------------------------------------


@dataclass
class Digest:
    person: Person
    frequency: str
    since: datetime
    notices: list[Notice] = field(default_factory=list)
    more_notices: int = 0  # unread ones beyond those the digest lists
    top_posts: list[Post] = field(default_factory=list)
    #: What the apps above notices add (``registry.register_digest_section``):
    #: each section with its items, those without items left out.
    sections: list[tuple[registry.DigestSection, list[registry.DigestItem]]] = field(
        default_factory=list
    )

    @property
    def is_empty(self) -> bool:
        return not (self.notices or self.top_posts or self.sections)


def build_digest(
    person: Person, frequency: str, since: datetime, prefs: NotificationPreferences | None = None
) -> Digest:
    """What a digest holds, read now through the visibility rule: unread notifications
    and the most talked-about posts since ``since`` from what the person follows.
    The same number of queries whatever their number."""
    prefs = prefs or queries.preferences(person)
    found, total = queries.unread_since(person, since, queries.digest_kinds(prefs), DIGEST_NOTICES)
    return Digest(
        person=person,
        frequency=frequency,
        since=since,
        notices=found,
        more_notices=total - len(found),
        top_posts=community_queries.top_posts(person, since, TOP_POSTS),
        sections=[
            (section, items)
            for section in registry.digest_sections()
            if (items := section.build(person, since))
        ],
    )


def digest_since(person: Person, frequency: str, last_sent: datetime | None) -> datetime:
    """Since the last digest, but no further back than one period."""
    start = timezone.now() - PERIOD[frequency]
    return max(last_sent, start) if last_sent else start


def digest_email(digest: Digest, prefs: NotificationPreferences) -> EmailMultiAlternatives:
    with translation.override(prefs.email_language()):
        subject = (
            _("Your day in Kring")
            if digest.frequency == DigestFrequency.DAILY
            else _("Your week in Kring")
        )
        return _message(
            digest.person,
            subject,
            "digest",
            {
                "digest": digest,
                "notices": [(n, absolute(n.open_url)) for n in digest.notices],
                "posts": [(p, absolute(reverse("post", args=[p.pk]))) for p in digest.top_posts],
                "sections": [
                    (section.label, [(item, absolute(item.url)) for item in items])
                    for section, items in digest.sections
                ],
            },
            DIGEST,
        )
