"""record_incident: an upsert that writes, tells and notifies only when something changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents import actions, signals
from incidents.models import Incident, IncidentFollow, IncidentUpdate
from notices.queries import visible_rows
from privacy import actions as privacy_actions

pytestmark = pytest.mark.django_db


def record(external_id="INC-1", **fields):
    fields.setdefault("title", "Email is down")
    return actions.record_incident("api", external_id, **fields)


@pytest.fixture
def heard():
    changes = []

    def receive(sender, incident, change, **kwargs):
        changes.append((incident.pk, change.changes))

    signals.incident_changed.connect(receive)
    yield changes
    signals.incident_changed.disconnect(receive)


def test_a_new_incident_is_created_with_its_history(django_capture_on_commit_callbacks, heard):
    with django_capture_on_commit_callbacks(execute=True):
        incident, change = record(status="Open", impact="high", number="I 1")
    assert change is not None and change.created
    assert (incident.status, incident.impact, incident.resolved_at) == ("open", "high", None)
    assert heard == [(incident.pk, change.changes)]
    assert change.changes["title"] == [None, "Email is down"]


def test_the_same_data_again_changes_nothing(django_capture_on_commit_callbacks, heard):
    record(status="open")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        incident, change = record(status="open")
    assert change is None
    assert callbacks == []
    assert IncidentUpdate.objects.count() == 1
    assert heard == []


def test_a_change_is_a_history_row_saying_what_changed():
    record(status="open")
    incident, change = record(status="In behandeling")
    assert incident.status == "in_progress"
    assert change.changes == {"status": ["open", "in_progress"]}
    assert IncidentUpdate.objects.filter(incident=incident).count() == 2


def test_resolving_sets_the_time_once_and_reopening_clears_it():
    record(status="open")
    incident, _ = record(status="Afgemeld")
    assert incident.status == "resolved" and incident.resolved_at is not None
    first = incident.resolved_at
    incident, change = record(status="resolved")
    assert change is None and incident.resolved_at == first
    incident, change = record(status="open")
    assert incident.resolved_at is None and change.changes["status"] == ["resolved", "open"]


def test_a_new_modification_time_alone_is_kept_without_telling_anyone(heard):
    incident, _ = record(status="open")
    later = timezone.now() + timedelta(minutes=5)
    incident, change = record(status="open", updated_at=later)
    assert change is None
    assert Incident.objects.get(pk=incident.pk).updated_at == later


def test_what_cannot_be_kept_is_refused_and_nothing_written():
    with pytest.raises(ValidationError):
        record(title="")
    with pytest.raises(ValidationError):
        record(url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        actions.record_incident("api", "INC-9", status="open")  # no title
    with pytest.raises(ValidationError):
        actions.record_incident("elsewhere", "INC-9", title="x")
    assert not Incident.objects.exists()


def test_followers_are_notified_once_per_change_and_only_they(
    team, django_capture_on_commit_callbacks
):
    incident, _ = record(status="open")
    actions.follow(team.alice, incident)
    actions.follow(team.bob, incident)
    actions.unfollow(team.bob, incident)
    with django_capture_on_commit_callbacks(execute=True):
        record(status="in progress")
    with django_capture_on_commit_callbacks(execute=True):
        record(status="in progress")  # the poller again: no news
    alice = list(visible_rows(team.alice))
    assert [n.verb for n in alice] == [actions.INCIDENT_UPDATED]
    assert not visible_rows(team.bob).exists()
    assert not visible_rows(team.carol).exists()


def test_inactive_and_erased_followers_get_nothing(team, django_capture_on_commit_callbacks):
    incident, _ = record(status="open")
    actions.follow(team.alice, incident)
    actions.follow(team.bob, incident)
    team.alice.is_active = False
    team.alice.save()
    team.carol.is_staff = team.carol.is_superuser = True
    team.carol.save()
    privacy_actions.erase_person(team.carol, team.bob)
    assert not IncidentFollow.objects.filter(person=team.bob).exists()
    # Even a follow left behind tells an erased person nothing.
    IncidentFollow.objects.create(person=team.bob, incident=incident)
    with django_capture_on_commit_callbacks(execute=True):
        record(status="resolved")
    assert not visible_rows(team.alice).exists()
    assert not visible_rows(team.bob).exists()


def test_no_timeline_post_is_made(team, django_capture_on_commit_callbacks):
    from communities.models import Post

    with django_capture_on_commit_callbacks(execute=True):
        record(status="open")
        record(status="resolved")
    assert not Post.objects.exists()


def test_the_home_widget_shows_current_and_lately_resolved(settings):
    from incidents.queries import current_incidents

    settings.INCIDENTS_SHOW_RESOLVED_SECONDS = 600
    open_one, _ = record("A", title="Open one", status="open")
    lately, _ = record("B", title="Lately", status="resolved")
    long_ago, _ = record("C", title="Long ago", status="resolved")
    Incident.objects.filter(pk=long_ago.pk).update(
        resolved_at=timezone.now() - timedelta(seconds=601)
    )
    assert [i.title for i in current_incidents()] == ["Open one", "Lately"]


@pytest.mark.django_db(transaction=True)
def test_a_follower_who_chose_email_gets_one_per_update_with_a_link_to_the_incident(team):
    from django.core import mail

    from notices import queries as notice_queries
    from tests.notices.helpers import prefs

    # No quiet hours (the default ones would hold the email back in the evening).
    prefs(team.bob, incident_updates="email")
    incident, _ = record(status="open")
    actions.follow(team.bob, incident)
    mail.outbox.clear()
    record(status="resolved")
    [message] = mail.outbox
    assert message.to == ["bob@k.test"]
    assert "The major incident “Email is down” is resolved" in message.subject
    [notice] = notice_queries.latest(team.bob)
    assert notice.target == incident
    assert f"/notifications/{notice.id}/" in message.body
