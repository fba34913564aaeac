"""The compose box: posting from the home page into a chosen group, the title only
for articles and announcements, and an over-long text refused, never cut."""

import pytest
from django.conf import settings

from communities.models import Membership, Post
from tests.factories import GroupFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def recipes(team):
    return GroupFactory(name="Receptenkring", slug="recepten", members=[team.alice])


def test_home_offers_the_groups_one_may_post_in(team, recipes, client_for):
    news = GroupFactory(name="Organisatienieuws", slug="nieuws", is_news=True, members=[team.alice])
    GroupFactory(name="Andermans kring", slug="anders", members=[team.bob])
    page = client_for(team.alice).get("/").content.decode()
    select = page.split('name="group"')[1].split("</select>")[0]
    assert "Kenniskring wondzorg" in select and "Receptenkring" in select
    assert "Andermans kring" not in select
    assert news.name not in select  # organisation news: only its editors post there
    # The title is in the page without script (compose.js hides it for an update).
    assert "data-compose-title" in page and 'name="title"' in page
    assert 'value="announcement"' not in page  # Alice manages no group


def test_a_post_from_home_lands_in_the_chosen_group(team, recipes, client_for):
    response = client_for(team.alice).post(
        "/posts/new/", {"group": recipes.pk, "kind": "update", "body": "Soep van de week"}, **HTMX
    )
    assert response.status_code == 200
    post = Post.objects.get(body="Soep van de week")
    assert post.group == recipes and post.author == team.alice
    html = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#feed-posts"' in html and f'id="post-{post.pk}"' in html
    # A fresh box, still pointed at the group just used.
    assert f'<option value="{recipes.pk}" selected' in html


def test_posting_from_home_into_a_group_one_is_not_in_is_refused(team, client_for):
    elsewhere = GroupFactory(name="Andermans kring", slug="anders", members=[team.bob])
    response = client_for(team.alice).post(
        "/posts/new/", {"group": elsewhere.pk, "body": "Mag dit?"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose one of your groups." in html and "Mag dit?</textarea>" in html
    assert not Post.objects.exists()


def test_an_announcement_from_home_only_where_one_manages(team, recipes, client_for):
    Membership.objects.filter(person=team.alice, group=recipes).update(role="manager")
    client = client_for(team.alice)
    page = client.get("/").content.decode()
    assert 'value="announcement"' in page
    refused = client.post(
        "/posts/new/",
        {"group": team.group.pk, "kind": "announcement", "title": "Let op", "body": "Nieuws"},
        **HTMX,
    )
    assert refused.status_code == 422 and "managers make announcements" in refused.content.decode()
    made = client.post(
        "/posts/new/",
        {"group": recipes.pk, "kind": "announcement", "title": "Let op", "body": "Nieuws"},
        **HTMX,
    )
    assert made.status_code == 200
    assert Post.objects.get().kind == Post.Kind.ANNOUNCEMENT


def test_without_script_an_error_shows_the_home_page_with_what_was_typed(team, client_for):
    response = client_for(team.alice).post("/posts/new/", {"group": team.group.pk, "body": " "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write something before posting." in html and "<h1>Home</h1>" in html


@pytest.mark.parametrize("url", ["/groups/wondzorg/posts/", "/posts/new/"])
def test_an_over_long_text_is_refused_with_a_message_and_kept(team, client_for, url):
    text = ("woord " * (settings.POST_MAX_LENGTH // 6 + 50)).strip()
    response = client_for(team.alice).post(url, {"group": team.group.pk, "body": text}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        f"Your text is {len(text)} characters long; at most {settings.POST_MAX_LENGTH} fit" in html
    )
    assert text.strip() in html  # nothing cut: the whole text is back in the box
    assert "maxlength" not in html.split("<textarea")[1].split(">")[0]
    assert not Post.objects.exists()


def test_an_over_long_reply_is_refused_and_kept(team, client_for):
    from communities import actions

    post = actions.post_to_group(team.alice, team.group, "Vraag")
    text = "x" * (settings.POST_MAX_LENGTH + 1)
    response = client_for(team.bob).post(f"/posts/{post.pk}/reply/", {"body": text}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "at most 5000 fit" in html and text in html
    assert not post.replies.exists()
