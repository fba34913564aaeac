"""A form refused by the CSRF check: a page in Kring's look, or over htmx a message
that replaces nothing."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from communities.models import Post


def test_a_stale_login_form_gets_a_page_that_says_what_to_do(team):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form could not be sent" in page
    assert "Go back, reload the page and send it again." in page
    assert 'id="limit-message"' in page  # the page is in the site's shell
    assert "CSRF verification failed" not in page


def test_the_page_speaks_dutch_to_a_dutch_reader(team):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = browser.post(reverse("login"), {"username": "alice"}).content.decode()
    assert '<html lang="nl">' in page
    assert "Het formulier kon niet worden verstuurd" in page


def test_over_htmx_a_post_with_a_stale_token_is_refused_with_a_message_and_not_stored(team):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team.alice)
    response = browser.post(
        reverse("post_create", args=[team.group.slug]),
        {"body": "Mijn tekst"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert response["Kring-Refused"] == "stale-form"
    assert "Reload the page and try again" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Post.objects.filter(body="Mijn tekst").exists()
