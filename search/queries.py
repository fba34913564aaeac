"""Searching: what a person finds, grouped by section, ranked or newest first,
paged by cursor; and the suggestions offered as they type.

Everything found goes through the one visibility rule twice. The index is
asked only for entries the person may see (``visible_entries``: the core's
``Group.objects.readable_by`` and ``visible_to`` about the person searching),
so results, counts and suggestions know nothing of the rest: a word that
appears only in a secret group gives an outsider the answer a word that
appears nowhere gives. Then every hit shown is loaded through its kind's own
rule (``Post.objects.visible_to`` …), so an entry not yet re-indexed can
never show what that rule refuses.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString

from communities.models import Group, Person
from search import backends, registry, text
from search.backends import Candidate
from search.models import Audience, Entry, Search
from search.registry import Section
from search.text import Query

PAGE_SIZE = 20
SUGGESTIONS = 6
SUGGESTED_POSTS = 3
# Suggestions rank among fewer matches: a handful is shown, as one types.
SUGGESTION_CANDIDATES = 100
# Characters of a suggestion's quote: about two lines in the list.
SUGGESTION_LENGTH = 80


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass
class Filters:
    section: str = ""
    group: Group | None = None
    person: Person | None = None
    since: date | None = None
    until: date | None = None
    order: str = Order.RELEVANCE


@dataclass
class Hit:
    kind: str
    object: Any
    title: SafeString
    snippet: SafeString
    #: From 1, in the order shown: logged when the hit is opened.
    position: int
    template: str
    #: What it is, in a few words (for a suggestion).
    description: str = ""


@dataclass
class SectionHits:
    section: Section
    hits: list[Hit]
    count: int
    #: More than ``count`` (only the newest matches were counted).
    count_is_floor: bool = False
    next_cursor: str = ""


@dataclass
class Results:
    query: Query
    filters: Filters
    sections: list[SectionHits] = field(default_factory=list)
    total: int = 0
    total_is_floor: bool = False

    @property
    def found_nothing(self) -> bool:
        return self.total == 0


def searches_of(person: Person) -> QuerySet[Search]:
    """This person's searches in the log, oldest first (for their data download)."""
    return Search.objects.filter(person_key=person_key(person)).order_by("searched_at")


def person_key(person: Person) -> str:
    """The same for every search of one person; nobody without the server's secret
    can tell whose."""
    return salted_hmac("kring.search.person", str(person.pk)).hexdigest()[:32]


def visible_entries(person: Person) -> QuerySet[Entry]:
    """The entries this person may find: the one visibility rule, asked about them."""
    if not person.is_authenticated or not person.is_active:
        return Entry.objects.none()
    return Entry.objects.filter(
        Q(audience=Audience.EVERYONE)
        | Q(audience=Audience.READERS, group__in=Group.objects.readable_by(person))
        | Q(audience=Audience.KNOWERS, group__in=Group.objects.visible_to(person))
    )


def _filtered(entries: QuerySet[Entry], filters: Filters) -> QuerySet[Entry]:
    if filters.section:
        entries = entries.filter(kind__in=registry.kinds_of(filters.section))
    if filters.group is not None:
        entries = entries.filter(group=filters.group)
    if filters.person is not None:
        entries = entries.filter(person=filters.person)
    zone = timezone.get_current_timezone()
    if filters.since is not None:
        entries = entries.filter(created_at__gte=datetime.combine(filters.since, time(), zone))
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time(), zone)
        entries = entries.filter(created_at__lt=end)
    return entries


def _ordered(found: list[Candidate], order: str) -> list[Candidate]:
    if order == Order.NEWEST:
        return sorted(found, key=lambda c: (c.created_at, c.entry_id), reverse=True)
    return sorted(found, key=lambda c: (c.score, c.created_at, c.entry_id), reverse=True)


# A cursor says where the next page starts: a position among the ranked
# candidates ("p"), or, newest first past every candidate of a common term, the
# date and id of the last hit shown ("b"). Opaque to the page, checked here.


def encode_cursor(**where: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(where).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        where = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        return {}
    return where if isinstance(where, dict) else {}


def _where(cursor: str) -> tuple[int, tuple[datetime, int] | None]:
    """Where a cursor says the page starts: a position, or past a (date, id); the
    start for a cursor that is not one of ours."""
    where = decode_cursor(cursor) if cursor else {}
    try:
        if "b" in where:
            return 0, (datetime.fromisoformat(where["b"][0]), int(where["b"][1]))
        return max(0, int(where.get("p", 0))), None
    except (TypeError, ValueError, IndexError, KeyError):
        return 0, None


def search(person: Person, typed: str, filters: Filters, cursor: str = "") -> Results:
    """What ``person`` finds for ``typed``: with no section chosen, a preview of each
    section; with one, a page of it."""
    query = text.parse(typed)
    results = Results(query=query, filters=filters)
    if not query:
        return results
    entries = _filtered(visible_entries(person), filters)
    start, before = _where(cursor)
    found = backends.candidates(query, entries, before=before)
    ordered = _ordered(found.found, filters.order)

    by_section: dict[str, list[Candidate]] = defaultdict(list)
    section_of = {k.name: k.section for k in registry.kinds()}
    for candidate in ordered:
        by_section[section_of.get(candidate.kind, "")].append(candidate)
    results.total = len(ordered)
    results.total_is_floor = not found.complete

    chosen: list[tuple[Section, list[Candidate], str]] = []
    for section in registry.sections():
        if filters.section and section.name != filters.section:
            continue
        mine = by_section.get(section.name, [])
        if not mine and not filters.section:
            continue
        if filters.section:
            start = min(start, len(mine))
            page = mine[start : start + PAGE_SIZE]
            after = start + PAGE_SIZE
            next_cursor = ""
            if after < len(mine):
                next_cursor = encode_cursor(p=after)
            elif filters.order == Order.NEWEST and not found.complete and page:
                last = page[-1]
                next_cursor = encode_cursor(b=[last.created_at.isoformat(), last.entry_id])
        else:
            page, next_cursor = mine[: section.preview], ""
        chosen.append((section, page, next_cursor))
        results.sections.append(
            SectionHits(section, [], count=len(mine), count_is_floor=not found.complete)
        )

    offset = start if filters.section else 0
    hits = _hits(person, query, [c for _s, page, _n in chosen for c in page], offset)
    for section_hits, (_section, page, next_cursor) in zip(results.sections, chosen, strict=True):
        section_hits.hits = [hits[c.entry_id] for c in page if c.entry_id in hits]
        section_hits.next_cursor = next_cursor
    return results


def _hits(
    person: Person,
    query: Query,
    shown: Sequence[Candidate],
    offset: int,
    snippet_length: int = text.SNIPPET_LENGTH,
) -> dict[int, Hit]:
    """The hits to show, each loaded through its kind's own visibility rule: one query
    for their text and one per kind, whatever their number."""
    if not shown:
        return {}
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=[c.entry_id for c in shown])}
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for c in shown:
        ids_by_kind[c.kind].append(c.object_id)
    objects: dict[tuple[str, int], Any] = {}
    for name, ids in ids_by_kind.items():
        kind = registry.kind(name)
        for obj in kind.visible_to(person).filter(pk__in=ids).select_related(*kind.related):
            objects[(name, obj.pk)] = obj
    hits: dict[int, Hit] = {}
    position = offset
    for c in shown:
        obj = objects.get((c.kind, c.object_id))
        entry = entries.get(c.entry_id)
        if obj is None or entry is None:
            continue
        position += 1
        hits[c.entry_id] = Hit(
            kind=c.kind,
            object=obj,
            title=text.highlight(entry.title, query),
            snippet=text.highlight(entry.body, query, snippet_length),
            position=position,
            template=registry.kind(c.kind).template,
            description=registry.kind(c.kind).described(obj),
        )
    return hits


@dataclass
class Suggestions:
    query: Query
    hits: list[Hit]


def suggest(person: Person, typed: str) -> Suggestions:
    """What to offer as ``person`` types: people and groups first, then a few of the
    rest (posts and replies; what later apps register)."""
    query = text.parse(typed)
    if not query:
        return Suggestions(query, [])
    entries = visible_entries(person)
    # Both rank the first matches found, not the newest: as one types, a few letters
    # match thousands of posts, and finding their newest costs a walk of the date
    # index (bench.search: 40-300 ms). Enter searches with the newest.
    first = backends.candidates(
        query, entries.filter(suggested=True), limit=SUGGESTION_CANDIDATES, newest=False
    )
    rest = backends.candidates(
        query, entries.filter(suggested=False), limit=SUGGESTION_CANDIDATES, newest=False
    )
    shown = (
        _ordered(first.found, Order.RELEVANCE)[: SUGGESTIONS - SUGGESTED_POSTS]
        + _ordered(rest.found, Order.RELEVANCE)[:SUGGESTED_POSTS]
    )
    hits = _hits(person, query, shown, 0, snippet_length=SUGGESTION_LENGTH)
    return Suggestions(query, [hits[c.entry_id] for c in shown if c.entry_id in hits])
