"""Articles and announcements: titles, their own page, pinning, and who read them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities import actions
from communities.models import Post
from tests.factories import GroupFactory, PersonFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = " ".join(f"woord{n}" for n in range(200))


@pytest.fixture
def blog(db):
    director = PersonFactory(username="jeroen", display_name="Jeroen van 't Hek")
    reader = PersonFactory(username="reader")
    coach = PersonFactory(username="coach", is_coach=True)
    group = actions.create_group(director, name="Blog van de directeur")
    for person in (reader, coach):
        actions.join_group(person, group)
    return director, reader, coach, group


def test_an_article_needs_a_title_and_the_form_keeps_what_was_typed(blog, client_for):
    director, *_ = blog
    response = client_for(director).post(
        "/groups/blog-van-de-directeur/posts/",
        {"kind": "article", "title": "", "body": "Mijn lange verhaal"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "An article needs a title." in html and "Mijn lange verhaal</textarea>" in html
    assert not Post.objects.exists()


def test_an_article_shows_an_excerpt_in_the_feed_and_all_on_its_page(blog, client_for):
    director, reader, _, group = blog
    article = actions.post_to_group(director, group, LONG, kind="article", title="Koers 2027")
    feed = client_for(reader).get("/groups/blog-van-de-directeur/").content.decode()
    assert "Koers 2027" in feed and "Read the article" in feed
    assert "woord100" not in feed
    page = client_for(reader).get(f"/posts/{article.pk}/").content.decode()
    assert "woord199" in page and "Read by" not in page


def test_the_author_and_coaches_see_how_many_distinct_people_read(blog, client_for):
    director, reader, coach, group = blog
    article = actions.post_to_group(director, group, "Tekst", kind="article", title="Koers")
    for _ in range(3):
        client_for(reader).get(f"/posts/{article.pk}/")
    client_for(director).get(f"/posts/{article.pk}/")  # the author is no reader
    assert "Read by 1 person" in client_for(director).get(f"/posts/{article.pk}/").content.decode()
    assert "Read by 2 people" in client_for(coach).get(f"/posts/{article.pk}/").content.decode()


def test_only_managers_announce_and_pin(blog):
    director, reader, _, group = blog
    with pytest.raises(PermissionDenied):
        actions.post_to_group(reader, group, "Let op", kind="announcement")
    announcement = actions.post_to_group(director, group, "Let op", kind="announcement")
    update = actions.post_to_group(director, group, "Gewoon")
    with pytest.raises(PermissionDenied):
        actions.pin_announcement(reader, announcement)
    with pytest.raises(ValidationError):
        actions.pin_announcement(director, update)


def test_one_announcement_is_pinned_on_top_until_it_expires(blog, client_for):
    director, reader, _, group = blog
    first = actions.post_to_group(director, group, "Eerste mededeling", kind="announcement")
    second = actions.post_to_group(director, group, "Tweede mededeling", kind="announcement")
    actions.post_to_group(director, group, "Een nieuwer bericht")
    actions.pin_announcement(director, first)
    actions.pin_announcement(director, second, until=timezone.now() + timedelta(days=1))
    page = client_for(reader).get("/groups/blog-van-de-directeur/").content.decode()
    pinned = page.split('class="pinned"')[1].split("</section>")[0]
    assert "Tweede mededeling" in pinned and "Eerste mededeling" not in pinned
    assert page.index("Tweede mededeling") < page.index("Een nieuwer bericht")
    Post.objects.filter(pk=second.pk).update(pin_expires_at=timezone.now() - timedelta(hours=1))
    assert (
        'class="pinned"'
        not in client_for(reader).get("/groups/blog-van-de-directeur/").content.decode()
    )
    actions.pin_announcement(director, first)
    actions.unpin_announcement(director, first)
    assert (
        'class="pinned"'
        not in client_for(reader).get("/groups/blog-van-de-directeur/").content.decode()
    )


def test_a_pinned_organisation_announcement_heads_everyones_start_page(db, client_for):
    editor, someone = PersonFactory(), PersonFactory()
    news = actions.create_group(editor, name="Organisatienieuws", is_news=True)
    post = actions.post_to_group(editor, news, "Nieuwe parkeerregels", kind="announcement")
    actions.pin_announcement(editor, post)
    GroupFactory(members=[someone])
    page = client_for(someone).get("/").content.decode()
    assert "Nieuwe parkeerregels" in page.split('class="pinned"')[1]
    assert post.reads.filter(person=someone).exists()


def test_an_event_card_cannot_be_typed_into_the_compose_form(blog, client_for):
    """Event cards come from the agenda (with the event behind them); a post sent as
    one is refused, and the text stays in the form."""
    director, *_ = blog
    response = client_for(director).post(
        "/groups/blog-van-de-directeur/posts/",
        {"kind": "event", "title": "Nep", "body": "Kom allemaal"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Kom allemaal</textarea>" in response.content.decode()
    assert not Post.objects.exists()
