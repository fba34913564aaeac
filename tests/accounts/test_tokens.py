"""Access tokens as people and administrators meet them: the settings page's
section, the admin, the data download and an erasure."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import actions
from accounts.models import AccessToken, hash_secret
from audit.models import Entry, Verb
from privacy import actions as privacy_actions
from privacy import queries as privacy_queries
from tests.factories import PersonFactory

SECRET = re.compile(r'value="(kr_[A-Za-z0-9_-]{40,})"')


@pytest.fixture
def admin(db):
    return PersonFactory(username="beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def alice_client(team, client_for):
    return client_for(team.alice)


def make(client, **data):
    return client.post(reverse("make_token"), {"name": "Mijn script", "scope": "read", **data})


def test_a_made_token_is_shown_once_and_works(team, alice_client):
    response = make(alice_client, scope="read_write")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    secret = SECRET.search(page).group(1)
    assert "Copy the token" in page
    assert 'role="status"' in page
    token = AccessToken.objects.get(person=team.alice)
    assert token.secret_hash == hash_secret(secret)
    assert (token.name, token.scope, token.kind) == ("Mijn script", "read_write", "personal")
    me = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["username"] == "alice"
    # Never again: the page lists the token by its prefix only.
    again = alice_client.get(reverse("settings")).content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again
    assert "Mijn script" in again


def test_the_section_links_the_docs_and_says_what_does_not_revoke(alice_client):
    page = alice_client.get(reverse("settings")).content.decode()
    assert 'href="/api/docs/"' in page
    assert "You have no access tokens." in page
    assert "does not stop your tokens" in page


def test_a_token_with_no_name_is_refused_and_the_form_keeps_its_input(team, alice_client):
    response = make(alice_client, name="  ", scope="read_write", expires_on="2099-01-01")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'value="2099-01-01"' in page
    assert re.search(r'value="read_write"[^>]*checked', page)
    assert not AccessToken.objects.exists()


def test_an_expiry_in_the_past_is_refused(alice_client):
    response = make(alice_client, expires_on="2001-01-01")
    assert response.status_code == 422
    assert "in the future" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_an_expiry_date_is_kept(team, alice_client):
    make(alice_client, expires_on="2099-03-01")
    token = AccessToken.objects.get(person=team.alice)
    assert timezone.localtime(token.expires_at).date().isoformat() == "2099-03-01"


def test_revoking_ones_token_stops_it_and_takes_it_off_the_list(team, alice_client):
    token, secret = actions.make_personal_token(team.alice, "Oud script", "read")
    response = alice_client.post(reverse("revoke_token", args=[token.pk]))
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert "is revoked" in page
    assert "Oud script</strong>" not in page
    me = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401


def test_another_persons_token_is_not_found(team, client_for):
    token, _secret = actions.make_personal_token(team.alice, "Van Alice", "read")
    response = client_for(team.bob).post(reverse("revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Van Alice" not in client_for(team.bob).get(reverse("settings")).content.decode()


def test_the_settings_list_costs_the_same_queries_for_many_tokens(
    team, alice_client, django_assert_num_queries
):
    actions.make_personal_token(team.alice, "een", "read")
    alice_client.get(reverse("settings"))
    with CaptureQueriesContext(connection) as one:
        alice_client.get(reverse("settings"))
    for n in range(5):
        actions.make_personal_token(team.alice, f"meer {n}", "read")
    with django_assert_num_queries(len(one.captured_queries)):
        page = alice_client.get(reverse("settings")).content.decode()
    assert "meer 4" in page


# The admin -----------------------------------------------------------------------------


def test_an_administrator_makes_an_integration_token_shown_once_and_audited(
    team, admin, client_for
):
    bot = PersonFactory(username="servicedesk", display_name="Servicedesk")
    client = client_for(admin)
    url = reverse("admin:accounts_accesstoken_add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"person": bot.pk, "name": "TOPdesk", "scope": "read_write"})
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r"(kr_[A-Za-z0-9_-]{40,})", page).group(1)
    token = AccessToken.objects.get(person=bot)
    assert (token.kind, token.made_by, token.scope) == ("integration", admin, "read_write")
    me = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["username"] == "servicedesk"
    entry = Entry.objects.get(verb=Verb.TOKEN_MADE)
    assert (entry.actor, entry.target, entry.detail["token_id"]) == (admin, bot, token.pk)
    # Not on the next page, nor on the token's own page in the admin.
    assert (
        secret not in client.get(reverse("admin:accounts_accesstoken_changelist")).content.decode()
    )
    detail = client.get(reverse("admin:accounts_accesstoken_change", args=[token.pk]))
    assert secret not in detail.content.decode()
    assert token.secret_hash not in detail.content.decode()


def test_the_admin_revokes_tokens_audited(team, admin, client_for):
    token, _secret = actions.make_personal_token(team.alice, "Script", "read")
    response = client_for(admin).post(
        reverse("admin:accounts_accesstoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = Entry.objects.get(verb=Verb.TOKEN_REVOKED)
    assert (entry.actor, entry.target) == (admin, team.alice)


def test_only_an_administrator_makes_integration_tokens(team):
    with pytest.raises(PermissionDenied):
        actions.make_integration_token(team.bob, "Bot", "read", made_by=team.alice)
    assert not AccessToken.objects.exists()


# Privacy -------------------------------------------------------------------------------


def test_the_data_download_lists_tokens_without_their_secret(team):
    token, secret = actions.make_personal_token(team.alice, "Rapportage", "read")
    actions.revoke_token(token, by=team.alice)
    actions.make_personal_token(team.bob, "Van Bob", "read")
    tokens = privacy_queries.contents_of(team.alice).documents["access_tokens.json"]
    assert [(t["name"], t["scope"], t["kind"]) for t in tokens] == [
        ("Rapportage", "read", "personal")
    ]
    assert tokens[0]["revoked"] is not None
    assert set(tokens[0]) == {"name", "scope", "kind", "made", "last_used", "expires", "revoked"}
    assert secret not in str(tokens) and token.secret_hash not in str(tokens)


def test_an_erasure_deletes_the_persons_tokens(team, admin, django_capture_on_commit_callbacks):
    _token, secret = actions.make_personal_token(team.alice, "Rapportage", "read")
    actions.make_personal_token(team.bob, "Van Bob", "read")
    with django_capture_on_commit_callbacks(execute=True):
        erasure = privacy_actions.erase_person(admin, team.alice)
    assert erasure.tokens == 1
    assert not AccessToken.objects.filter(person=team.alice).exists()
    assert AccessToken.objects.filter(person=team.bob).exists()
    me = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401
