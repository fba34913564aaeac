"""What an integrator notices of access tokens on the API: a token works as its
person, a read token only reads, and a token that should not work gets 401."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts import actions
from accounts.models import AccessToken, hash_secret
from communities import actions as core_actions
from tests.api.conftest import bearer

ME = "/api/v1/me/"


def test_a_token_acts_as_its_person(team, read_secret):
    response = Client().get(ME, headers=bearer(read_secret))
    assert response.status_code == 200
    assert response.json() == {
        "id": team.alice.pk,
        "username": "alice",
        "display_name": "Alice de Vries",
        "job_title": team.alice.job_title,
        "department": team.alice.department,
        "url": "http://testserver/people/alice/",
    }


def test_only_the_hash_and_a_prefix_are_stored(team):
    token, secret = actions.make_personal_token(team.alice, "Rapportage", "read")
    assert secret.startswith("kr_") and len(secret) > 40
    stored = AccessToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hash_secret(secret)
    assert secret not in {str(value) for value in stored.__dict__.values()}
    assert stored.prefix == secret[:8]


def test_a_read_token_reads_but_may_not_write(read_secret, write_secret):
    client = Client()
    assert client.get(ME, headers=bearer(read_secret)).status_code == 200
    refused = client.post(ME, {}, headers=bearer(read_secret))
    assert refused.status_code == 403
    assert "only read" in refused.json()["detail"]
    # A read-write token gets past the scope: "me" itself takes no POST.
    assert client.post(ME, {}, headers=bearer(write_secret)).status_code == 405


def _refused(secret: str) -> None:
    response = Client().get(ME, headers=bearer(secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/json"


def test_no_token_and_an_unknown_token_are_refused_with_401(db):
    response = Client().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    _refused("kr_not-a-token")


def test_a_revoked_token_stops_working(team, read_secret):
    token = AccessToken.objects.get(secret_hash=hash_secret(read_secret))
    assert actions.revoke_token(token, by=team.alice)
    _refused(read_secret)
    assert not actions.revoke_token(token, by=team.alice)


def test_an_expired_token_stops_working(team):
    token, secret = actions.make_personal_token(
        team.alice, "Kort", "read", expires_at=timezone.now() + timedelta(days=1)
    )
    assert Client().get(ME, headers=bearer(secret)).status_code == 200
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    _refused(secret)


def test_a_deactivated_persons_token_stops_at_once_and_stays_revoked(team, read_secret, admin):
    core_actions.deactivate_person(admin, team.alice)
    _refused(read_secret)
    core_actions.reactivate_person(admin, team.alice)
    _refused(read_secret)
    assert AccessToken.objects.get(person=team.alice).revoked_at is not None


def test_an_account_closed_behind_the_actions_back_is_refused_too(team, read_secret):
    type(team.alice).objects.filter(pk=team.alice.pk).update(is_active=False)
    _refused(read_secret)


def test_a_password_change_leaves_tokens_working(team, read_secret):
    team.alice.set_password("een-heel-nieuw-wachtwoord-9")
    team.alice.save()
    assert Client().get(ME, headers=bearer(read_secret)).status_code == 200


def test_last_used_moves_on_at_most_once_a_minute(team, read_secret):
    token = AccessToken.objects.get(secret_hash=hash_secret(read_secret))
    assert token.last_used_at is None
    Client().get(ME, headers=bearer(read_secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    Client().get(ME, headers=bearer(read_secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    Client().get(ME, headers=bearer(read_secret))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_a_token_request_starts_no_session(read_secret):
    response = Client().get(ME, headers=bearer(read_secret))
    assert "sessionid" not in response.cookies


def test_a_signed_in_person_uses_the_api_with_the_session_and_csrf(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.bob)
    assert client.get(ME).json()["username"] == "bob"
    refused = client.post(ME, {})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


def test_the_api_answers_json_not_a_login_page(db):
    response = Client().get("/api/v1/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_over_the_rate_a_token_gets_429_with_retry_after(team, settings, read_secret):
    settings.API_RATE_LIMIT = "3/m"
    client = Client()
    for _ in range(3):
        assert client.get(ME, headers=bearer(read_secret)).status_code == 200
    refused = client.get(ME, headers=bearer(read_secret))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another token counts on its own, as does the person's session.
    other = actions.make_personal_token(team.alice, "Ander script", "read")[1]
    assert client.get(ME, headers=bearer(other)).status_code == 200


def test_a_session_counts_per_person_apart_from_the_persons_tokens(team, settings, read_secret):
    settings.API_RATE_LIMIT = "2/m"
    session = Client()
    session.force_login(team.alice)
    assert [session.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert Client().get(ME, headers=bearer(read_secret)).status_code == 200
    other = Client()
    other.force_login(team.bob)
    assert other.get(ME).status_code == 200
