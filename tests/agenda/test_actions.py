"""Signing up, the waiting list, cancelling, and who may do what."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from agenda import actions, notice_kinds, queries
from agenda.models import Attendance, Event
from communities import actions as community_actions
from communities.models import Group, Post
from tests.agenda.helpers import make_event, notice_kinds_of
from tests.factories import GroupFactory, PersonFactory

GOING, WAITING, NOT_GOING = (
    Attendance.Status.GOING,
    Attendance.Status.WAITING,
    Attendance.Status.NOT_GOING,
)


def test_signing_up_gives_a_place_until_full_then_the_waiting_list(team):
    event = make_event(team.alice, team.group, capacity=1)
    assert actions.sign_up(team.bob, event).status == GOING
    assert actions.sign_up(team.carol, event).status == WAITING
    counted = queries.visible_event(team.alice, event.pk)
    assert (counted.going, counted.waiting, counted.places_left) == (1, 1, 0)


def test_signing_up_twice_keeps_one_place(team):
    event = make_event(team.alice, team.group, capacity=2)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.bob, event)
    assert Attendance.objects.filter(event=event).count() == 1


def test_a_place_given_up_goes_to_the_first_waiting_who_is_told(
    team, django_capture_on_commit_callbacks
):
    event = make_event(team.alice, team.group, capacity=1)
    dave = PersonFactory(username="dave")
    community_actions.join_group(dave, team.group)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    actions.sign_up(dave, event)
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline(team.bob, event)
    statuses = dict(
        Attendance.objects.filter(event=event).values_list("person__username", "status")
    )
    assert statuses == {"bob": NOT_GOING, "carol": GOING, "dave": WAITING}
    assert notice_kinds_of(team.carol) == [notice_kinds.MOVED_UP]
    assert notice_kinds.MOVED_UP not in notice_kinds_of(dave)
    assert queries.waiting_position(Attendance.objects.get(person=dave)) == 1


def test_leaving_the_waiting_list_moves_nobody_up(team):
    event = make_event(team.alice, team.group, capacity=1)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    actions.decline(team.carol, event)
    assert Attendance.objects.get(person=team.bob).status == GOING
    assert notice_kinds_of(team.bob) == []


def test_more_places_move_people_up(team):
    event = make_event(team.alice, team.group, capacity=1)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    fields = {f: getattr(event, f) for f in actions.FIELDS}
    actions.edit_event(team.alice, event, **{**fields, "capacity": 2})
    assert Attendance.objects.get(person=team.carol).status == GOING
    assert notice_kinds_of(team.carol) == [notice_kinds.MOVED_UP]


def test_sign_up_closes_at_the_deadline(team):
    start = timezone.now() + timedelta(days=2)
    event = make_event(
        team.alice, team.group, start=start, signup_deadline=timezone.now() + timedelta(hours=1)
    )
    Event.objects.filter(pk=event.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed"):
        actions.sign_up(team.bob, event)
    assert not Attendance.objects.exists()


def test_a_started_event_takes_no_sign_up(team):
    event = make_event(team.alice, team.group)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(minutes=5), end=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="started"):
        actions.sign_up(team.bob, event)


def test_a_cancelled_event_takes_no_sign_up_and_everyone_is_told(team):
    event = make_event(team.alice, team.group, capacity=1)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    actions.cancel_event(team.alice, event)
    with pytest.raises(ValidationError, match="cancelled"):
        actions.sign_up(PersonFactory(), event)
    assert notice_kinds.CANCELLED in notice_kinds_of(team.bob)
    assert notice_kinds.CANCELLED in notice_kinds_of(team.carol)
    event.refresh_from_db()
    assert event.is_cancelled
    assert Event.objects.visible_to(team.bob).filter(pk=event.pk).exists()


def test_only_the_organiser_or_a_manager_cancels_or_edits(team):
    event = make_event(team.alice, team.group)
    with pytest.raises(PermissionDenied):
        actions.cancel_event(team.bob, event)
    fields = {f: getattr(event, f) for f in actions.FIELDS}
    with pytest.raises(PermissionDenied):
        actions.edit_event(team.bob, event, **fields)
    owner = team.group.memberships.get(person=team.carol)
    owner.role = "manager"
    owner.save()
    actions.cancel_event(team.carol, event)


def test_members_create_events_in_their_group_outsiders_do_not(team):
    outsider = PersonFactory(username="outsider")
    with pytest.raises(PermissionDenied):
        make_event(outsider, team.group)
    assert not Event.objects.exists()
    # The whole organisation: anyone may add one.
    event = make_event(outsider, None)
    assert event.group is None and event.post is None


def test_an_outsider_cannot_sign_up_for_a_closed_groups_event(team):
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    event = make_event(team.alice, closed)
    with pytest.raises(PermissionDenied):
        actions.sign_up(team.bob, event)


def test_a_new_event_in_a_group_is_a_card_in_its_feed(
    team, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(team.alice, team.group, place="Zaal <b>3</b>")
    post = Post.objects.get(pk=event.post_id)
    assert post.kind == Post.Kind.EVENT
    assert post.author == team.alice and post.group == team.group
    assert post.title == event.title
    html = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert f'href="/agenda/{event.pk}/"' in html
    assert "Zaal &lt;b&gt;3&lt;/b&gt;" in html
    assert timezone.localtime(event.start).strftime("%H:%M") in html


def test_an_english_organisers_card_reads_in_dutch_for_a_dutch_reader(team, client_for):
    """The card's time, place and link are worded when shown, in the reader's
    language: only the organiser's own words are stored in the post."""
    start = timezone.make_aware(datetime(2027, 3, 3, 14, 0))  # a Wednesday
    with translation.override("en"):
        make_event(team.alice, team.group, start=start, place="Zaal 3")
    dutch = client_for(team.bob)
    dutch.cookies["django_language"] = "nl"
    html = dutch.get("/groups/wondzorg/").content.decode()
    assert "woensdag 3 maart 2027, 14:00–16:00" in html
    assert "Bekijk de activiteit en meld je aan" in html
    assert "See the event" not in html and "Wednesday" not in html
    english = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert "Wednesday 3 March 2027, 14:00–16:00" in english


def test_end_before_start_and_late_deadline_are_refused(team):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        actions.create_event(team.alice, team.group, title="x", start=start, end=start)
    assert "end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.create_event(
            team.alice,
            team.group,
            title="x",
            start=start,
            end=start + timedelta(hours=1),
            signup_deadline=start + timedelta(minutes=1),
        )
    assert "signup_deadline" in refused.value.message_dict


def test_online_links_are_http_or_https_only(team):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        actions.create_event(
            team.alice,
            None,
            title="x",
            start=start,
            end=start + timedelta(hours=1),
            online_url="javascript:alert(1)",
        )
    assert "online_url" in refused.value.message_dict


def test_descriptions_are_markdown_sanitised(team):
    event = make_event(team.alice, None, description="**vet** <script>x</script> [a](javascript:x)")
    assert "<strong>vet</strong>" in event.description_html
    assert "<script>" not in event.description_html
    assert 'href="javascript' not in event.description_html


def test_the_reminder_goes_once_per_event_and_person(team):
    event = make_event(team.alice, team.group, days=0, start=timezone.now() + timedelta(hours=20))
    later = make_event(team.alice, team.group, days=3)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.bob, later)
    actions.sign_up(team.carol, event)
    actions.decline(team.carol, event)
    assert actions.send_reminders() == 1
    assert actions.send_reminders() == 0
    assert notice_kinds_of(team.bob).count(notice_kinds.REMINDER) == 1
    assert notice_kinds.REMINDER not in notice_kinds_of(team.carol)


def test_the_reminder_task_runs(team):
    from agenda.tasks import send_event_reminders

    event = make_event(team.alice, team.group, start=timezone.now() + timedelta(hours=3))
    actions.sign_up(team.bob, event)
    assert send_event_reminders.delay().get() == 1
    assert send_event_reminders.delay().get() == 0


def test_the_feed_card_follows_the_organisers_changes_and_a_cancellation(team):
    event = make_event(team.alice, team.group, place="Zaal 3")
    fields = {f: getattr(event, f) for f in actions.FIELDS}
    actions.edit_event(team.alice, event, **{**fields, "place": "Zaal 7"})
    post = Post.objects.get(pk=event.post_id)
    assert post.card["place"] == "Zaal 7" and post.edited_at is not None
    actions.cancel_event(team.alice, event)
    post.refresh_from_db()
    assert post.card["cancelled"]
