"""Nothing a person types runs in anyone's browser: a corpus of XSS payloads
through posts and profile fields, checked in the HTML every viewer gets."""

from html.parser import HTMLParser

import pytest

from communities import actions
from tests.factories import GroupFactory, PersonFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![plaatje](javascript:alert(1))",
    "<iframe src=https://evil.example></iframe>",
    "<object data=evil.swf></object><embed src=evil.swf>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick=alert(1)>klik</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    '[x](https://kring.example "\\" onmouseover=alert(1) x=\\"")',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#106;avascript:alert(1))",
    "#<script>alert(1)</script> @<img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
]

FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "form",
    "meta",
    "base",
    "link",
    "body",
    "details",
    "input",
    "button",
}


class ExecutableFinder(HTMLParser):
    """Collects anything in a fragment that a browser could run."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "data"} and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme not in {"http", "https", "mailto"}:
                    self.found.append(f"{tag}[{name}={value}]")


def executable_parts(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    return finder.found


def typed_parts(page: str) -> list[str]:
    """The bodies of posts and replies on a page: everything that came from what people typed."""
    parts = []
    for opening in ['<div class="post-body">', '<div class="reply-body">']:
        # The sanitiser allows no <div>, so a body ends at the first </div>.
        parts += [part.split("</div>")[0] for part in page.split(opening)[1:]]
    return parts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_in_a_post_or_a_reply(db, client_for, payload):
    alice = PersonFactory(username="alice")
    group = GroupFactory(slug="wondzorg", members=[alice])
    post = actions.post_to_group(alice, group, payload)
    actions.reply_to_post(alice, post, payload)
    client = client_for(alice)
    for url in ["/groups/wondzorg/", f"/posts/{post.pk}/replies/"]:
        bodies = typed_parts(client.get(url).content.decode())
        assert bodies, f"the post and the reply must be on {url}"
        assert all(executable_parts(body) == [] for body in bodies), url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_in_profile_fields(db, client_for, payload):
    """Pages have forms and buttons of their own: what they show with a payload in
    every profile field must be exactly what they show with plain text there."""
    person = PersonFactory(username="mallory")
    group = GroupFactory(slug="wondzorg", members=[person])
    actions.post_to_group(person, group, "hallo @mallory")
    client = client_for(PersonFactory(username="viewer"))
    urls = ["/people/mallory/", "/groups/wondzorg/", "/people/suggest/?q=mal", "/groups/"]

    def parts_of_pages(value):
        for field in ["display_name", "job_title", "department", "location"]:
            setattr(person, field, value)
        person.save()
        return {url: executable_parts(client.get(url).content.decode()) for url in urls}

    assert parts_of_pages(payload) == parts_of_pages("Mallory")


def test_the_checker_finds_what_it_must():
    assert executable_parts('<img src=x onerror="alert(1)">') == ["<img>", "img[onerror]"]
    assert executable_parts('<a href="javascript:x">y</a>') == ["a[href=javascript:x]"]
