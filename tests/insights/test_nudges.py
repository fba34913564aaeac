"""Nudges: who is in each segment, who is left out and why, the holdout, delivery
exactly once in the reader's language, the effect against the holdout, and that
only coaches see the pages and the progress socket."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from notifications.models import Notification

from communities import actions as community_actions
from communities.models import Membership, Person
from insights import actions, queries, tasks
from insights.models import ActiveDay, Nudge, NudgeRecipient
from knowledge.models import Page
from notices import actions as notice_actions
from realtime.consumers import CLOSE_FORBIDDEN
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import open_socket, session_cookie, socket_of

Segment = Nudge.Segment


@pytest.fixture
def coach(db):
    return PersonFactory(
        username="coach", display_name="Cora Coach", is_coach=True, email="c@k.test"
    )


def names(people) -> set[str]:
    return {str(person) for person in people}


def in_segment(segment, **kwargs) -> set[str]:
    return {p.username for p in queries.segment_people(segment, **kwargs)}


def with_photo(person):
    Person.objects.filter(pk=person.pk).update(photo="people/x.jpg")


# Segments -----------------------------------------------------------------------------


def test_never_posted_leaves_out_those_who_posted_or_replied(team, coach):
    post = community_actions.post_to_group(team.alice, team.group, "Hallo")
    community_actions.reply_to_post(team.bob, post, "Hoi")
    assert in_segment(Segment.NEVER_POSTED) == {"carol", "coach"}


def test_no_photo_and_only_active_not_erased_accounts(team, coach):
    with_photo(team.alice)
    Person.objects.filter(pk=team.bob.pk).update(is_active=False)
    Person.objects.filter(pk=coach.pk).update(erased_at=timezone.now())
    assert in_segment(Segment.NO_PHOTO) == {"carol"}


def test_not_active_for_n_days(team, coach):
    long_ago = timezone.now() - timedelta(days=100)
    Person.objects.update(date_joined=long_ago)
    today = timezone.localdate()
    ActiveDay.objects.create(person=team.alice, day=today - timedelta(days=5))
    ActiveDay.objects.create(person=team.bob, day=today - timedelta(days=40))
    # Carol joined yesterday: not "away" for 30 days.
    Person.objects.filter(pk=team.carol.pk).update(date_joined=timezone.now() - timedelta(days=1))
    assert in_segment(Segment.INACTIVE, inactive_days=30) == {"bob", "coach"}
    assert in_segment(Segment.INACTIVE, inactive_days=60) == {"coach"}


def test_newcomers_in_no_group(team, coach):
    Person.objects.filter(pk=coach.pk).update(date_joined=timezone.now() - timedelta(days=20))
    new = PersonFactory(username="nieuw")
    assert in_segment(Segment.NEWCOMERS) == {"nieuw"}
    GroupFactory(members=[new])
    assert in_segment(Segment.NEWCOMERS) == set()


def test_managers_of_quiet_groups(team, coach):
    Membership.objects.filter(person=team.alice).update(role=Membership.Role.OWNER)
    Membership.objects.filter(person=team.bob).update(role=Membership.Role.MANAGER)
    busy = GroupFactory(members=[team.carol])
    Membership.objects.filter(group=busy, person=team.carol).update(role=Membership.Role.MANAGER)
    post = community_actions.post_to_group(team.carol, busy, "Druk hier")
    assert post.group_id == busy.pk
    old = community_actions.post_to_group(team.alice, team.group, "Lang geleden")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert in_segment(Segment.QUIET_GROUP_MANAGERS) == {"alice", "bob"}


def test_owners_of_pages_past_their_review_date(team, coach):
    past = timezone.now() - timedelta(days=400)
    Page.objects.create(
        title="Oud",
        body="x",
        created_by=coach,
        changed_by=coach,
        owner_person=team.carol,
        created_at=past,
    )
    Page.objects.create(
        title="Nieuw", body="x", created_by=coach, changed_by=coach, owner_person=coach
    )
    owners = GroupFactory(members=[team.alice, team.bob])
    Membership.objects.filter(group=owners, person=team.alice).update(role=Membership.Role.OWNER)
    Page.objects.create(
        title="Groep",
        body="x",
        created_by=coach,
        changed_by=coach,
        owner_group=owners,
        created_at=past,
    )
    assert in_segment(Segment.PAST_REVIEW_OWNERS) == {"carol", "alice"}


# The rules ----------------------------------------------------------------------------


def test_nobody_gets_two_nudges_within_14_days_and_the_preview_says_so(team, coach):
    first = actions.send_nudge(
        coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=0
    )
    preview = queries.preview(Segment.NEVER_POSTED)
    assert preview.recipients == []
    assert {one.person.username for one in preview.recent} == {"alice", "bob", "carol", "coach"}
    assert all(one.last == first.created_at for one in preview.recent)
    second = actions.send_nudge(coach, segment=Segment.NEVER_POSTED, template=Segment.NEVER_POSTED)
    assert second.recipients.count() == 0
    # Fifteen days on, they may be nudged again.
    Nudge.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert queries.preview(Segment.NEVER_POSTED).count == 4


def test_the_holdout_keeps_someone_out_for_14_days_too(team, coach):
    nudge = actions.send_nudge(
        coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=50
    )
    assert nudge.recipients.filter(holdout=True).count() == 2
    assert queries.preview(Segment.NO_PHOTO).count == 0


def test_those_who_ignored_their_last_three_nudges_are_left_out(team, coach):
    for days in (60, 45, 30):
        nudge = actions.send_nudge(
            coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=0
        )
        Nudge.objects.filter(pk=nudge.pk).update(created_at=timezone.now() - timedelta(days=days))
    NudgeRecipient.objects.update(sent_at=timezone.now() - timedelta(days=30))
    # Alice did what one of them asked; Bob was held out of one: neither ignored three.
    first = timezone.now() - timedelta(days=50)
    NudgeRecipient.objects.filter(person=team.alice, nudge__created_at__lt=first).update(
        acted_at=timezone.now()
    )
    NudgeRecipient.objects.filter(person=team.bob, nudge__created_at__lt=first).update(
        holdout=True, sent_at=None
    )
    preview = queries.preview(Segment.NO_PHOTO)
    assert {one.person.username for one in preview.ignored} == {"carol", "coach"}
    assert {p.username for p in preview.recipients} == {"alice", "bob"}


def test_the_holdout_is_drawn_at_random_and_recorded(coach):
    people = [PersonFactory() for _ in range(19)]  # with the coach, 20
    nudge = actions.send_nudge(
        coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=20
    )
    held = set(nudge.recipients.filter(holdout=True).values_list("person_id", flat=True))
    assert len(held) == 4 and nudge.total == 16
    assert NudgeRecipient.objects.filter(nudge=nudge).count() == 20
    assert held <= {p.pk for p in people} | {coach.pk}


def test_only_a_coach_sends(team):
    with pytest.raises(PermissionDenied):
        actions.send_nudge(team.alice, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO)


# Delivery -----------------------------------------------------------------------------


def notices_of(person):
    return Notification.objects.filter(recipient=person, verb="nudge")


def test_delivery_runs_twice_and_each_gets_one_notification_and_one_email(
    team, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nudge = actions.send_nudge(
            coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=25
        )
    held = nudge.recipients.get(holdout=True).person
    sent_to = [r.person for r in nudge.recipients.filter(holdout=False)]
    assert len(sent_to) == 3
    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_nudge.delay(nudge.pk)  # again: a redelivery
    for person in sent_to:
        assert notices_of(person).count() == 1
        assert len([m for m in mail.outbox if m.to == [person.email]]) == 1
    assert notices_of(held).count() == 0
    assert not [m for m in mail.outbox if m.to == [held.email]]
    nudge.refresh_from_db()
    assert (nudge.status, nudge.done, nudge.total) == ("sent", 3, 3)
    assert nudge.finished_at is not None
    assert all(r.sent_at and r.emailed_at for r in nudge.recipients.filter(holdout=False))
    message = mail.outbox[0]
    assert "colleagues find you faster with a photo" in message.body
    assert "/settings/profile/" in message.body


def test_a_dutch_reader_gets_the_nudge_in_dutch_with_their_name(
    team, coach, django_capture_on_commit_callbacks
):
    notice_actions.save_notification_preferences(team.bob, {"language": "nl"})
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_nudge(
            coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=0
        )
    [to_bob] = [m for m in mail.outbox if m.to == ["bob@k.test"]]
    [to_alice] = [m for m in mail.outbox if m.to == ["alice@k.test"]]
    assert "Bob Jansen" in to_bob.subject
    assert "Openen in Kring" in to_bob.body and "Kies welke e-mails je krijgt" in to_bob.body
    assert "Alice de Vries" in to_alice.subject and "photo" in to_alice.subject
    assert "Open in Kring" in to_alice.body and "Openen" not in to_alice.body


def test_own_words_with_the_name(team, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_nudge(
            coach,
            segment=Segment.NO_PHOTO,
            subject="Een foto, {name}?",
            message="Beste {name}, doe je mee?",
            holdout_percent=0,
        )
    [to_carol] = [m for m in mail.outbox if m.to == ["carol@k.test"]]
    assert to_carol.subject == "Een foto, Carol Smit?"
    assert "Beste Carol Smit, doe je mee?" in to_carol.body


# Effect -------------------------------------------------------------------------------


def test_the_effect_is_measured_for_the_nudged_and_the_holdout(coach):
    people = [PersonFactory() for _ in range(9)]
    nudge = actions.send_nudge(
        coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO, holdout_percent=20
    )
    held = [r.person for r in nudge.recipients.filter(holdout=True)]
    sent = [r.person for r in nudge.recipients.filter(holdout=False)]
    assert len(held) == 2 and len(sent) == 8
    for person in sent[:4] + held[:1]:
        with_photo(person)
    assert actions.measure_nudges() == 5
    [effect] = queries.nudge_effects()
    assert (effect.sent, effect.acted, effect.holdout, effect.holdout_acted) == (8, 4, 2, 1)
    assert effect.acted_share == 0.5 and effect.holdout_share == 0.5
    assert effect.measuring
    # After 14 days it is done with: a photo added later does not count.
    Nudge.objects.filter(pk=nudge.pk).update(created_at=timezone.now() - timedelta(days=16))
    with_photo(sent[5])
    assert actions.measure_nudges() == 0
    assert not queries.nudge_effects()[0].measuring
    assert len(people) == 9


def test_posting_after_a_never_posted_nudge_counts(team, coach):
    nudge = actions.send_nudge(
        coach, segment=Segment.NEVER_POSTED, template=Segment.NEVER_POSTED, holdout_percent=0
    )
    community_actions.post_to_group(team.bob, team.group, "Eindelijk")
    actions.measure_nudges()
    acted = set(nudge.recipients.exclude(acted_at=None).values_list("person__username", flat=True))
    assert acted == {"bob"}


# Pages and socket -----------------------------------------------------------------------


def test_the_nudge_pages_are_for_coaches_only(team, coach, client_for):
    nudge = actions.send_nudge(coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO)
    for url in ["/insights/nudges/", "/insights/nudges/new/", f"/insights/nudges/{nudge.pk}/"]:
        assert client_for(team.alice).get(url).status_code == 403
        assert client_for(coach).get(url).status_code == 200


def test_the_preview_names_the_people_and_who_is_left_out(team, coach, client_for):
    with_photo(team.alice)
    Person.objects.update(date_joined=timezone.now() - timedelta(days=30))
    actions.send_nudge(
        coach,
        segment=Segment.INACTIVE,
        inactive_days=1,
        template="",
        subject="s",
        message="m",
        holdout_percent=0,
    )
    response = client_for(coach).get(
        "/insights/nudges/new/",
        {
            "segment": "no_photo",
            "wording": "ready",
            "holdout_percent": 10,
            "inactive_days": 30,
        },
    )
    text = response.content.decode()
    assert "This nudge reaches 0 people" in text
    assert "Left out: 3 people" in text
    assert "Bob Jansen: nudged on" in text and "Carol Smit: nudged on" in text
    assert "Alice de Vries" not in text.split("This nudge reaches")[1]


def test_the_list_shows_newest_first_in_constant_queries(
    coach, client_for, django_assert_num_queries
):
    client = client_for(coach)
    first = actions.send_nudge(coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO)
    client.get("/insights/nudges/")  # what a first page of a session reads once
    one = count_queries(client)
    for days, segment in ((30, Segment.NEVER_POSTED), (60, Segment.NEWCOMERS)):
        Nudge.objects.update(created_at=F("created_at") - timedelta(days=days))
        PersonFactory()
        actions.send_nudge(coach, segment=segment, template=segment)
    with django_assert_num_queries(one):
        response = client.get("/insights/nudges/")
    text = response.content.decode()
    rows = [
        text.index(label)
        for label in ("Joined in the last 14 days", "Never posted", "No profile photo")
    ]
    assert rows == sorted(rows)
    assert first.pk


def count_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/insights/nudges/")
    return len(captured)


@pytest.mark.django_db(transaction=True)
async def test_a_socket_of_someone_not_a_coach_is_closed(team):
    coach = await database_sync_to_async(PersonFactory)(username="coach2", is_coach=True)
    nudge = await database_sync_to_async(actions.send_nudge)(
        coach, segment=Segment.NO_PHOTO, template=Segment.NO_PHOTO
    )
    communicator, _ = await open_socket(
        f"/ws/insights/nudges/{nudge.pk}/", await database_sync_to_async(session_cookie)(team.bob)
    )
    assert await communicator.receive_output() == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    own = await socket_of(coach, f"/ws/insights/nudges/{nudge.pk}/")
    first = await own.receive_output(timeout=2)
    assert f'id="nudge-{nudge.pk}-progress"' in first["text"]
    await own.disconnect()
