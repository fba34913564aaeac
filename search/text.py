"""Words: how a search is read, stemmed, logged and shown highlighted.

Shared by both databases, so SQLite finds what PostgreSQL finds as far as it
can: the same words, the same Dutch and English stems (Snowball's, as
PostgreSQL's own ``dutch`` and ``english`` configurations use), the same
highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Letters and digits; everything else (punctuation, underscores) separates words.
WORD = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"')
MAX_TERMS = 8
MAX_LENGTH = 200
SNIPPET_LENGTH = 200


@dataclass(frozen=True)
class Query:
    """A search as typed: its words (each also matched as a prefix) and any "quoted phrases"."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def all_words(self) -> tuple[str, ...]:
        return self.words + tuple(w for phrase in self.phrases for w in phrase)


def normalise(text: str) -> str:
    """The term as logged and compared: lower case, single spaces, at most 200 characters."""
    return " ".join(text.lower().split())[:MAX_LENGTH]


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


def parse(text: str) -> Query:
    text = normalise(text)
    phrases = tuple(
        tuple(words) for words in (words_of(p) for p in PHRASE.findall(text)) if len(words) > 0
    )
    rest = PHRASE.sub(" ", text)
    words: list[str] = []
    for word in words_of(rest):
        if word not in words:
            words.append(word)
    single = tuple(p[0] for p in phrases if len(p) == 1)
    return Query(
        words=tuple(words + [w for w in single if w not in words])[:MAX_TERMS],
        phrases=tuple(p for p in phrases if len(p) > 1)[:2],
    )


@lru_cache(maxsize=2)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def stems_of(word: str) -> frozenset[str]:
    """The Dutch and the English stem of a word ("verpleegkundigen" → "verpleegkund").

    Kept: Snowball in pure Python is slow, and a page of hits or an index rebuild
    meets the same words again and again."""
    return frozenset({_stemmer("dutch").stemWord(word), _stemmer("english").stemWord(word)})


def stemmed(text: str) -> str:
    """Every word of ``text`` by its stems, for an FTS5 column."""
    seen: dict[str, None] = {}
    for word in words_of(text):
        for stem in sorted(stems_of(word)):
            seen.setdefault(stem, None)
    return " ".join(seen)


def looks_like_bsn(text: str) -> bool:
    """A Dutch citizen service number in the text: nine digits that pass the 11-test.

    The 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. A search with
    one is never logged."""
    for digits in re.findall(r"(?<!\d)\d{9}(?!\d)", re.sub(r"[\s.\-]", "", text)):
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0 and digits != "000000000":
            return True
    return False


def _matcher(query: Query):  # noqa: ANN202 - a predicate on one word
    """Whether a word of a text is one the query found: it starts with a word of the
    query, or shares a stem with one. The query's stems are worked out once."""
    words = query.all_words
    stems = frozenset(s for w in words for s in stems_of(w))

    def matches(word: str) -> bool:
        lowered = word.lower()
        return lowered.startswith(words) or bool(stems_of(lowered) & stems)

    return matches


def highlight(text: str, query: Query, length: int = SNIPPET_LENGTH) -> SafeString:
    """``text`` escaped, cut to about ``length`` characters around its first match,
    with every matching word in ``<mark>``."""
    matches = _matcher(query)
    found = [m for m in WORD.finditer(text) if matches(m.group())]
    start = 0
    if found and len(text) > length:
        start = max(0, found[0].start() - length // 4)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    parts: list[str] = ["…" if start > 0 else ""]
    at = start
    for m in found:
        if m.start() < start or m.end() > end:
            continue
        parts.append(escape(text[at : m.start()]))
        parts.append(f"<mark>{escape(m.group())}</mark>")
        at = m.end()
    parts.append(escape(text[at:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
