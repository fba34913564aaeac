"""The admin of integrations, in English and Dutch: integrations with their accounts,
hooks with their address and secret, subscriptions only to allowed hosts, and the
delivery log, read only, with "send again"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions as community_actions
from communities.models import Membership
from integrations import tasks
from integrations.models import Delivery, IncomingHook, Integration, Subscription
from tests.integrations.helpers import (
    administrator,
    make_hook,
    make_integration,
    receiver,
    subscribe,
)

ADMIN = "/admin/integrations/"


@pytest.fixture
def it(db, client_for):
    return client_for(administrator())


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Save and add another"), ("nl", "Opslaan en nieuwe toevoegen")]
)
@pytest.mark.parametrize(
    "page",
    [
        "",
        "integration/add/",
        "incominghook/add/",
        "subscription/add/",
        "allowedhost/add/",
        "delivery/",
    ],
)
def test_the_admin_pages_speak_both_languages(it, page, language, words):
    response = it.get(ADMIN + page, headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response["Content-Language"] == language
    if page.endswith("add/"):
        assert words in response.content.decode()


def test_adding_an_integration_makes_its_account(it):
    response = it.post(ADMIN + "integration/add/", {"name": "Roosters", "description": ""})
    assert response.status_code == 302
    integration = Integration.objects.get()
    assert integration.account.username == "integration-roosters"


def test_a_hook_made_in_the_admin_shows_its_address_and_secret(it, team):
    integration = make_integration()
    response = it.post(
        ADMIN + "incominghook/add/",
        {"integration": integration.pk, "group": team.group.pk, "active": "on"},
    )
    assert response.status_code == 302
    hook = IncomingHook.objects.get()
    assert Membership.objects.filter(group=team.group, person=integration.account).exists()
    page = it.get(f"{ADMIN}incominghook/{hook.pk}/change/").content.decode()
    assert f"http://127.0.0.1:8000/hooks/in/{hook.token}/" in page
    assert hook.secret in page


def test_a_subscription_to_a_host_not_allowed_is_refused_with_a_message(it, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.org"]
    integration = make_integration()
    response = it.post(
        ADMIN + "subscription/add/",
        {
            "integration": integration.pk,
            "url": "https://elsewhere.example.com/in",
            "events": ["post.created"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Webhooks may not be sent to elsewhere.example.com" in page
    assert 'value="https://elsewhere.example.com/in"' in page  # the input kept
    assert not Subscription.objects.exists()


def test_a_host_allowed_in_the_admin_may_be_subscribed_to(it, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    integration = make_integration()
    it.post(ADMIN + "allowedhost/add/", {"host": "Hooks.Example.org"})
    response = it.post(
        ADMIN + "subscription/add/",
        {
            "integration": integration.pk,
            "url": "https://hooks.example.org/in",
            "events": ["post.created", "page.updated"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Subscription.objects.get().events == ["post.created", "page.updated"]


def test_the_delivery_log_shows_each_try_and_sends_again(
    it, team, django_capture_on_commit_callbacks
):
    integration = make_hook(team.group).integration
    with receiver(answers=[500]) as site:
        subscribe(integration, site.url)
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(team.alice, team.group, "Eerste")
        failed = Delivery.objects.get()
        page = it.get(ADMIN + "delivery/?status__exact=pending").content.decode()
        assert ">500<" in page
        detail = it.get(f"{ADMIN}delivery/{failed.pk}/change/").content.decode()
        assert "HTTP 500" in detail
        assert 'name="_save"' not in detail  # read only
        with django_capture_on_commit_callbacks(execute=True):
            response = it.post(
                ADMIN + "delivery/",
                {"action": "send_again", "_selected_action": [failed.pk]},
                follow=True,
            )
    assert "1 delivery queued again." in response.content.decode()
    again = Delivery.objects.exclude(pk=failed.pk).get()
    assert (again.status, again.attempts, again.payload) == ("delivered", 1, failed.payload)
    assert len(site.received) == 2


def test_the_delivery_log_reads_in_a_constant_number_of_queries(
    it, team, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: None)
    integration = make_hook(team.group).integration
    subscription = subscribe(integration, "http://127.0.0.1:9/")

    def log_with(count: int) -> None:
        Delivery.objects.bulk_create(
            Delivery(subscription=subscription, event="post.created", payload={})
            for _ in range(count)
        )

    log_with(1)
    it.get(ADMIN + "delivery/")  # the session and the like warmed up
    with CaptureQueriesContext(connection) as one:
        it.get(ADMIN + "delivery/")
    log_with(20)
    with django_assert_num_queries(len(one)):
        it.get(ADMIN + "delivery/")
