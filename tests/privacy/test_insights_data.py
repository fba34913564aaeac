"""What the coach's figures keep of a person: the days they opened Kring and the
nudges meant for them are in their download; an erasure takes them, and their bit
in every day's roll-up, and leaves the totals that name nobody."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from insights import rollups
from insights.models import ActiveDay, DayRollup, Nudge, NudgeRecipient
from privacy import actions
from tests.factories import PersonFactory
from tests.privacy.helpers import build_world
from tests.privacy.test_export_pages_documents_events import download_of


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


@pytest.fixture
def measured(world):
    """Alice and Bob opened Kring on two days; a coach nudged Alice and held Bob back."""
    alice, bob, carol = world.team.people
    today = timezone.localdate()
    for person in (alice, bob):
        for days_ago in (3, 2):
            ActiveDay.objects.create(person=person, day=today - timedelta(days_ago))
    nudge = Nudge.objects.create(coach=carol, segment=Nudge.Segment.NO_PHOTO, total=1, done=1)
    NudgeRecipient.objects.create(nudge=nudge, person=alice, sent_at=timezone.now())
    NudgeRecipient.objects.create(nudge=nudge, person=bob, holdout=True)
    rollups.roll_up_days()
    return nudge


def test_her_active_days_and_the_nudges_meant_for_her_are_in_her_download(
    world, measured, client_for, django_capture_on_commit_callbacks
):
    alice, bob, _carol = world.team.people
    files = download_of(alice, client_for, django_capture_on_commit_callbacks)
    activity = json.loads(files["activity.json"])

    today = timezone.localdate()
    assert activity["days_active"][:2] == [
        (today - timedelta(3)).isoformat(),
        (today - timedelta(2)).isoformat(),
    ]
    assert [(n["about"], n["held_back_to_compare"]) for n in activity["nudges"]] == [
        ("No profile photo", False)
    ]
    held_back = json.loads(
        download_of(bob, client_for, django_capture_on_commit_callbacks)["activity.json"]
    )
    assert [n["held_back_to_compare"] for n in held_back["nudges"]] == [True]


def test_erasing_her_takes_her_days_nudges_and_bits_and_keeps_the_totals(
    world, measured, django_capture_on_commit_callbacks
):
    alice, bob, carol = world.team.people
    admin = PersonFactory(username="it", is_staff=True, is_superuser=True)
    day = timezone.localdate() - timedelta(2)
    totals_before = DayRollup.objects.get(day=day).totals

    with django_capture_on_commit_callbacks(execute=True):
        erasure = actions.erase_person(admin, alice)

    assert erasure.insights_records >= 3  # two days (at least) and one nudge
    assert not ActiveDay.objects.filter(person=alice).exists()
    assert not NudgeRecipient.objects.filter(person=alice).exists()
    rolled = rollups.stored_day(DayRollup.objects.get(day=day))
    assert not rolled.opened & (1 << alice.pk)
    assert rolled.opened & (1 << bob.pk)
    assert DayRollup.objects.get(day=day).totals == totals_before
    with django_capture_on_commit_callbacks(execute=True):
        actions.erase_person(admin, carol)
    assert Nudge.objects.get(pk=measured.pk).coach is None
