"""The settings page, its language choice, password change and password reset."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from notices import queries as notice_queries
from tests.factories import PASSWORD

NEW_PASSWORD = "wondzorg-op-dinsdag-42"


@pytest.fixture
def alice_client(team, client_for):
    return client_for(team.alice)


def test_the_header_leads_to_the_settings_page(alice_client):
    home = alice_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("settings")}"' in home


def test_the_settings_page_links_notifications_password_and_logs_out(alice_client):
    page = alice_client.get(reverse("settings")).content.decode()
    assert f'href="{reverse("notice_settings")}"' in page
    assert f'href="{reverse("password_change")}"' in page
    assert f'action="{reverse("logout")}"' in page
    assert 'method="post" action="/logout/"' in page


def test_the_settings_page_needs_a_login():
    response = Client().get(reverse("settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_choosing_dutch_sets_the_interface_and_the_emails_language(team, alice_client):
    response = alice_client.post(reverse("settings_language"), {"language": "nl"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert notice_queries.preferences(team.alice).email_language() == "nl"
    page = alice_client.get(reverse("settings")).content.decode()
    assert '<html lang="nl">' in page
    assert "Instellingen" in page
    assert '<option value="nl" selected>' in page


def test_an_unknown_language_is_refused_and_nothing_is_stored(team, alice_client):
    response = alice_client.post(reverse("settings_language"), {"language": "xx"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert notice_queries.preferences(team.alice).language == ""


def test_the_password_is_changed_with_the_old_one(team, alice_client):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    team.alice.refresh_from_db()
    assert team.alice.check_password(NEW_PASSWORD)
    done = alice_client.get(response["Location"])  # still logged in
    assert "Password changed" in done.content.decode()


def test_a_wrong_old_password_is_refused_and_the_form_keeps_the_new_one(team, alice_client):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page
    # Django renders password inputs empty on purpose; what was typed elsewhere stays.
    assert 'role="alert"' in page
    team.alice.refresh_from_db()
    assert team.alice.check_password(PASSWORD)


def test_mismatching_new_passwords_are_refused(team, alice_client):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other-9x"},
    )
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    team.alice.refresh_from_db()
    assert team.alice.check_password(PASSWORD)


def test_the_login_page_offers_a_password_reset(db):
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Forgot your password?" in page


def reset_link(message) -> str:
    return re.search(r"(http\S+/password-reset/\S+/)", message.body).group(1)


def test_a_reset_email_links_to_the_site_url_whatever_the_host(team, settings):
    settings.SITE_URL = "https://kring.example.org"
    response = Client().post(
        reverse("password_reset"), {"email": "alice@k.test"}, HTTP_HOST="localhost"
    )
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["alice@k.test"]
    assert reset_link(message).startswith("https://kring.example.org/password-reset/")
    assert "Your username is alice." in message.body
    html = message.alternatives[0][0]
    assert 'href="https://kring.example.org/password-reset/' in html


def test_a_dutch_reader_gets_the_reset_email_in_dutch(team, client_for):
    client_for(team.bob).post(reverse("settings_language"), {"language": "nl"})
    Client().post(reverse("password_reset"), {"email": "bob@k.test"})
    [message] = mail.outbox
    assert message.subject == "Kies een nieuw wachtwoord voor Kring"
    assert "Je gebruikersnaam is bob." in message.body


def main_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_an_unknown_address_gets_the_same_page_and_no_email(team):
    known = Client().post(reverse("password_reset"), {"email": "alice@k.test"}, follow=True)
    mail.outbox.clear()
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@k.test"}, follow=True)
    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert main_of(unknown) == main_of(known)
    assert "Check your inbox" in unknown.content.decode()


def test_an_invalid_address_keeps_what_was_typed(team):
    response = Client().post(reverse("password_reset"), {"email": "alice-at-k"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="alice-at-k"' in page
    assert 'role="alert"' in page


def test_the_reset_link_sets_a_new_password_once(team):
    Client().post(reverse("password_reset"), {"email": "alice@k.test"})
    path = reset_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    browser = Client()
    form = browser.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    mismatch = browser.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "x"}
    )
    assert "didn’t match" in mismatch.content.decode()
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    team.alice.refresh_from_db()
    assert team.alice.check_password(NEW_PASSWORD)
    again = Client().get(path, follow=True)
    assert "This link no longer works" in again.content.decode()
