"""The one parser of #tags and @mentions, on the cases people actually type."""

from types import SimpleNamespace

import pytest

from communities.parsing import EXCERPT_LENGTH, excerpt, find_tags_and_mentions, render_body

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
        '<p>Dank <a href="/people/jeroen/" class="mention" data-person-id="6" '
        'rel="noopener noreferrer nofollow">@Jeroen van \'t Hek</a>!</p>'
    )


def test_a_tag_links_to_its_page_and_keeps_how_it_was_written():
    assert render_body("Lees #Wondzorg.", {}) == (
        '<p>Lees <a href="/tags/wondzorg/" class="tag" rel="noopener noreferrer nofollow">'
        "#Wondzorg</a>.</p>"
    )


def test_mentions_of_nobody_stay_text_and_everything_is_escaped():
    html = render_body("<b>@niemand</b> & `<script>`\n#tag", {})
    assert html == (
        "<p>&lt;b&gt;@niemand&lt;/b&gt; &amp; <code>&lt;script&gt;</code><br>\n"
        '<a href="/tags/tag/" class="tag" rel="noopener noreferrer nofollow">#tag</a></p>'
    )


def test_markdown_renders_and_bare_links_become_clickable():
    html = render_body("**Let op**: zie https://kring.example/protocol\n\n- een\n- twee", {})
    assert "<strong>Let op</strong>" in html
    assert '<a href="https://kring.example/protocol" rel="noopener noreferrer nofollow">' in html
    assert "<ul>\n<li>een</li>" in html


def test_tags_in_code_blocks_and_links_are_not_tags():
    found = find_tags_and_mentions("```\n#include <stdio.h>\n@root\n```\n[#niet](https://x.nl)")
    assert found.tags == [] and found.usernames == []


def test_unicode_people_and_tags_link_to_encoded_addresses():
    html = render_body("@zoë over #café", PEOPLE)
    assert 'href="/people/zo%C3%AB/"' in html and "@Zoë Dijkstra" in html
    assert 'href="/tags/caf%C3%A9/"' in html


# Plain-text excerpts: what notifications, the bell and emails quote ----------------


def plain(body: str, length: int = 140) -> str:
    return excerpt(render_body(body, PEOPLE), length)


def test_an_excerpt_is_plain_text_with_mentions_as_names():
    text = plain("**Let op:** zie [de richtlijn](https://kring.example/r) van @jeroen en #wondzorg")
    assert text == "Let op: zie de richtlijn van @Jeroen van 't Hek en #wondzorg"


def test_an_excerpt_keeps_code_and_lists_as_text_on_one_line():
    text = plain(
        "Stappen:\n\n1. `wassen`\n2. drogen\n\n> citaat\n\n```\nregel een\nregel twee\n```"
    )
    assert text == "Stappen: wassen drogen citaat regel een regel twee"


def test_an_excerpt_shows_what_was_typed_as_markup_as_text():
    assert plain("<b>vet</b> & 3 < 4") == "<b>vet</b> & 3 < 4"


@pytest.mark.parametrize(
    ("body", "cut"),
    [
        ("Een korte zin.", "Een korte zin."),
        ("De wondzorg richtlijn is vernieuwd", "De wondzorg…"),
        ("Nieuwe richtlijnen, vandaag", "Nieuwe richtlijnen…"),
        ("Onafgebrokenwoordzonderspaties", "Onafgebrokenwoordzo…"),  # one word: cut in it
    ],
)
def test_an_excerpt_is_cut_at_a_word_with_an_ellipsis(body, cut):
    assert plain(body, length=20) == cut
    assert len(cut) <= 20


def test_an_excerpt_of_a_long_post_stays_within_its_length():
    text = plain("woord " * 200)
    assert len(text) <= EXCERPT_LENGTH and text.endswith("woord…")
