"""Rate limits: per person and per address, a 429 that keeps what was typed."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from communities import actions
from communities.models import Follow, Post, Reaction, Reply
from project.settings import env_rates
from tests.factories import PersonFactory
from tests.people.helpers import upload as photo

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def limits(settings):
    """Set some limits tight for a test: ``limits(post="2/m")``."""

    def tighten(**rates):
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            **{name.replace("_address", ":address"): rate for name, rate in rates.items()},
        }

    return tighten


def post(client, body, htmx=True, **fields):
    return client.post(
        "/groups/wondzorg/posts/", {"body": body, **fields}, **(HTMX if htmx else {})
    )


def retry_after(response) -> int:
    return int(response["Retry-After"])


def test_a_post_over_the_limit_is_refused_over_htmx_and_its_text_comes_back(
    team, client_for, limits
):
    limits(post="2/m")
    alice = client_for(team.alice)
    assert [post(alice, f"bericht {n}").status_code for n in range(2)] == [200, 200]

    refused = post(alice, "Mijn zorgvuldige derde bericht")

    assert refused.status_code == 429
    assert 0 < retry_after(refused) <= 60
    html = refused.content.decode()
    assert "Too many posts in a short time. Try again in" in html
    assert re.search(r"Try again in \d+ seconds?\.", html)
    # The compose form again (htmx swaps 429 as it does 422), holding the text.
    assert 'class="compose card"' in html
    assert ">Mijn zorgvuldige derde bericht</textarea>" in html
    assert Post.objects.count() == 2


def test_a_post_over_the_limit_without_htmx_gets_the_page_with_its_text(team, client_for, limits):
    limits(post="1/m")
    alice = client_for(team.alice)
    post(alice, "eerste", htmx=False)
    refused = post(alice, "Tweede, zonder htmx", htmx=False)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    html = refused.content.decode()
    assert "<html" in html and "Too many posts in a short time." in html
    assert ">Tweede, zonder htmx</textarea>" in html


def test_the_post_limit_counts_per_person_and_per_address(team, client_for, limits):
    limits(post="1/m", post_address="3/m")  # refused requests count too
    alice, bob, carol = (client_for(person) for person in team.people)
    assert post(alice, "van Alice").status_code == 200
    assert post(alice, "nog een van Alice").status_code == 429  # her own limit
    assert post(bob, "van Bob").status_code == 200  # his own count
    # Carol has posted nothing, but the three share one address.
    assert post(carol, "van Carol").status_code == 429
    dave = PersonFactory(username="dave")
    actions.join_group(dave, team.group)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    elsewhere.force_login(dave)
    assert post(elsewhere, "van Dave, thuis").status_code == 200


def test_posting_from_the_home_page_is_limited_too(team, client_for, limits):
    limits(post="1/m")
    alice = client_for(team.alice)
    fields = {"group": team.group.pk}
    assert alice.post("/posts/new/", {"body": "een", **fields}, **HTMX).status_code == 200
    refused = alice.post("/posts/new/", {"body": "Twee vanaf home", **fields}, **HTMX)
    assert refused.status_code == 429
    assert "Too many posts" in refused.content.decode()
    assert ">Twee vanaf home</textarea>" in refused.content.decode()


def test_posts_with_files_count_as_uploads(team, client_for, limits):
    limits(upload="1/h")
    alice = client_for(team.alice)
    assert post(alice, "met bijlage", files=[SimpleUploadedFile("a.pdf", PDF)]).status_code == 200
    refused = post(alice, "Nog een bijlage", files=[SimpleUploadedFile("b.pdf", PDF)])
    assert refused.status_code == 429
    assert "Too many uploads in a short time. Try again in" in refused.content.decode()
    assert ">Nog een bijlage</textarea>" in refused.content.decode()
    # Without a file it is only a post.
    assert post(alice, "zonder bijlage").status_code == 200
    assert Post.objects.count() == 2


def test_a_profile_photo_counts_as_an_upload_and_the_form_keeps_its_text(team, client_for, limits):
    limits(upload="1/h")
    alice = client_for(team.alice)
    first = alice.post(
        reverse("profile_edit"), {"job_title": "Wondverpleegkundige", "photo": photo()}
    )
    assert first.status_code == 302
    refused = alice.post(
        reverse("profile_edit"), {"job_title": "Teamleider wondzorg", "photo": photo("b.jpg")}
    )
    assert refused.status_code == 429
    assert refused["Retry-After"]
    html = refused.content.decode()
    assert "Too many uploads in a short time." in html
    assert 'value="Teamleider wondzorg"' in html
    team.alice.refresh_from_db()
    assert team.alice.job_title == "Wondverpleegkundige"


def test_a_reply_over_the_limit_comes_back_in_its_form(team, client_for, limits):
    limits(reply="1/m")
    alice = client_for(team.alice)
    post(alice, "vraag")
    url = reverse("reply_create", args=[Post.objects.get().pk])
    assert alice.post(url, {"body": "antwoord"}, **HTMX).status_code == 200
    refused = alice.post(url, {"body": "Mijn tweede antwoord"}, **HTMX)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many replies in a short time." in html
    assert ">Mijn tweede antwoord</textarea>" in html
    assert Reply.objects.count() == 1
    # Without htmx: the 429 page.
    page = alice.post(url, {"body": "zonder htmx"})
    assert page.status_code == 429 and "<html" in page.content.decode()


def limited_in_place(response, message: str) -> None:
    """The htmx answer that replaces nothing: the message into the page's alert region."""
    assert response.status_code == 429
    assert response["HX-Reswap"] == "none"
    assert response["Retry-After"]
    html = response.content.decode()
    assert html.startswith('<div id="limit-message" hx-swap-oob="innerHTML">')
    assert message in html


def test_reactions_over_the_limit_change_nothing_and_say_why(team, client_for, limits):
    limits(react="1/m")
    alice = client_for(team.alice)
    post(alice, "iets moois")
    url = reverse("react", args=[Post.objects.get().pk])
    assert alice.post(url, {"kind": "like"}, **HTMX).status_code == 200
    refused = alice.post(url, {"kind": "like"}, **HTMX)
    limited_in_place(refused, "Too many reactions in a short time.")
    assert Reaction.objects.count() == 1  # the second press did not take it back


def test_following_over_the_limit_is_refused(team, client_for, limits):
    limits(follow="1/m")
    alice = client_for(team.alice)
    follow = {"follow": "1"}
    assert alice.post(reverse("person_follow", args=["bob"]), follow, **HTMX).status_code == 200
    refused = alice.post(reverse("tag_follow", args=["wondzorg"]), follow, **HTMX)
    limited_in_place(refused, "Too many follows in a short time.")
    assert Follow.objects.filter(follower=team.alice).count() == 1


def test_searching_people_counts_the_directory_mentions_and_picker_together(
    team, client_for, limits
):
    actions.create_group(team.alice, name="Team")  # Alice manages it: she may pick people
    limits(search="3/m")
    alice = client_for(team.alice)
    assert alice.get(reverse("directory"), {"q": "bob"}, **HTMX).status_code == 200
    assert alice.get(reverse("suggest_people"), {"q": "bo"}, **HTMX).status_code == 200
    assert (
        alice.get(reverse("people_to_add", args=["team"]), {"q": "bo"}, **HTMX).status_code == 200
    )

    limited_in_place(alice.get(reverse("directory"), {"q": "carol"}, **HTMX), "Too many searches")
    limited_in_place(alice.get(reverse("suggest_people"), {"q": "ca"}, **HTMX), "Too many searches")
    page = alice.get(reverse("directory"), {"q": "carol"})
    assert page.status_code == 429
    assert "<h1>Slow down a little</h1>" in page.content.decode()
    assert "Too many searches in a short time. Try again in" in page.content.decode()


def test_the_429_page_speaks_dutch(team, client_for, limits):
    limits(search="1/m")
    alice = client_for(team.alice)
    alice.get(reverse("directory"))
    page = alice.get(reverse("directory"), HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 429
    html = page.content.decode()
    assert '<html lang="nl">' in html
    assert "Te veel zoekopdrachten in korte tijd. Probeer het over" in html


def test_password_resets_are_limited_per_email_and_per_address(team, limits):
    limits(password_reset="1/h", password_reset_address="3/h")
    url = reverse("password_reset")
    assert Client().post(url, {"email": "alice@k.test"}).status_code == 302
    refused = Client().post(url, {"email": "Alice@K.test "})
    assert refused.status_code == 429
    assert 0 < retry_after(refused) <= 3600  # a fixed window: it ends within the hour
    html = refused.content.decode()
    assert "Too many reset requests. Try again in" in html
    assert 'value="Alice@K.test' in html
    assert len(mail.outbox) == 1
    # Another address asked for has its own count, until the network address's runs out.
    assert Client().post(url, {"email": "bob@k.test"}).status_code == 302
    assert Client().post(url, {"email": "carol@k.test"}).status_code == 429
    assert len(mail.outbox) == 2


def test_limits_switched_off_count_nothing(team, client_for, limits, settings):
    limits(post="1/m")
    settings.RATELIMIT_ENABLE = False
    alice = client_for(team.alice)
    assert [post(alice, f"bericht {n}").status_code for n in range(3)] == [200] * 3


def test_the_default_limits_let_a_busy_person_work(team, client_for):
    """A person who posts, replies and reacts quickly is not stopped by the defaults."""
    alice = client_for(team.alice)
    assert {post(alice, f"bericht {n}").status_code for n in range(8)} == {200}
    url = reverse("reply_create", args=[Post.objects.first().pk])
    assert {alice.post(url, {"body": f"antwoord {n}"}, **HTMX).status_code for n in range(15)} == {
        200
    }


def test_rates_come_from_the_environment_and_a_wrong_one_is_refused(monkeypatch):
    defaults = {"post": "10/m", "post:address": "100/m"}
    monkeypatch.setenv("RATE_LIMITS", "post=3/5m, post:address=off")
    assert env_rates("RATE_LIMITS", defaults) == {"post": "3/5m", "post:address": "off"}
    monkeypatch.setenv("RATE_LIMITS", "post=veel")
    with pytest.raises(ValueError, match="not a rate"):
        env_rates("RATE_LIMITS", defaults)
    monkeypatch.setenv("RATE_LIMITS", "posten=3/m")
    with pytest.raises(ValueError, match="no rate limit is called"):
        env_rates("RATE_LIMITS", defaults)


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(team, limits, settings):
    """One proxy in front: people behind it are counted apart, by the address it
    appended, and what a client writes into the header itself changes nothing."""
    limits(post="100/m", post_address="1/m")
    settings.TRUSTED_PROXY_COUNT = 1
    clients = []
    for person, forwarded in (
        (team.alice, "192.0.2.10"),
        (team.bob, "192.0.2.20"),
        (team.carol, "203.0.113.9, 192.0.2.10"),  # wrote her own, then the proxy's
    ):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        client.force_login(person)
        clients.append(client)
    alice, bob, carol = clients
    assert post(alice, "van Alice").status_code == 200
    assert post(bob, "van Bob, ernaast").status_code == 200  # another address
    assert post(carol, "van Carol").status_code == 429  # Alice's address, whatever she wrote
