"""The login lock-out: per username and per address, each lock longer, the person told."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    """Time that a test moves on (the cache's expiry and the lock-out read it alike)."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def move(seconds):
        now[0] += seconds

    return move


WRONG = "fout"


def log_in(username, password=WRONG, client=None, **headers):
    client = client or Client()
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and django_settings.SESSION_COOKIE_NAME in response.cookies


def test_five_wrong_passwords_lock_the_username_and_say_for_how_long(team):
    assert [log_in("alice").status_code for _ in range(4)] == [200] * 4
    fifth = log_in("alice")
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "60"
    assert "Too many attempts. Try again in 1 minute." in fifth.content.decode()
    # Even the right password is refused while locked, and the page says so.
    locked = log_in("alice", PASSWORD)
    assert not logged_in(locked)
    assert locked.status_code == 429
    assert "Too many attempts. Try again in 1 minute." in locked.content.decode()
    assert 'value="alice"' in locked.content.decode()
    # Another username is not locked.
    assert logged_in(log_in("bob", PASSWORD))


def test_each_lock_lasts_twice_as_long_up_to_the_cap(team, clock, settings):
    settings.LOGIN_LOCKOUT_MAX = 4 * 60
    for _ in range(5):
        response = log_in("alice")
    assert "Try again in 1 minute." in response.content.decode()
    told = []
    for _ in range(3):
        clock(response.get("Retry-After") and int(response["Retry-After"]) + 1)
        response = log_in("alice")  # one more try after the lock, wrong again
        told.append((response["Retry-After"], response.content.decode()))
    assert [after for after, _ in told] == ["120", "240", "240"]
    assert "Too many attempts. Try again in 2 minutes." in told[0][1]
    assert "Too many attempts. Try again in 4 minutes." in told[1][1]
    # After the last lock, the right password gets in.
    clock(241)
    assert logged_in(log_in("alice", PASSWORD))


def test_a_successful_login_starts_the_username_afresh(team, clock):
    for _ in range(4):
        log_in("alice")
    assert logged_in(log_in("alice", PASSWORD))
    # Had the four failures stayed, the second of these would lock.
    assert [log_in("alice").status_code for _ in range(4)] == [200] * 4


def test_one_address_guessing_many_usernames_is_locked(team, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login:address": "3/15m"}
    assert [log_in(name).status_code for name in ("alice", "bob")] == [200, 200]
    third = log_in("carol")
    assert third.status_code == 429
    assert "Too many attempts." in third.content.decode()
    assert not logged_in(log_in("carol", PASSWORD))
    # From another address Carol logs in.
    assert logged_in(log_in("carol", PASSWORD, client=Client(REMOTE_ADDR="10.9.8.7")))


def test_an_unknown_username_locks_as_a_known_one_does(db):
    """So the lock-out tells no one which usernames exist."""
    responses = [log_in("niemand") for _ in range(5)]
    assert responses[-1].status_code == 429


def test_the_lock_is_told_in_dutch(team):
    for _ in range(5):
        response = log_in("alice", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Te veel pogingen. Probeer het over 1 minuut opnieuw." in response.content.decode()


def test_the_admin_login_locks_out_too(team):
    url = reverse("admin:login")
    for _ in range(5):
        response = Client().post(url, {"username": "alice", "password": "fout"})
    assert "Too many attempts. Try again in 1 minute." in response.content.decode()
