"""Outgoing webhooks: what an integration's account may see reaches its receiver,
signed; a receiver that fails is tried again later, with growing waits, and the
delivery log shows each try."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities import actions as community_actions
from communities.models import Group
from integrations import signing, tasks
from integrations.models import Delivery
from integrations.outgoing import announce
from tests.agenda.helpers import make_event
from tests.integrations.helpers import make_hook, make_integration, receiver, subscribe
from tests.knowledge.helpers import edit, make_page


@pytest.fixture
def integration(team):
    """The service desk, a member of the team's group (through a hook bound to it)."""
    return make_hook(team.group).integration


def test_a_post_the_integration_may_see_is_delivered_signed(
    team, integration, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscription = subscribe(integration, site.url)
        with django_capture_on_commit_callbacks(execute=True):
            post = community_actions.post_to_group(team.alice, team.group, "Wond goed genezen")
    [request] = site.received
    signing.verify(subscription.secret, request.body, request.headers[signing.HEADER])
    delivery = Delivery.objects.get()
    assert request.headers["X-Kring-Event"] == "post.created"
    assert request.headers["X-Kring-Delivery"] == str(delivery.pk)
    assert request.headers["User-Agent"] == "Kring"
    assert request.json["event"] == "post.created"
    assert request.json["post"]["id"] == post.pk
    assert request.json["post"]["text"] == "Wond goed genezen"
    assert request.json["post"]["author"]["name"] == "Alice de Vries"
    assert request.json["post"]["url"].endswith(f"/posts/{post.pk}/")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_secret_groups_post_is_not_sent(team, integration, django_capture_on_commit_callbacks):
    secret = community_actions.create_group(team.alice, name="Geheim", privacy=Group.Privacy.SECRET)
    with receiver() as site:
        subscribe(integration, site.url)
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(team.alice, secret, "Alleen voor ons")
    assert site.received == []
    assert not Delivery.objects.exists()


def test_an_integration_does_not_hear_of_its_own_posts(
    team, integration, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url)
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(integration.account, team.group, "Van de servicedesk")
    assert site.received == []


def test_only_the_events_subscribed_to_are_sent(
    team, integration, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url, events=["page.updated"])
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(team.alice, team.group, "Geen pagina")
            page = make_page(team.alice, group=team.group)
            edit(team.bob, page, "Spoel de wond twee keer")
    assert [r.headers["X-Kring-Event"] for r in site.received] == ["page.updated"]
    assert site.received[0].json["page"]["title"] == "Wondzorg protocol"
    assert site.received[0].json["page"]["editor"]["name"] == "Bob Jansen"


def test_a_new_event_is_sent(team, integration, django_capture_on_commit_callbacks):
    with receiver() as site:
        subscribe(integration, site.url, events=["event.created"])
        with django_capture_on_commit_callbacks(execute=True):
            event = make_event(team.alice, team.group)
    [request] = site.received
    assert request.json["agenda_event"]["id"] == event.pk
    assert request.json["agenda_event"]["title"] == "Intervisie wondzorg"


def test_incidents_announce_their_own_event(team, integration, django_capture_on_commit_callbacks):
    with receiver() as site:
        subscribe(integration, site.url, events=["incident.changed"])
        with django_capture_on_commit_callbacks(execute=True):
            announce("incident.changed", {"incident": {"id": 7}}, may_see=lambda account: True)
    delivery = Delivery.objects.get()
    assert site.received[0].json == {
        "event": "incident.changed",
        "delivery": delivery.pk,
        "incident": {"id": 7},
    }


def test_an_unknown_event_name_is_a_mistake():
    with pytest.raises(ValueError):
        announce("post.deleted", {}, may_see=lambda account: True)


class Clock:
    """The time the delivery code sees, moved on by the test instead of waiting."""

    def __init__(self) -> None:
        self.now_at = timezone.now()

    def now(self):
        return self.now_at

    def advance(self, seconds: float) -> None:
        self.now_at += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("integrations.tasks.timezone", clock)
    monkeypatch.setattr("integrations.actions.timezone", clock)
    return clock


@pytest.fixture
def queued(monkeypatch):
    """What is handed to the worker, and with which countdown; the test runs it."""
    calls: list[tuple[int, float]] = []
    monkeypatch.setattr(
        tasks.deliver,
        "apply_async",
        lambda args, countdown=0: calls.append((args[0], countdown)),
    )
    return calls


def post_and_queue(team, django_capture_on_commit_callbacks) -> Delivery:
    with django_capture_on_commit_callbacks(execute=True):
        community_actions.post_to_group(team.alice, team.group, "Nieuws")
    return Delivery.objects.get()


def test_a_failing_receiver_is_tried_again_with_growing_waits(
    team, integration, clock, queued, django_capture_on_commit_callbacks
):
    with receiver(answers=[500, 500]) as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        assert queued == [(delivery.pk, 0)]
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.deliver(delivery.pk) == "pending"
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (
            1,
            500,
            "HTTP 500",
        )
        assert delivery.next_attempt_at == clock.now() + timedelta(seconds=30)
        assert queued[-1] == (delivery.pk, 30)

        assert tasks.deliver(delivery.pk) == "not due"  # the sweep's copy, too early
        clock.advance(30)
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.deliver(delivery.pk) == "pending"
        assert queued[-1] == (delivery.pk, 120)
        clock.advance(120)
        assert tasks.deliver(delivery.pk) == "delivered"
        assert tasks.deliver(delivery.pk) == "done or busy"  # delivered once, never again
    assert len(site.received) == 3
    assert {r.headers["X-Kring-Delivery"] for r in site.received} == {str(delivery.pk)}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert delivery.delivered_at == clock.now()


def test_a_delivery_fails_for_good_after_the_last_attempt(
    team, integration, clock, queued, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with receiver(answers=[503, 503, 503]) as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        tasks.deliver(delivery.pk)
        clock.advance(30)
        assert tasks.deliver(delivery.pk) == "failed"
        clock.advance(3600)
        assert tasks.deliver(delivery.pk) == "done or busy"
    assert len(site.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)


def test_a_redirect_is_not_followed(team, integration, queued, django_capture_on_commit_callbacks):
    with receiver(answers=[302]) as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        tasks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert len(site.received) == 1
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)


def test_a_receiver_that_is_away_is_tried_again(
    team, integration, queued, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url)
    delivery = post_and_queue(team, django_capture_on_commit_callbacks)  # the receiver stopped
    assert tasks.deliver(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.last_status_code is None
    assert "Connection refused" in delivery.last_error


def test_the_sweep_sends_what_is_due_and_whose_task_was_lost(
    team, integration, clock, queued, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        queued.clear()
        assert tasks.send_due_deliveries() == 0  # its own task may still come
        clock.advance(61)
        assert tasks.send_due_deliveries() == 1
    assert queued == [(delivery.pk, 0)]


def test_a_host_not_allowed_cannot_be_subscribed_to(integration, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as refusal:
        subscribe(integration, "http://127.0.0.1:9/kring")
    assert "may not be sent to 127.0.0.1" in str(refusal.value)


def test_a_host_no_longer_allowed_gets_nothing(
    team, integration, settings, queued, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        settings.WEBHOOK_ALLOWED_HOSTS = []
        assert tasks.deliver(delivery.pk) == "failed"
    assert site.received == []
    delivery.refresh_from_db()
    assert delivery.last_error == "host 127.0.0.1 is not allowed"


def test_a_deactivated_integration_gets_nothing(
    team, integration, queued, django_capture_on_commit_callbacks
):
    with receiver() as site:
        subscribe(integration, site.url)
        delivery = post_and_queue(team, django_capture_on_commit_callbacks)
        integration.account.is_active = False
        integration.account.save()
        assert tasks.deliver(delivery.pk) == "failed"
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(team.alice, team.group, "Niemand hoort dit")
    assert site.received == []
    assert Delivery.objects.count() == 1


def test_an_integration_of_no_group_hears_of_nothing_in_them(
    team, django_capture_on_commit_callbacks
):
    lonely = make_integration("Roosters")
    with receiver() as site:
        subscribe(lonely, site.url)
        closed = community_actions.create_group(
            team.alice, name="Dicht", privacy=Group.Privacy.CLOSED
        )
        with django_capture_on_commit_callbacks(execute=True):
            community_actions.post_to_group(team.alice, closed, "Besloten")
            community_actions.post_to_group(team.alice, team.group, "Open groep")
    assert [r.json["post"]["text"] for r in site.received] == ["Open groep"]
