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


def test_an_integrations_account_is_no_colleague_in_the_directory_or_suggestions(
    team, client_for, django_capture_on_commit_callbacks
):
    hook = make_hook(team.group)
    name = hook.integration.name
    username = hook.integration.account.username
    alice = client_for(team.alice)
    assert f"/people/{username}/" not in alice.get("/people/", {"q": name}).content.decode()
    assert f"/people/{username}/" not in alice.get("/people/").content.decode()
    assert Person.objects.get(pk=hook.integration.account_id).is_integration
    from communities import queries as core_queries

    assert core_queries.suggest_people(name[:4]) == []
    # Its posts say whose they are: an integration's, not a colleague's.
    from communities import actions as community_actions

    with django_capture_on_commit_callbacks(execute=True):
        community_actions.post_to_group(hook.integration.account, team.group, "Storing verholpen")
    page = alice.get(f"/groups/{team.group.slug}/").content.decode()
    card = page[page.index("Storing verholpen") - 2000 : page.index("Storing verholpen")]
    assert '<span class="badge">integration</span>' in card
