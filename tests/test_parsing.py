"""The one parser of #tags and @mentions, on the cases people actually type."""

from types import SimpleNamespace

import pytest

from communities.parsing import find_tags_and_mentions, render_body

JEROEN = SimpleNamespace(pk=6, display_name="Jeroen van 't Hek")
ZOE = SimpleNamespace(pk=19, display_name="Zoë Dijkstra")
PEOPLE = {"jeroen": JEROEN, "zoë": ZOE}


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Nieuwe richtlijn #wondzorg", ["wondzorg"]),
        ("#Wondzorg, #wondzorg en #WONDZORG.", ["wondzorg"]),
        ("(#decubitus) en #covid-19!", ["decubitus", "covid-19"]),
        ("Zie #zorg-", ["zorg"]),
        ("Tags in other scripts: #café #ελληνικά", ["café", "ελληνικά"]),
        ("Numbers are not tags: #1 #2024", []),
        ("A link is not a tag: https://kring.example/page#section", []),
        ("An entity is not a tag: &#39; and a##double", []),
        ("Code is not parsed: `#notatag` but #tag is", ["tag"]),
    ],
)
def test_tags(text, tags):
    assert find_tags_and_mentions(text).tags == tags


@pytest.mark.parametrize(
    ("text", "usernames"),
    [
        ("Hoi @jeroen, kun je kijken?", ["jeroen"]),
        ("Vraag het @jeroen.", ["jeroen"]),
        ("Unicode usernames: @zoë!", ["zoë"]),
        ("E-mail is not a mention: jeroen@kring.example", []),
        ("Nor is a@b or name.@jeroen", []),
        ("`@jeroen` in code", []),
        ("Twice: @jeroen and @jeroen", ["jeroen"]),
        ("Dotted: @anne.de.vries.", ["anne.de.vries"]),
    ],
)
def test_mentions(text, usernames):
    assert find_tags_and_mentions(text).usernames == usernames


def test_a_mention_links_to_the_profile_with_the_full_name_escaped():
    html = render_body("Dank @jeroen!", PEOPLE)
    assert html == (
        'Dank <a class="mention" href="/people/jeroen/" data-person-id="6">'
        "@Jeroen van &#x27;t Hek</a>!"
    )


def test_a_tag_links_to_its_page_and_keeps_how_it_was_written():
    assert render_body("Lees #Wondzorg.", {}) == (
        'Lees <a class="tag" href="/tags/wondzorg/">#Wondzorg</a>.'
    )


def test_mentions_of_nobody_stay_text_and_everything_is_escaped():
    html = render_body("<b>@niemand</b> & `<script>` \n#tag", {})
    assert html == (
        "&lt;b&gt;@niemand&lt;/b&gt; &amp; <code>&lt;script&gt;</code> <br>"
        '<a class="tag" href="/tags/tag/">#tag</a>'
    )


def test_unicode_people_and_tags_link_to_encoded_addresses():
    html = render_body("@zoë over #café", PEOPLE)
    assert 'href="/people/zo%C3%AB/"' in html and "@Zoë Dijkstra" in html
    assert 'href="/tags/caf%C3%A9/"' in html
