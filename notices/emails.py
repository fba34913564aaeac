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
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
#: The visibility rule is asked first about this many of a batch's ranked posts: what
#: someone follows usually holds their five among them, and a short question is
#: cheaper to build, send and answer than one about every post of the period.
RANKED_FIRST = 50
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


class Digests:
    """The digests of a batch of people, each built when it is sent, from what they
    share read once for the batch: who they are, their preferences and last digests,
    the period's posts ranked by how much they were talked about, who has unread
    notices or a section's items at all, and each post's card, rendered once per
    language.

    What one digest shows is still read through the visibility rule for its
    reader when it is built: of the ranked posts, only those the rule lets onto
    their home timeline (``queries.on_home_timeline``); their notices through
    ``visible_rows``; a section through its app's rule. So a digest with nothing
    in it costs one query and no template, and a full one the same queries
    whatever it holds."""

    def __init__(
        self,
        frequency: str,
        people: dict[int, Person],
        prefs: dict[int, NotificationPreferences],
        since: dict[int, datetime],
    ) -> None:
        self.frequency = frequency
        self.people = people
        self.prefs = prefs
        self.since = since
        # Read for the batch: a query each, none when nobody in it gets a digest.
        earliest = min(since.values(), default=timezone.now())
        ids = list(people)
        self.ranking = queries.talked_about(earliest) if ids else []
        self.unread = queries.unread_kinds(ids, earliest) if ids else {}
        self.with_items = {
            section.name: section.who(ids, earliest)
            for section in registry.digest_sections()
            if section.who is not None and ids
        }
        self.posts: dict[int, Post] = {}  # those a reader was let see, with their authors
        self.cards: dict[tuple[int, str], Card] = {}
        self.questions: dict[tuple[int, ...], queries.HomeTimelineQuestion] = {}

    @classmethod
    def of(cls, person_ids: list[int], frequency: str) -> Digests:
        """For these people, those who get this frequency's digest now: active, with an
        address, who chose it. Six queries (with the agenda's section)."""
        found = Person.objects.filter(pk__in=person_ids, is_active=True).exclude(email="")
        people = found.in_bulk()
        prefs = {
            pk: chosen
            for pk, chosen in queries.preferences_of(people).items()
            if chosen.digest_frequency == frequency
        }
        people = {pk: people[pk] for pk in prefs}
        last = queries.last_digests(people)
        since = {pk: digest_since(person, frequency, last.get(pk)) for pk, person in people.items()}
        return cls(frequency, people, prefs, since)

    def build(self, person_id: int) -> Digest | None:
        """What the person's digest holds now; None if they get none."""
        person = self.people.get(person_id)
        if person is None:
            return None
        since, prefs = self.since[person_id], self.prefs[person_id]
        kinds = queries.digest_kinds(prefs)
        unread = self.unread.get(person_id, {})
        found, total = [], 0
        if any(unread[kind] >= since for kind in kinds if kind in unread):
            found, total = queries.unread_since(person, since, kinds, DIGEST_NOTICES, looked=True)
        return Digest(
            person=person,
            frequency=self.frequency,
            since=since,
            notices=found,
            more_notices=total - len(found),
            top_posts=self._top_posts(person, since),
            sections=[
                (section, items)
                for section in registry.digest_sections()
                if self._may_have_items(section, person_id)
                and (items := section.build(person, since))
            ],
        )

    def email(self, person_id: int) -> EmailMultiAlternatives | None:
        """The person's digest to send now; None when they get none or it would be empty."""
        digest = self.build(person_id)
        if digest is None or digest.is_empty:
            return None
        return digest_email(digest, self.prefs[person_id], self.cards)

    def _question(self, post_ids: list[int]) -> queries.HomeTimelineQuestion:
        """The rule's question about these posts, compiled once for the batch's readers
        (most share their period, so the same posts)."""
        key = tuple(post_ids)
        if key not in self.questions:
            self.questions[key] = queries.HomeTimelineQuestion(post_ids)
        return self.questions[key]

    def _may_have_items(self, section: registry.DigestSection, person_id: int) -> bool:
        return section.who is None or person_id in self.with_items[section.name]

    def _top_posts(self, person: Person, since: datetime) -> list[Post]:
        """The most talked-about posts since ``since`` on the person's home timeline,
        not their own: the batch's ranking, with the visibility rule asked about its
        posts for this reader, the first ``RANKED_FIRST`` of them, and about the rest
        only if those held fewer than ``TOP_POSTS`` for them. One query or two, and
        one more for posts no one before them in the batch was shown."""
        ranked = [talked for talked in self.ranking if talked.created_at >= since]
        allowed: set[int] = set()
        for part in (ranked[:RANKED_FIRST], ranked[RANKED_FIRST:]):
            if len(allowed) < TOP_POSTS and part:
                allowed |= self._question([talked.id for talked in part]).ask(person)
        top = [talked for talked in ranked if talked.id in allowed][:TOP_POSTS]
        self.posts.update(queries.posts_for_digest(t.id for t in top if t.id not in self.posts))
        posts = []
        for talked in top:
            post = self.posts.get(talked.id)
            if post is not None:  # gone since the ranking
                # Read by the digest's card; not a field of Post, so mypy does not know it.
                post.reaction_count = talked.reactions  # type: ignore[attr-defined]
                posts.append(post)
        return posts


def build_digest(
    person: Person, frequency: str, since: datetime, prefs: NotificationPreferences | None = None
) -> Digest:
    """What one person's digest holds since ``since``, read now through the visibility
    rule: unread notifications and the most talked-about posts from what the person
    follows. The same number of queries whatever their number."""
    prefs = prefs or queries.preferences(person)
    digest = Digests(frequency, {person.pk: person}, {person.pk: prefs}, {person.pk: since})
    built = digest.build(person.pk)
    assert built is not None  # the person is in it
    return built


def digest_since(person: Person, frequency: str, last_sent: datetime | None) -> datetime:
    """Since the last digest, but no further back than one period."""
    start = timezone.now() - PERIOD[frequency]
    return max(last_sent, start) if last_sent else start


@dataclass(frozen=True)
class Card:
    """A post as digests show it, in one language: the same for every reader."""

    html: str
    text: str


def post_card(post: Post, language: str, cards: dict[tuple[int, str], Card]) -> Card:
    """The post's card in the active language, rendered once per batch of digests."""
    key = (post.pk, language)
    if key not in cards:
        context = {"post": post, "url": absolute(reverse("post", args=[post.pk]))}
        cards[key] = Card(
            mark_safe(render_to_string("notices/emails/digest_post.html", context).strip()),  # noqa: S308 - rendered by the template, escaped there
            render_to_string("notices/emails/digest_post.txt", context).strip(),
        )
    return cards[key]


def digest_email(
    digest: Digest,
    prefs: NotificationPreferences,
    cards: dict[tuple[int, str], Card] | None = None,
) -> EmailMultiAlternatives:
    """The digest as an email; ``cards``: the post cards a batch rendered already."""
    cards = {} if cards is None else cards
    language = prefs.email_language()
    with translation.override(language):
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
                "cards": [post_card(post, language, cards) for post in digest.top_posts],
                "sections": [
                    (section.label, [(item, absolute(item.url)) for item in items])
                    for section, items in digest.sections
                ],
            },
            DIGEST,
        )
