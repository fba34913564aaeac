"""Post cards are rendered once and kept (communities.post_cards): every reader of a
feed gets the same card until the post, or a name it shows, changes; the reader's
own CSRF token is in its forms; their own reactions and controls are the browser's
business (data attributes), as on live pushes."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions, post_cards, uploads
from communities.uploads import prepare_profile_photo
from tests.factories import GroupFactory, PersonFactory
from tests.people.helpers import upload

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def card_of(html: str, post_id: int) -> str:
    """The one card of this post in a page."""
    found = re.findall(rf'<article class="post[^"]*" id="post-{post_id}".*?</article>', html, re.S)
    assert len(found) == 1, f"post {post_id} shown {len(found)} times"
    return found[0]


def without_tokens(html: str) -> str:
    """The card with the request's CSRF inputs taken out (a catch-up, like a live
    push, has none: htmx sends the page's token in a header)."""
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">', "", html)


@pytest.fixture
def posted(team):
    post = actions.post_to_group(team.alice, team.group, "Nieuwe verbandmiddelen #wondzorg")
    actions.reply_to_post(team.bob, post, "Waar liggen ze?")
    actions.toggle_reaction(team.carol, post, "like")
    return post


def queries_of(client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", ["/", "/groups/wondzorg/", "/tags/wondzorg/", "/people/alice/"])
def test_every_reader_gets_the_same_card_with_their_own_token(team, posted, client_for, url):
    pages = {p.username: client_for(p).get(url).content.decode() for p in team.people}
    cards = {name: card_of(html, posted.pk) for name, html in pages.items()}
    assert len({without_tokens(card) for card in cards.values()}) == 1
    for name, html in pages.items():
        # The page's token (in the body's htmx headers) is the one in its card's forms.
        page_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        tokens = set(TOKEN.findall(cards[name]))
        assert tokens == {page_token}, name
    assert post_cards.CSRF_PLACEHOLDER not in "".join(pages.values())
    # Who reacted and who wrote are data for the browser, not rendered per reader.
    assert f'data-reactors=" {team.carol.pk} "' in cards["alice"]
    assert 'aria-pressed="true"' not in "".join(cards.values())


def test_a_cards_form_posts_with_the_token_the_page_gave(team, posted, client_for):
    """Without JavaScript the reaction form still works: its token is the reader's."""
    client = client_for(team.bob)
    client.handler.enforce_csrf_checks = True
    html = card_of(client.get("/").content.decode(), posted.pk)
    token = TOKEN.search(html).group(1)
    response = client.post(
        f"/posts/{posted.pk}/react/", {"kind": "thanks", "csrfmiddlewaretoken": token}
    )
    assert response.status_code in (200, 204, 302)
    assert posted.reactions.filter(person=team.bob, kind="thanks").exists()


@pytest.mark.parametrize("url", ["/", "/groups/wondzorg/", "/tags/wondzorg/", "/people/alice/"])
def test_a_page_of_kept_cards_reads_no_replies_or_reactions_whatever_its_length(
    team, client_for, settings, url
):
    client = client_for(team.bob)

    def add(count):
        for n in range(count):
            post = actions.post_to_group(team.alice, team.group, f"#wondzorg bericht {n}")
            actions.reply_to_post(team.carol, post, f"antwoord {n}")
            actions.toggle_reaction(team.carol, post, "like")

    add(3)
    cold_few, _html = queries_of(client, url)
    warm_few, html = queries_of(client, url)
    add(27)
    settings.FEED_PAGE_SIZE = 30
    queries_of(client, url)
    warm_many, html_many = queries_of(client, url)
    assert (html.count('class="post"'), html_many.count('class="post"')) == (3, 30)
    assert warm_few == warm_many
    # Their replies, reactions and attachments: three queries, read only for cards
    # not kept yet.
    assert cold_few - warm_few == 3


def test_the_older_posts_and_the_catch_up_use_the_kept_cards(team, posted, client_for):
    client = client_for(team.bob)
    page = card_of(client.get("/groups/wondzorg/").content.decode(), posted.pk)
    older = client.get(f"/groups/wondzorg/?before={posted.pk + 1}", HTTP_HX_REQUEST="true")
    newer = client.get(f"/groups/wondzorg/newer/?after={posted.pk - 1}", HTTP_HX_REQUEST="true")
    assert without_tokens(card_of(older.content.decode(), posted.pk)) == without_tokens(page)
    # The catch-up is an out-of-band message for a socket's page: the same card.
    assert without_tokens(card_of(newer.content.decode(), posted.pk)) == without_tokens(page)


def change_and_look(client, post_id, change, django_capture_on_commit_callbacks):
    before = card_of(client.get("/groups/wondzorg/").content.decode(), post_id)
    with django_capture_on_commit_callbacks(execute=True):
        change()
    after = card_of(client.get("/groups/wondzorg/").content.decode(), post_id)
    return before, after


@pytest.mark.parametrize(
    ("what", "shown"),
    [
        ("reaction", 'data-reactors=" {carol} {bob} "'),
        ("reply", "Ze liggen in kast 3"),
        ("removed_reply", "1 reply"),
        ("edit", "Andere verbandmiddelen"),
        ("photo_description", 'alt="Twee rollen verband"'),
        ("author_renamed", "Alice Bakker"),
        ("replier_renamed", "Bob de Boer"),
        ("reactor_renamed", "Carol van Dijk"),
        ("author_photo", "/photos/"),
        ("job_title", "Wondverpleegkundige"),
        ("group_renamed", "Wondzorg Utrecht"),
    ],
)
def test_a_card_shows_every_change_at_once(
    team, client_for, django_capture_on_commit_callbacks, what, shown
):
    photo = upload(size=(64, 64))
    post = actions.post_to_group(team.alice, team.group, "Nieuwe verbandmiddelen")
    reply = actions.reply_to_post(team.bob, post, "Waar liggen ze?")
    actions.reply_to_post(team.carol, post, "In de kast")
    actions.toggle_reaction(team.carol, post, "like")
    attachment = None
    if what == "photo_description":
        post = actions.post_to_group(
            team.alice, team.group, "Met een foto", files=[uploads.prepare(upload("wond.jpg"))]
        )
        attachment = post.attachments.get()

    def renamed(person, name):
        person.display_name = name
        person.save()

    def group_renamed():
        team.group.name = "Wondzorg Utrecht"
        team.group.save()

    changes = {
        "reaction": lambda: actions.toggle_reaction(team.bob, post, "like"),
        "reply": lambda: actions.reply_to_post(team.alice, post, "Ze liggen in kast 3"),
        "removed_reply": lambda: actions.delete_reply(team.bob, reply),
        "edit": lambda: actions.edit_post(team.alice, post, "Andere verbandmiddelen"),
        "photo_description": lambda: actions.describe_photo(
            team.alice, attachment, "Twee rollen verband"
        ),
        "author_renamed": lambda: renamed(team.alice, "Alice Bakker"),
        "replier_renamed": lambda: renamed(team.bob, "Bob de Boer"),
        "reactor_renamed": lambda: renamed(team.carol, "Carol van Dijk"),
        "author_photo": lambda: actions.set_person_photo(team.alice, prepare_profile_photo(photo)),
        "job_title": lambda: actions.update_person_details(
            team.alice, job_title="Wondverpleegkundige", department="", location=""
        ),
        "group_renamed": group_renamed,
    }
    shown = shown.format(bob=team.bob.pk, carol=team.carol.pk)
    client = client_for(team.bob)
    before, after = change_and_look(
        client, post.pk, changes[what], django_capture_on_commit_callbacks
    )
    assert shown not in before
    assert shown in after


def test_a_login_keeps_the_cards(team, posted, client_for, django_capture_on_commit_callbacks):
    """Logging in saves the person (their last login): no name changed, no card goes."""
    client = client_for(team.bob)
    client.get("/")
    names = caches[post_cards.CACHE_ALIAS].get(f"{post_cards.KEY_PREFIX}:names")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(team.alice)
        PersonFactory(username="nieuw")  # someone new is on no card
        GroupFactory(slug="nieuwe-groep")
    assert caches[post_cards.CACHE_ALIAS].get(f"{post_cards.KEY_PREFIX}:names") == names
    warm, _html = queries_of(client, "/groups/wondzorg/")
    queries_of(client, "/groups/wondzorg/")
    assert queries_of(client, "/groups/wondzorg/")[0] == warm


def test_each_language_gets_its_own_card(team, posted, client_for):
    english = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    dutch_client = client_for(team.carol)
    dutch_client.cookies["django_language"] = "nl"
    dutch = dutch_client.get("/groups/wondzorg/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "1 reply" in card_of(english, posted.pk)
    assert "1 reactie" in card_of(dutch, posted.pk)


def test_the_live_push_keeps_the_card_for_the_pages(
    team, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    """A published post's card is rendered for the push, once per language; the
    first page that shows it finds it kept."""
    client = client_for(team.bob)
    client.get("/groups/wondzorg/")
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(team.alice, team.group, "Net geplaatst")
    rendered = []
    render = post_cards.render
    monkeypatch.setattr(post_cards, "render", lambda p: rendered.append(p.pk) or render(p))
    html = client.get("/groups/wondzorg/").content.decode()
    assert "Net geplaatst" in card_of(html, post.pk)
    assert rendered == []


def test_pages_show_cards_when_the_cache_is_away(team, posted, client_for, monkeypatch):
    class Away:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache away")

            return fail

    monkeypatch.setattr(post_cards, "caches", {post_cards.CACHE_ALIAS: Away()})
    html = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert "Waar liggen ze?" in card_of(html, posted.pk)
