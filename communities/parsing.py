"""The one parser of post text: finds #tags and @mentions and renders the body once.

Rules, each covered by tests/test_parsing.py:

- ``#tag``: a ``#`` at the start or after a space or punctuation (not inside a
  word or URL, so ``http://x/#top`` and ``&#39;`` are not tags), then letters,
  digits, ``_`` or ``-`` in any script, with at least one letter. Stored in
  lower case; a trailing ``-`` or ``_`` is punctuation, not part of the tag.
- ``@username``: an ``@`` not preceded by a letter, digit or one of ``.+-_@``
  (so ``bob@example.org`` is an e-mail address, not a mention), then the
  characters Django allows in usernames; a trailing ``.``, ``-`` or ``+`` ends
  the sentence, not the name. Mentions of nobody stay plain text.
- Text between backticks is code: shown as such, never parsed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html

MAX_TAG_LENGTH = 64

CODE_SPAN = re.compile(r"`([^`\n]+)`")
TOKEN = re.compile(
    r"(?P<tag>(?<![\w&/#])#(?P<tag_name>\w[\w-]*))"
    r"|(?P<mention>(?<![\w.+\-@])@(?P<username>\w[\w.+\-]*))"
)


@dataclass(frozen=True)
class Found:
    tags: list[str]
    usernames: list[str]


def clean_tag(raw: str) -> str | None:
    name = raw.rstrip("-_").lower()
    if not name or len(name) > MAX_TAG_LENGTH or not any(c.isalpha() for c in name):
        return None
    return name


def _clean_username(raw: str) -> str:
    return raw.rstrip(".-+")


def _text_segments(body: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces of the body, in order."""
    pieces, last = [], 0
    for match in CODE_SPAN.finditer(body):
        pieces.append((False, body[last : match.start()]))
        pieces.append((True, match.group(1)))
        last = match.end()
    pieces.append((False, body[last:]))
    return pieces


def find_tags_and_mentions(body: str) -> Found:
    """Tags (lower case) and usernames mentioned, each once, in order of appearance."""
    tags: dict[str, None] = {}
    usernames: dict[str, None] = {}
    for is_code, text in _text_segments(body):
        if is_code:
            continue
        for match in TOKEN.finditer(text):
            if match.group("tag") and (name := clean_tag(match.group("tag_name"))):
                tags[name] = None
            elif match.group("mention") and (username := _clean_username(match.group("username"))):
                usernames[username] = None
    return Found(tags=list(tags), usernames=list(usernames))


def render_body(body: str, people: Mapping[str, object]) -> str:
    """Safe HTML of a post: text escaped, line breaks kept, code spans as <code>,
    #tags linked to their page, @mentions of ``people`` (username -> person with
    ``display_name`` and ``pk``) linked to their profile."""
    html: list[str] = []
    for is_code, text in _text_segments(body.replace("\r\n", "\n")):
        if is_code:
            html.append(format_html("<code>{}</code>", text))
            continue
        last = 0
        for match in TOKEN.finditer(text):
            html.append(escape(text[last : match.start()]))
            last = match.end()
            if match.group("tag") and (name := clean_tag(match.group("tag_name"))):
                raw = match.group("tag_name")
                shown = raw[: len(name)]
                html.append(
                    format_html(
                        '<a class="tag" href="{}">#{}</a>', reverse("tag", args=[name]), shown
                    )
                )
                html.append(escape(raw[len(name) :]))
                continue
            if match.group("mention"):
                raw = match.group("username")
                username = _clean_username(raw)
                person = people.get(username)
                if person is not None:
                    html.append(
                        format_html(
                            '<a class="mention" href="{}" data-person-id="{}">@{}</a>',
                            reverse("person", args=[username]),
                            person.pk,
                            person.display_name,
                        )
                    )
                    html.append(escape(raw[len(username) :]))
                    continue
            html.append(escape(match.group(0)))
        html.append(escape(text[last:]))
    return "".join(html).replace("\n", "<br>")
