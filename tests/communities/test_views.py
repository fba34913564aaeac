"""Pages and HTMX fragments, as a logged-in person meets them."""

import pytest
from django.urls import reverse

from communities import actions
from communities.models import Group, Post
from tests.factories import PASSWORD, GroupFactory, PersonFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_posts(group, author, count):
    return Post.objects.bulk_create(
        Post(group=group, author=author, body=f"bericht {n}", body_html=f"bericht {n}")
        for n in range(count)
    )


def test_every_page_asks_to_log_in_first(client, team):
    for url in ["/", "/groups/wondzorg/", "/groups/new/", "/people/alice/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_an_htmx_request_after_logging_out_sends_the_whole_page_to_log_in(client, team):
    response = client.get("/groups/wondzorg/?before=10", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_logging_in_and_out(client, team):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_there_is_no_sign_up(client, db):
    # Every page reads the organisation's name (db).
    assert client.get("/signup/").status_code in (302, 404)
    assert b"sign up" not in client.get("/login/").content.lower()


def test_the_group_list_shows_mine_and_others_but_no_secret_ones(client_for, team):
    GroupFactory(name="Geheime kring", privacy=Group.Privacy.SECRET)
    GroupFactory(name="Receptenkring")
    page = client_for(team.alice).get("/groups/").content.decode()
    assert "Kenniskring wondzorg" in page
    assert "Receptenkring" in page
    assert "Geheime kring" not in page


def test_creating_a_group(client_for, team):
    response = client_for(team.alice).post(
        "/groups/new/", {"name": "Receptenkring", "description": "Lekker", "privacy": "open"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/groups/receptenkring/"


def test_a_group_form_with_errors_keeps_what_was_typed(client_for, team):
    response = client_for(team.alice).post(
        "/groups/new/", {"name": "", "description": "Mijn tekst"}
    )
    assert response.status_code == 200
    assert "Mijn tekst" in response.content.decode()
    assert list(Group.objects.all()) == [team.group]  # no group but the team's


def test_join_and_leave_from_the_group_page(client_for, team):
    group = GroupFactory(name="Receptenkring", slug="recepten")
    client = client_for(team.alice)
    assert "Join group" in client.get("/groups/recepten/").content.decode()
    client.post("/groups/recepten/join/")
    assert group.members.filter(pk=team.alice.pk).exists()
    assert "Leave group" in client.get("/groups/recepten/").content.decode()
    client.post("/groups/recepten/leave/")
    assert not group.members.exists()


def test_the_group_page_shows_posts_newest_first_and_the_compose_box(client_for, team):
    actions.post_to_group(team.alice, team.group, "eerste")
    actions.post_to_group(team.alice, team.group, "tweede")
    page = client_for(team.alice).get("/groups/wondzorg/").content.decode()
    assert page.index("tweede") < page.index("eerste")
    assert 'name="body"' in page
    assert 'ws-connect="/ws/groups/wondzorg/?lang=en"' in page


def test_a_non_member_of_an_open_group_reads_but_cannot_post(client_for, team):
    actions.post_to_group(team.alice, team.group, "voor iedereen")
    outsider = client_for(PersonFactory())
    page = outsider.get("/groups/wondzorg/").content.decode()
    assert "voor iedereen" in page
    assert "Post in Kenniskring wondzorg" not in page
    assert outsider.post("/groups/wondzorg/posts/", {"body": "hoi"}).status_code == 403
    assert Post.objects.count() == 1


@pytest.mark.parametrize("privacy", ["closed", "secret"])
def test_outsiders_never_get_the_posts_of_closed_and_secret_groups(client_for, team, privacy):
    group = GroupFactory(slug="binnenkring", privacy=privacy, members=[team.alice])
    actions.post_to_group(team.alice, group, "alleen voor leden")
    outsider = client_for(PersonFactory())
    for url in [
        "/groups/binnenkring/newer/?after=0",
        "/groups/binnenkring/?before=999999",
    ]:
        response = outsider.get(url, **HTMX)
        assert response.status_code == 404, url
        assert "alleen voor leden" not in response.content.decode()
    assert outsider.post("/groups/binnenkring/posts/", {"body": "x"}).status_code == 404
    assert Post.objects.count() == 1


def test_a_closed_group_shows_outsiders_what_it_is_but_not_its_feed(client_for, team):
    group = GroupFactory(name="Team Wijkzorg", slug="team", privacy="closed", members=[team.alice])
    actions.post_to_group(team.alice, group, "alleen voor leden")
    page = client_for(PersonFactory()).get("/groups/team/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Team Wijkzorg" in html and "only its members read its posts" in html
    assert "alleen voor leden" not in html
    assert 'ws-connect="/ws/groups/' not in html and "Join group" not in html


def test_a_secret_group_does_not_exist_for_outsiders(client_for, team):
    group = GroupFactory(name="Vertrouwenspersonen", slug="geheim", privacy="secret")
    group.memberships.create(person=team.alice)
    response = client_for(PersonFactory()).get("/groups/geheim/")
    assert response.status_code == 404
    assert "Vertrouwenspersonen" not in response.content.decode()
    assert "This page does not exist" in response.content.decode()


def test_posting_over_htmx_returns_a_fresh_form_and_the_post(client_for, team):
    response = client_for(team.alice).post(
        "/groups/wondzorg/posts/", {"body": "Nieuwe richtlijn"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    post = Post.objects.get()
    assert post.body == "Nieuwe richtlijn"
    assert 'hx-swap-oob="afterbegin:#feed-posts"' in html
    assert f'id="post-{post.pk}"' in html
    assert "<textarea" in html and "Nieuwe richtlijn</textarea>" not in html


def test_an_empty_post_keeps_the_form_and_says_why(client_for, team):
    response = client_for(team.alice).post("/groups/wondzorg/posts/", {"body": "  "}, **HTMX)
    assert response.status_code == 422
    assert "Write something before posting." in response.content.decode()
    assert not Post.objects.exists()


def test_a_too_long_post_keeps_what_was_typed(client_for, team, settings):
    text = "lang verhaal " * 500
    response = client_for(team.alice).post("/groups/wondzorg/posts/", {"body": text}, **HTMX)
    assert response.status_code == 422
    assert text.strip() in response.content.decode()
    assert not Post.objects.exists()


def test_posting_without_javascript_redirects_back_to_the_group(client_for, team):
    response = client_for(team.alice).post("/groups/wondzorg/posts/", {"body": "Zonder htmx"})
    assert response.status_code == 302
    assert response["Location"] == "/groups/wondzorg/"
    error = client_for(team.alice).post("/groups/wondzorg/posts/", {"body": ""})
    assert error.status_code == 422
    assert "<h1>Kenniskring wondzorg</h1>" in error.content.decode()


def test_catching_up_returns_only_newer_posts_newest_first(client_for, team):
    first = actions.post_to_group(team.alice, team.group, "al gezien")
    actions.post_to_group(team.alice, team.group, "gemist een")
    actions.post_to_group(team.alice, team.group, "gemist twee")
    client = client_for(team.alice)
    html = client.get(f"/groups/wondzorg/newer/?after={first.pk}", **HTMX).content.decode()
    assert "al gezien" not in html
    assert html.index("gemist twee") < html.index("gemist een")
    last = Post.objects.latest("id")
    assert client.get(f"/groups/wondzorg/newer/?after={last.pk}").status_code == 204


def test_the_feed_pages_by_cursor(client_for, team, settings):
    settings.FEED_PAGE_SIZE = 3
    posts = make_posts(team.group, team.alice, 7)  # bericht 0 .. bericht 6
    client = client_for(team.alice)
    page = client.get("/groups/wondzorg/").content.decode()
    assert [f"bericht {n}" in page for n in range(7)] == [False] * 4 + [True] * 3
    older = client.get(f"/groups/wondzorg/?before={posts[4].pk}", **HTMX)
    assert older["Vary"] and "HX-Request" in older["Vary"]
    html = older.content.decode()
    assert "bericht 3" in html and "bericht 1" in html and "bericht 0" not in html
    assert f"?before={posts[1].pk}" in html  # the next cursor
    last = client.get(f"/groups/wondzorg/?before={posts[1].pk}", **HTMX).content.decode()
    assert "bericht 0" in last and "Show older posts" not in last


def test_a_new_post_does_not_shift_the_next_page(client_for, team, settings):
    settings.FEED_PAGE_SIZE = 2
    posts = make_posts(team.group, team.alice, 4)
    client = client_for(team.alice)
    actions.post_to_group(team.alice, team.group, "tussendoor")
    html = client.get(f"/groups/wondzorg/?before={posts[2].pk}", **HTMX).content.decode()
    assert "bericht 1" in html and "bericht 0" in html and "tussendoor" not in html


def test_a_profile_shows_job_department_and_location(client_for, team):
    page = client_for(team.alice).get(reverse("person", args=["alice"])).content.decode()
    assert "Alice de Vries" in page and "Verpleegkundige" in page and "Wijkzorg" in page


def test_the_same_submission_twice_makes_one_post(client_for, team):
    client = client_for(team.alice)
    form = client.get("/groups/wondzorg/").content.decode()
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    data = {"body": "Dubbel geklikt", "idempotency_key": key}
    first = client.post("/groups/wondzorg/posts/", data, **HTMX)
    again = client.post("/groups/wondzorg/posts/", data, **HTMX)
    post = Post.objects.get()
    assert f'id="post-{post.pk}"' in first.content.decode()
    assert f'id="post-{post.pk}"' in again.content.decode()
    fresh_key = first.content.decode().split('name="idempotency_key" value="')[1].split('"')[0]
    assert fresh_key != key  # the next post gets a key of its own
