"""Post cards rendered once: each post's card (``communities/fragments/post.html``)
is rendered once per version of the post and language, kept in the "cards" cache
(this process's memory on one machine, Redis when scaled out), and reused by every
page, htmx response and live push that shows the post, until the post changes.

Only HTML is kept, and only HTML that is the same for every reader: what differs
per viewer (their own reaction pressed, edit and delete controls) is decided in the
browser from data attributes (``static/kring/feed.js``), as it is for live pushes.
Which posts a reader gets is still decided by the visibility rule's queries; a
card is looked up by a post those queries gave, never the other way round.

A card's key holds everything that changes what it shows:

- the post's own change markers: ``changed_at`` (set by every reply, reaction,
  edit, photo description, pin and removal, in the writing transaction),
  ``edited_at``, ``pinned_at`` and ``reply_count``; and its ``created_at``, so
  another database's post with the same id never matches;
- the language it was rendered in;
- the *names version*: one token for the names and photos of people and the
  names of groups that cards show (authors, repliers, reactors, the group). It
  is replaced after any of those changes commits (rare: a new photo, a renamed
  group, an erasure), and then every card is rendered again once;
- the card templates' own text, so a deploy that changes them starts afresh.

The CSRF token of a form in a card belongs to the request: a card is kept with a
placeholder, which each response replaces with its own token (a live push,
which has no request, leaves it out, as before).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import get_template, render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from communities import queries, signals
from communities.models import Group, Person, Post

logger = logging.getLogger(__name__)

CACHE_ALIAS = "cards"
CARD_TEMPLATE = "communities/fragments/post.html"
# Every template a card is made of: their text is part of each key.
CARD_TEMPLATES = [
    CARD_TEMPLATE,
    "communities/fragments/post_content.html",
    "communities/fragments/reactions.html",
    "communities/fragments/pin_form.html",
    "communities/fragments/attachments.html",
    "communities/fragments/event_card.html",
    "communities/fragments/reply_count.html",
    "communities/fragments/reply.html",
    "communities/fragments/reply_form.html",
    "communities/fragments/char_count.html",
]
# Raise when a card changes in a way its templates' text does not show (a template
# tag or a model property it uses).
FORMAT = 1

CSRF_PLACEHOLDER = "kring-card-csrf-token"
_CSRF_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'

# Cache keys, under the cache's own prefix. The key prefix is changed by the tests,
# so that no test sees another's cards.
KEY_PREFIX = "card"

# What of a person or a group a card shows: a save that changes one of these
# (or an unknown set of fields) renders every card again.
PERSON_FIELDS = frozenset(
    {"username", "display_name", "first_name", "last_name", "job_title", "photo"}
    | {"photo_thumbnail", "erased_at", "is_integration"}
)
GROUP_FIELDS = frozenset({"name", "slug"})


def attach(posts: Sequence[Post]) -> None:
    """Give each post its card in the active language (``card_html``): from the
    cache, or rendered and kept for the next reader. Only the posts whose card is
    missing get their replies, reactions and attachments read (three queries for
    any number of them); the cache costs two round trips whatever the number."""
    if not posts:
        return
    language = get_language() or settings.LANGUAGE_CODE
    store = caches[CACHE_ALIAS]
    try:
        names = _names_version(store)
        keys = {post.pk: _key(post, language, names) for post in posts}
        found: dict[str, str] = store.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - the cache only saves time: render without it
        logger.warning("The card cache could not be read; cards rendered afresh", exc_info=True)
        keys, found = {}, {}
    missing = [post for post in posts if keys.get(post.pk) not in found]
    if missing:
        needing = [post for post in missing if not hasattr(post, "latest_replies")]
        if needing:
            queries.with_activity(needing)
        fresh = {}
        for post in missing:
            html = _cards_of(post)[language] = render(post)
            if post.pk in keys:
                fresh[keys[post.pk]] = html
        if fresh:
            try:
                store.set_many(fresh)
            except Exception:  # noqa: BLE001
                logger.warning("The card cache could not be written", exc_info=True)
    for post in posts:
        if post.pk in keys and keys[post.pk] in found:
            _cards_of(post)[language] = found[keys[post.pk]]


def card(post: Post, csrf_token: Any = None) -> SafeString:
    """The post's card in the active language, with ``csrf_token`` in its forms
    (none: without a token, as a live push is)."""
    language = get_language() or settings.LANGUAGE_CODE
    html = _cards_of(post).get(language)
    if html is None:
        attach([post])
        html = _cards_of(post)[language]
    token = str(csrf_token) if csrf_token else ""
    if token and token != "NOTPROVIDED":  # noqa: S105 - Django's word for no token
        tokened = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        return mark_safe(html.replace(_CSRF_INPUT, tokened))  # noqa: S308 - our own HTML
    return mark_safe(html.replace(_CSRF_INPUT, ""))  # noqa: S308 - our own HTML


def render(post: Post) -> str:
    """The card as every reader gets it: only the post in its context (no request,
    no viewer), the CSRF token a placeholder."""
    return render_to_string(CARD_TEMPLATE, {"post": post, "csrf_token": CSRF_PLACEHOLDER})


def names_changed() -> None:
    """A name, photo or group name that cards show changed: every card is rendered
    again when next shown. Called once the change has committed, so that no card is
    rendered from the old names under the new version."""
    try:
        caches[CACHE_ALIAS].set(_names_key(), uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001
        # Cards may show the old name until they expire (CARD_CACHE_SECONDS).
        logger.error("The card cache could not be told that names changed", exc_info=True)


def _cards_of(post: Post) -> dict[str, str]:
    """The post's cards found so far, by language (a live push renders in each)."""
    cards: dict[str, str] | None = getattr(post, "_cards", None)
    if cards is None:
        cards = post._cards = {}  # type: ignore[attr-defined]
    return cards


def _names_key() -> str:
    return f"{KEY_PREFIX}:names"


def _names_version(store: Any) -> str:
    version = store.get(_names_key())
    if version is None:
        # Lost (a cache that restarted or made room): a new one, so no card kept
        # under an older version can match.
        store.add(_names_key(), uuid.uuid4().hex, timeout=None)
        version = store.get(_names_key()) or "unknown"
    return str(version)


def _moment(value: datetime | None) -> str:
    return f"{value.timestamp():.6f}" if value is not None else "-"


def _key(post: Post, language: str, names: str) -> str:
    return ":".join(
        [
            KEY_PREFIX,
            str(post.pk),
            _moment(post.created_at),
            _moment(post.changed_at),
            _moment(post.edited_at),
            _moment(post.pinned_at),
            str(post.reply_count),
            language,
            names,
            _format_version(),
        ]
    )


@cache
def _format_version() -> str:
    digest = hashlib.blake2b(str(FORMAT).encode(), digest_size=6)
    for name in CARD_TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    return digest.hexdigest()


def _shown_change(created: bool, saved: dict[str, Any], shown: frozenset[str]) -> bool:
    """A save of a row that cards may show, changing what they show (or fields unknown)."""
    if created or saved.get("raw"):
        return False
    fields: Iterable[str] | None = saved.get("update_fields")
    return fields is None or bool(shown & set(fields))


@receiver(post_save, sender=Person, dispatch_uid="cards:person_saved")
def _person_saved(sender: Any, instance: Person, created: bool, **kwargs: Any) -> None:
    # Someone new is on no card yet; a login saves only when it was.
    if _shown_change(created, kwargs, PERSON_FIELDS):
        transaction.on_commit(names_changed)


@receiver(post_save, sender=Group, dispatch_uid="cards:group_saved")
def _group_saved(sender: Any, instance: Group, created: bool, **kwargs: Any) -> None:
    if _shown_change(created, kwargs, GROUP_FIELDS):
        transaction.on_commit(names_changed)


@receiver(signals.person_changed, dispatch_uid="cards:person_changed")
def _person_changed(sender: Any, **kwargs: Any) -> None:
    names_changed()  # sent after commit


@receiver(signals.reply_rewritten, dispatch_uid="cards:reply_rewritten")
def _reply_rewritten(sender: Any, **kwargs: Any) -> None:
    # A reply's text changed without its post's markers (an erased person's
    # mentions became plain text): rare, so every card goes.
    names_changed()
