"""Where you are logged in: the list on the settings page, logging out one login or
all of them, and what ends them by itself (a new password, a deactivated account)."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import actions
from accounts.models import Login
from tests.factories import PASSWORD

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def logged_in(person, user_agent: str, address: str = "127.0.0.1") -> Client:
    """A browser that logged in through the login form, as a person does."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post(reverse("login"), {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def still_logged_in(browser: Client) -> bool:
    return browser.get(reverse("settings")).status_code == 200


@pytest.fixture
def two_devices(team):
    laptop = logged_in(team.alice, FIREFOX_WINDOWS, "192.0.2.10")
    phone = logged_in(team.alice, SAFARI_IPHONE, "198.51.100.7")
    return laptop, phone


def test_the_settings_page_lists_each_login_with_this_device_first(team, two_devices):
    laptop, _phone = two_devices
    page = laptop.get(reverse("settings")).content.decode()
    assert "Where you are logged in" in page
    assert page.count('class="login"') == 2
    firefox = page.index("Firefox on Windows")
    safari = page.index("Mobile Safari on iOS")
    assert firefox < page.index("This device") < safari
    assert "from 192.0.2.10" in page and "from 198.51.100.7" in page
    # Only the other device has its own button; this one logs out as usual.
    assert len(re.findall(r'action="/settings/logins/\d+/end/"', page)) == 1


def test_a_colleagues_logins_are_not_listed(team, two_devices):
    logged_in(team.bob, FIREFOX_WINDOWS)
    laptop, _phone = two_devices
    page = laptop.get(reverse("settings")).content.decode()
    assert page.count('class="login"') == 2


def test_logging_out_the_phone_from_the_laptop_ends_only_the_phone(team, two_devices):
    laptop, phone = two_devices
    phone_login = Login.objects.get(person=team.alice, browser="Mobile Safari")
    response = laptop.post(reverse("end_login", args=[phone_login.pk]), follow=True)
    assert "That login has ended" in response.content.decode()
    assert not still_logged_in(phone)
    assert still_logged_in(laptop)
    assert not Session.objects.filter(pk=phone_login.session_id).exists()
    assert not Login.objects.filter(pk=phone_login.pk).exists()


def test_another_persons_login_cannot_be_ended(team, two_devices, client_for):
    _laptop, phone = two_devices
    phone_login = Login.objects.get(person=team.alice, browser="Mobile Safari")
    response = client_for(team.bob).post(reverse("end_login", args=[phone_login.pk]))
    assert response.status_code == 404
    assert still_logged_in(phone)


def test_ending_ones_own_login_from_the_list_logs_out(team, two_devices):
    laptop, phone = two_devices
    mine = Login.objects.get(person=team.alice, browser="Firefox")
    response = laptop.post(reverse("end_login", args=[mine.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are logged out." in response.content.decode()
    assert not still_logged_in(laptop)
    assert still_logged_in(phone)


def test_ending_a_login_needs_a_post(team, two_devices):
    laptop, phone = two_devices
    phone_login = Login.objects.get(person=team.alice, browser="Mobile Safari")
    assert laptop.get(reverse("end_login", args=[phone_login.pk])).status_code == 405
    assert still_logged_in(phone)


def test_log_out_everywhere_ends_every_login_and_says_so(team, two_devices):
    laptop, phone = two_devices
    bob = logged_in(team.bob, FIREFOX_WINDOWS)
    response = laptop.post(reverse("end_all_logins"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are logged out everywhere" in response.content.decode()
    assert not still_logged_in(laptop)
    assert not still_logged_in(phone)
    assert not Login.objects.filter(person=team.alice).exists()
    assert still_logged_in(bob)


def test_log_out_everywhere_ends_a_login_from_before_the_list_was_kept(team, two_devices):
    """A session that the list never saw (made before this feature; the migration
    records those) is recorded by the migration's function and ended with the rest."""
    laptop, _phone = two_devices
    old = import_module(settings.SESSION_ENGINE).SessionStore()
    old["_auth_user_id"] = str(team.alice.pk)
    old["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    old["_auth_user_hash"] = team.alice.get_session_auth_hash()
    old.create()
    old_browser = Client()
    old_browser.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    Login.objects.filter(session_id=old.session_key).delete()
    record_existing_logins()
    listed = Login.objects.get(session_id=old.session_key)
    assert listed.person == team.alice and listed.started is None
    assert (
        "logged in before Kring kept this list" in laptop.get(reverse("settings")).content.decode()
    )

    laptop.post(reverse("end_all_logins"))
    assert not Session.objects.filter(pk=old.session_key).exists()
    assert old_browser.get(reverse("settings")).status_code == 302


def record_existing_logins() -> None:
    from django.apps import apps
    from django.db import connection

    migration = import_module("accounts.migrations.0002_record_existing_logins")
    migration.record_existing(apps, connection.schema_editor())


def test_a_new_password_logs_out_the_other_devices_and_keeps_this_one(team, two_devices):
    laptop, phone = two_devices
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "wondzorg-op-dinsdag-42",
            "new_password2": "wondzorg-op-dinsdag-42",
        },
    )
    assert response.status_code == 302
    assert still_logged_in(laptop)
    assert not still_logged_in(phone)
    page = laptop.get(reverse("settings")).content.decode()
    assert page.count('class="login"') == 1 and "This device" in page
    assert "Firefox on Windows" in page
    # When this login began is kept across the new session key.
    assert Login.objects.get(person=team.alice).started is not None


def test_a_deactivated_account_has_no_logins_left(team, two_devices):
    laptop, phone = two_devices
    team.alice.is_active = False
    team.alice.save()
    assert not Session.objects.filter(kring_login__person=team.alice).exists()
    assert not Login.objects.filter(person=team.alice).exists()
    assert not still_logged_in(phone)


def test_last_active_moves_on_at_most_once_in_a_while(team, two_devices, django_assert_num_queries):
    laptop, _phone = two_devices
    mine = Login.objects.get(person=team.alice, browser="Firefox")
    first_seen = mine.last_seen
    laptop.get(reverse("home"))
    mine.refresh_from_db()
    assert mine.last_seen == first_seen
    # Later than SEEN_EVERY: the next request moves it on.
    session = laptop.session
    stamp = session[actions.STAMP]
    session[actions.STAMP] = [stamp[0], stamp[1] - actions.SEEN_EVERY - 1, stamp[2]]
    session.save()
    laptop.get(reverse("home"))
    mine.refresh_from_db()
    assert mine.last_seen > first_seen


def test_an_expired_session_is_not_listed(team, two_devices):
    laptop, phone = two_devices
    phone_login = Login.objects.get(person=team.alice, browser="Mobile Safari")
    Session.objects.filter(pk=phone_login.session_id).update(expire_date=timezone.now())
    page = laptop.get(reverse("settings")).content.decode()
    assert page.count('class="login"') == 1


def test_the_list_is_in_dutch_for_a_dutch_reader(team, two_devices):
    laptop, _phone = two_devices
    laptop.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = laptop.get(reverse("settings")).content.decode()
    for text in ("Waar je bent ingelogd", "Dit apparaat", "Overal uitloggen", "Firefox op Windows"):
        assert text in page
