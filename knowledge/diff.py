"""A readable difference between two texts of a page: word by word, within the lines
that changed. Shown with ``<ins>`` and ``<del>`` and, for screen readers and for
colour-blind eyes, a hidden "added"/"removed" word and a strike-through or underline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

#: Words and the space after them: a change of one word marks that word alone.
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Part:
    """A run of text: ``kind`` is "same", "added" or "removed"."""

    kind: str
    text: str


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text)


def diff_words(old: str, new: str) -> list[Part]:
    """The parts that make ``old`` into ``new``, word by word, runs merged."""
    a, b = _tokens(old), _tokens(new)
    parts: list[Part] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if parts and parts[-1].kind == kind:
            parts[-1] = Part(kind, parts[-1].text + text)
        else:
            parts.append(Part(kind, text))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("same", "".join(a[i1:i2]))
        else:
            add("removed", "".join(a[i1:i2]))
            add("added", "".join(b[j1:j2]))
    return parts


def changed(parts: list[Part]) -> bool:
    return any(part.kind != "same" for part in parts)


@dataclass(frozen=True)
class VersionDiff:
    title: list[Part]
    body: list[Part]
    tags_added: list[str]
    tags_removed: list[str]

    @property
    def any(self) -> bool:
        return (
            changed(self.title) or changed(self.body) or bool(self.tags_added or self.tags_removed)
        )


def diff_versions(old, new) -> VersionDiff:
    """``old`` and ``new`` have ``title``, ``body`` and ``tag_list`` (versions, or a
    page's version and the text someone is editing)."""
    old_tags, new_tags = set(old.tag_list), set(new.tag_list)
    return VersionDiff(
        title=diff_words(old.title, new.title),
        body=diff_words(old.body, new.body),
        tags_added=sorted(new_tags - old_tags),
        tags_removed=sorted(old_tags - new_tags),
    )
