"""The trail itself: written in the act's transaction (both fail or neither), kept for
AUDIT_RETENTION_DAYS and pruned daily by beat, its people forgotten on erasure, and
addresses taken from X-Forwarded-For only behind proxies the settings trust."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.utils import timezone

from audit import actions as audit
from audit import context
from audit.models import Entry, Verb
from audit.tasks import prune_audit_trail
from communities import actions
from communities.models import Membership, Post
from limits.addresses import client_address
from tests.audit.helpers import ADDRESS, client_from_address, only_entry


@pytest.fixture
def bobs_post(team):
    """Bob's post in the team's group, which Alice owns."""
    Membership.objects.filter(group=team.group, person=team.alice).update(role="owner")
    return actions.post_to_group(team.bob, team.group, "Off topic")


def test_an_act_that_rolls_back_leaves_no_entry(team, bobs_post):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.delete_post(team.alice, bobs_post, reason="spam")
        assert Entry.objects.count() == 1
        raise RuntimeError("the request failed after the act")
    assert not Entry.objects.exists()
    assert Post.objects.get(pk=bobs_post.pk).deleted_at is None


def test_an_entry_that_cannot_be_written_undoes_the_act(team, bobs_post, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the audit table is full")

    monkeypatch.setattr(Entry.objects, "create", broken)
    with pytest.raises(DatabaseError):
        actions.delete_post(team.alice, bobs_post, reason="spam")
    assert Post.objects.get(pk=bobs_post.pk).deleted_at is None
    with pytest.raises(DatabaseError):
        actions.remove_member(team.alice, team.group, team.carol)
    assert Membership.objects.filter(group=team.group, person=team.carol).exists()


def test_entries_past_the_retention_period_are_pruned_by_the_daily_task(team, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    actions.make_coach(team.bob, by=None)
    actions.make_coach(team.carol, by=None)
    old, recent = Entry.objects.order_by("pk")
    Entry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    Entry.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=29))
    assert prune_audit_trail.apply().get() == 1
    assert list(Entry.objects.all()) == [recent]


def test_beat_prunes_daily_with_a_two_year_default():
    schedule = settings.CELERY_BEAT_SCHEDULE["prune-audit-trail"]
    assert schedule["task"] == prune_audit_trail.name
    assert len(schedule["schedule"].hour) == 1 and len(schedule["schedule"].day_of_week) == 7
    assert settings.AUDIT_RETENTION_DAYS == 730


def test_forgetting_a_person_keeps_their_entries_without_them(team, bobs_post):
    client_from_address(team.alice).post(f"/posts/{bobs_post.pk}/delete/", {"reason": "spam"})
    actions.make_coach(team.alice, by=None)
    assert audit.forget_person(team.alice) == 2
    removal, coach = Entry.objects.order_by("pk")
    assert (removal.actor, removal.actor_label, removal.ip_address, removal.user_agent) == (
        None,
        audit.ERASED_PERSON,
        None,
        "",
    )
    assert (removal.target, removal.target_label) == (team.bob, "Bob Jansen (bob)")
    assert removal.detail == {"post": bobs_post.pk, "reason": "spam"}
    assert (coach.target, coach.target_label, coach.actor_label) == (
        None,
        audit.ERASED_PERSON,
        "system",
    )


def request_from(remote: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("10.0.0.1", "198.51.100.9")) == "10.0.0.1"


def test_behind_trusted_proxies_the_client_is_that_many_entries_from_the_end(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Whatever the client wrote itself comes before what the proxy appended.
    spoofed = request_from("10.0.0.1", "192.0.2.66, 198.51.100.9")
    assert client_address(spoofed) == "198.51.100.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(spoofed) == "192.0.2.66"
    assert client_address(request_from("10.0.0.1", "198.51.100.9")) == "10.0.0.1"
    assert client_address(request_from("10.0.0.1", "not-an-address, x")) is None


def test_the_forwarded_address_reaches_the_entry_behind_a_trusted_proxy(team, bobs_post, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = client_from_address(team.alice)
    client.post(f"/posts/{bobs_post.pk}/delete/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert only_entry().ip_address == "198.51.100.9"


def test_an_act_names_no_person_the_request_is_made_by(team):
    """``make_coach(by=None)`` inside a request: the person logged in did it."""
    with context.acting_from(
        context.Origin(ip_address=ADDRESS, user_agent="", description="GET /", person=team.alice)
    ):
        audit.record(Verb.COACH_GRANTED, actor=None, target=team.bob)
    assert only_entry().actor == team.alice
