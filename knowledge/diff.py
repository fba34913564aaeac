"""A readable difference between two texts of a page: line by line, and word by
word within a line changed. Shown with ``<ins>`` and ``<del>`` and, for screen readers and for
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


def _merge(parts: list[Part], kind: str, text: str) -> None:
    if not text:
        return
    if parts and parts[-1].kind == kind:
        parts[-1] = Part(kind, parts[-1].text + text)
    else:
        parts.append(Part(kind, text))


def _word_diff(old: str, new: str, parts: list[Part]) -> None:
    a, b = _tokens(old), _tokens(new)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _merge(parts, "same", "".join(a[i1:i2]))
        else:
            _merge(parts, "removed", "".join(a[i1:i2]))
            _merge(parts, "added", "".join(b[j1:j2]))


#: How alike two lines must be to show as one line changed, not one removed and one added.
ALIKE = 0.6
#: Beyond this many line pairs a block is shown removed and added whole.
MAX_PAIRS = 2500


def _lines_replaced(a: list[str], b: list[str], parts: list[Part]) -> None:
    """Lines ``a`` became lines ``b``: the most alike pair is shown as one line changed
    (word by word), and the lines before and after it are paired the same way."""
    best, at = ALIKE, None
    if a and b and len(a) * len(b) <= MAX_PAIRS:
        for i, old_line in enumerate(a):
            for j, new_line in enumerate(b):
                matcher = SequenceMatcher(None, old_line, new_line, autojunk=False)
                if matcher.real_quick_ratio() > best and matcher.ratio() > best:
                    best, at = matcher.ratio(), (i, j)
    if at is None:
        _merge(parts, "removed", "".join(a))
        _merge(parts, "added", "".join(b))
        return
    i, j = at
    _lines_replaced(a[:i], b[:j], parts)
    _word_diff(a[i], b[j], parts)
    _lines_replaced(a[i + 1 :], b[j + 1 :], parts)


def diff_words(old: str, new: str) -> list[Part]:
    """The parts that make ``old`` into ``new``: line by line, and word by word within
    a line that was changed (one line for one line); runs merged. Line ends are
    compared as ``\n`` whichever a browser sent."""
    a = old.replace("\r\n", "\n").splitlines(keepends=True)
    b = new.replace("\r\n", "\n").splitlines(keepends=True)
    parts: list[Part] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _merge(parts, "same", "".join(a[i1:i2]))
        elif op == "replace":
            _lines_replaced(a[i1:i2], b[j1:j2], parts)
        else:
            _merge(parts, "removed", "".join(a[i1:i2]))
            _merge(parts, "added", "".join(b[j1:j2]))
    return parts


#: Unchanged lines kept around a change; longer unchanged runs are cut to these.
CONTEXT_LINES = 3


def condensed(parts: list[Part], context: int = CONTEXT_LINES) -> list[Part]:
    """``parts`` with long unchanged runs cut to a few lines either side of a change
    (a part of kind "gap" where lines were left out), so a small change to a long
    page is seen at once."""
    out: list[Part] = []
    for index, part in enumerate(parts):
        if part.kind != "same":
            out.append(part)
            continue
        lines = part.text.splitlines(keepends=True)
        keep_head = context if index > 0 else 0
        keep_tail = context if index < len(parts) - 1 else 0
        if len(lines) <= keep_head + keep_tail + 1:
            out.append(part)
            continue
        head, tail = "".join(lines[:keep_head]), "".join(lines[len(lines) - keep_tail :])
        if head:
            out.append(Part("same", head))
        out.append(Part("gap", ""))
        if tail:
            out.append(Part("same", tail))
    return out


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
        body=condensed(diff_words(old.body, new.body)),
        tags_added=sorted(new_tags - old_tags),
        tags_removed=sorted(old_tags - new_tags),
    )
