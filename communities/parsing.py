"""The one parser of post text: Markdown, #tags and @mentions, rendered once and sanitised.

Text is CommonMark (markdown-it-py) with bare links made clickable and raw
HTML shown as text. #tags and @mentions are found in the text of the parsed
document only: never inside code, a code block or a link. The HTML is then
cleaned with nh3 (the maintained successor of bleach) against a short list
of tags, attributes and URL schemes, so nothing a person types can run.

Rules for tags and mentions, each covered by tests/communities/test_parsing.py:

- ``#tag``: a ``#`` at the start or after a space or punctuation (not inside a
  word or URL, so ``http://x/#top`` and ``&#39;`` are not tags), then letters,
  digits, ``_`` or ``-`` in any script, with at least one letter. Stored in
  lower case; a trailing ``-`` or ``_`` is punctuation, not part of the tag.
- ``@username``: an ``@`` not preceded by a letter, digit or one of ``.+-_@``
  (so ``bob@example.org`` is an e-mail address, not a mention), then the
  characters Django allows in usernames; a trailing ``.``, ``-`` or ``+`` ends
  the sentence, not the name. Mentions of nobody stay plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_TAG_LENGTH = 64

TOKEN = re.compile(
    r"(?P<tag>(?<![\w&/#])#(?P<tag_name>\w[\w-]*))"
    r"|(?P<mention>(?<![\w.+\-@])@(?P<username>\w[\w.+\-]*))"
)

MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True}).enable(
    ["linkify", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "data-person-id"}, "ol": {"start"}}
ALLOWED_CLASSES = {"a": {"tag", "mention"}}
URL_SCHEMES = {"http", "https", "mailto"}


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


def _plain_text(tokens: list[Token]) -> Iterator[tuple[list[Token], int]]:
    """(list, index) of every text token outside links: where tags and mentions may stand."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        in_link = 0
        for index, token in enumerate(block.children):
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "text" and not in_link:
                yield block.children, index


def find_tags_and_mentions(body: str) -> Found:
    """Tags (lower case) and usernames mentioned, each once, in order of appearance."""
    tags: dict[str, None] = {}
    usernames: dict[str, None] = {}
    for children, index in _plain_text(MARKDOWN.parse(body)):
        for match in TOKEN.finditer(children[index].content):
            if match.group("tag") and (name := clean_tag(match.group("tag_name"))):
                tags[name] = None
            elif match.group("mention") and (username := _clean_username(match.group("username"))):
                usernames[username] = None
    return Found(tags=list(tags), usernames=list(usernames))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(href: str, css_class: str, label: str, **data: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": href, "class": css_class, **data}
    return [opening, _text(label), Token("link_close", "a", -1)]


def _linked(content: str, people: Mapping[str, object]) -> list[Token]:
    """A text token's content split into text and links for its tags and mentions."""
    out: list[Token] = []
    last = 0
    for match in TOKEN.finditer(content):
        if match.group("tag") and (name := clean_tag(match.group("tag_name"))):
            raw = match.group("tag_name")
            out.append(_text(content[last : match.start()]))
            out += _link(reverse("tag", args=[name]), "tag", "#" + raw[: len(name)])
            last = match.start() + 1 + len(name)
        elif match.group("mention"):
            username = _clean_username(match.group("username"))
            person = people.get(username)
            if person is None:
                continue
            out.append(_text(content[last : match.start()]))
            out += _link(
                reverse("person", args=[username]),
                "mention",
                f"@{person.display_name}",
                **{"data-person-id": str(person.pk)},
            )
            last = match.start() + 1 + len(username)
    out.append(_text(content[last:]))
    return [token for token in out if token.type != "text" or token.content]


def render_body(body: str, people: Mapping[str, object]) -> str:
    """Safe HTML of a post: Markdown rendered, #tags linked to their page, @mentions of
    ``people`` (username -> person with ``display_name`` and ``pk``) linked to their
    profile, and the result sanitised."""
    tokens = MARKDOWN.parse(body)
    # Replace from the end, so earlier indexes stay valid.
    for children, index in reversed(list(_plain_text(tokens))):
        children[index : index + 1] = _linked(children[index].content, people)
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, {})
    return sanitise(html)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


EXCERPT_LENGTH = 140
_BLOCK_TAGS = {
    "p", "br", "li", "ul", "ol", "blockquote", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip


class _TextOnly(HTMLParser):
    """The text of rendered post HTML: links keep their text, blocks become spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Rendered post HTML (``render_body``) as one line of plain text: no Markdown, no
    markup, mentions as the person's display name, whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def excerpt(html: str, length: int = EXCERPT_LENGTH) -> str:
    """A short plain-text quote of rendered post HTML, for notifications, the bell and
    emails: ``plain_text`` cut at a word boundary, with an ellipsis when cut."""
    text = plain_text(html)
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # no half words
    return cut.rstrip(" .,;:!?-–—") + "…"
