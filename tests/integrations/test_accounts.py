"""An integration's account: made with it, named after it, and no one's login."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.test import Client

from audit.models import Entry, Verb
from communities.models import Person
from tests.factories import PASSWORD
from tests.integrations.helpers import administrator, make_hook, make_integration


def test_an_integration_comes_with_an_account_named_after_it(db):
    integration = make_integration("Servicedesk Noord")
    account = Person.objects.get(pk=integration.account_id)
    assert account.username == "integration-servicedesk-noord"
    assert account.display_name == "Servicedesk Noord"
    assert not account.has_usable_password()
    assert make_integration("Servicedesk Noord").account.username == (
        "integration-servicedesk-noord-2"
    )


def test_an_integrations_account_cannot_log_in_even_with_a_password(db):
    integration = make_integration()
    Person.objects.filter(pk=integration.account_id).update(password=make_password(PASSWORD))
    credentials = {"username": integration.account.username, "password": PASSWORD}
    for login in ("/login/", "/admin/login/"):
        browser = Client()
        response = browser.post(login, credentials)
        assert response.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in browser.session


def test_a_colleague_still_logs_in(team):
    browser = Client()
    browser.post("/login/", {"username": "alice", "password": PASSWORD})
    assert browser.session["_auth_user_id"] == str(team.alice.pk)


def test_binding_a_hook_is_recorded_as_the_administrator_adding_a_member(team):
    hook = make_hook(team.group)
    entry = Entry.objects.get(verb=Verb.MEMBER_ADDED)
    assert entry.actor == administrator()
    assert entry.target == hook.integration.account
