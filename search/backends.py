"""The match itself, in each database's own full-text search.

Both answer one question: the matches of a query that a person may see, with
the filters, *as candidates*: their entry id, kind, object, date and score. At
most ``CANDIDATES``; when there are more, the newest ones, and the answer says
it is not complete. Ranking and ordering the candidates, paging and counting
happen in ``queries``, the same for both.

Why candidates, not one query with ORDER BY and LIMIT: PostgreSQL's planner,
asked for the newest matches of a term, may walk the date index hoping to meet
matches soon; for a rare or absent term it reads the whole table first (about
3.7 s at a million rows). So it is first asked without an order, which it
answers from the GIN index (0.2 ms for a term nowhere at a million rows); only a
term with more than ``CANDIDATES`` matches is asked for its newest ones, and the
planner, knowing the term then, picks well: a common term along the date index,
one just over the candidates by sorting its matches (bench.search measured
forcing the walk there at 243 ms against 19 ms). And ranking every match of a
common term is what makes it slow (265 ms for 290,000 matches): only the
candidates are ranked (3 ms).

SQLite's FTS5 is asked for the match alone, in its own subquery, before any
join or filter: a filter mixed into the MATCH makes it read everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from search import text
from search.models import Entry
from search.text import Query

CANDIDATES = settings.SEARCH_CANDIDATES
# SQLite: how many of the newest matches FTS5 hands on to be filtered.
SQLITE_MATCHES = 5 * CANDIDATES


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    kind: str
    object_id: int
    created_at: datetime
    score: float


@dataclass(frozen=True)
class Candidates:
    found: list[Candidate]
    #: Every match is among ``found``; otherwise only the newest ``CANDIDATES``.
    complete: bool


FIELDS = ("id", "kind", "object_id", "created_at", "score")


def candidates(
    query: Query,
    entries: QuerySet[Entry],
    before: tuple[datetime, int] | None = None,
    limit: int | None = None,
    newest: bool = True,
) -> Candidates:
    """The matches of ``query`` among ``entries`` (already limited to what the person
    may see and to the filters); ``before``: only those older than this (date, id);
    ``limit``: fewer than ``CANDIDATES`` (suggestions need a few). With more matches
    than that, the newest; or, with ``newest=False``, the first found (suggestions:
    among people and groups, asking for the newest would walk the whole date index
    past every post)."""
    limit = min(limit or CANDIDATES, CANDIDATES)
    if before is not None:
        entries = entries.filter(
            Q(created_at__lt=before[0]) | Q(created_at=before[0], id__lt=before[1])
        )
    if connection.vendor == "postgresql":
        return _postgres(query, entries, limit, newest)
    return _sqlite(query, entries, limit)


# PostgreSQL -------------------------------------------------------------------


def tsquery(query: Query) -> tuple[str, list[Any]]:
    """The query as SQL: each word by its Dutch and English stem or as a prefix of a
    word as written (so "wond" finds "wondzorg"); each "phrase" in order."""
    parts: list[str] = []
    params: list[Any] = []
    for word in query.words:
        parts.append(
            "(plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s)"
            " || to_tsquery('simple', %s))"
        )
        params += [word, word, word + ":*"]
    for phrase in query.phrases:
        joined = " ".join(phrase)
        parts.append("(phraseto_tsquery('dutch', %s) || phraseto_tsquery('english', %s))")
        params += [joined, joined]
    return "(" + " && ".join(parts) + ")", params


def _postgres(query: Query, entries: QuerySet[Entry], limit: int, newest: bool) -> Candidates:
    # Only placeholders are formatted into the SQL; every word is a parameter.
    sql, params = tsquery(query)
    matching = (
        entries.filter(
            RawSQL(f"search_entry.vector @@ {sql}", params, output_field=BooleanField())  # noqa: S611
        )
        .annotate(score=RawSQL(f"ts_rank(search_entry.vector, {sql})", params, FloatField()))  # noqa: S611
        .values_list(*FIELDS)
    )
    # Without an order: the GIN index answers, whatever the term.
    found = list(matching.order_by()[: limit + 1])
    if len(found) <= limit:
        return Candidates([Candidate(*row) for row in found], complete=True)
    if not newest:
        return Candidates([Candidate(*row) for row in found[:limit]], complete=False)
    # More than the candidates: now the planner knows the term is not rare, and
    # chooses well between walking the date index (a common term, met at once) and
    # sorting the term's matches (one just over the candidates, spread over years:
    # walking would read most of the table). Both measured in bench.search.
    latest = list(matching.order_by("-created_at", "-id")[:limit])
    return Candidates([Candidate(*row) for row in latest], complete=False)


# SQLite -----------------------------------------------------------------------


def fts_match(query: Query) -> str:
    """The query in FTS5's language: each word as a prefix of a word as written, or
    by its stems; each "phrase" in order. Words are letters and digits only,
    always quoted, so nothing typed is read as FTS5 syntax."""
    parts: list[str] = []
    for word in query.words:
        stems = " OR ".join(f'"{stem}"' for stem in sorted(text.stems_of(word)))
        parts.append(f'({{title body}} : "{word}"* OR {{title_stems body_stems}} : ({stems}))')
    for phrase in query.phrases:
        parts.append(f'{{title body}} : "{" ".join(phrase)}"')
    return " AND ".join(parts)


def _sqlite(query: Query, entries: QuerySet[Entry], limit: int) -> Candidates:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(search_fts, 10.0, 1.0, 10.0, 1.0) FROM search_fts"
            " WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
            [fts_match(query), SQLITE_MATCHES * limit // CANDIDATES],
        )
        scores = dict(cursor.fetchall())
    rows = list(
        entries.filter(pk__in=list(scores))
        .order_by("-created_at", "-id")
        .values_list(*FIELDS[:-1])[: limit + 1]
    )
    complete = len(scores) < SQLITE_MATCHES * limit // CANDIDATES and len(rows) <= limit
    return Candidates(
        [
            Candidate(entry_id, kind, object_id, created_at, scores[entry_id])
            for entry_id, kind, object_id, created_at in rows[:limit]
        ],
        complete=complete,
    )
