"""Secret stays secret on the agenda: an event in a secret or a closed group reaches
exactly the group's members and managers, on every path (the page, the list, the
fragments, the .ics, the calendar feed, the socket, search, notifications, emails
and the digest). Every viewer is given a place at the event (as if they signed up
before they were removed), so only the visibility rule keeps it away."""

import re

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from agenda import actions, notice_kinds
from agenda.models import Attendance
from notices import emails
from notices import queries as notice_queries
from realtime.consumers import CLOSE_FORBIDDEN
from tests.agenda.helpers import make_event
from tests.notices.helpers import prefs
from tests.sockets import open_socket, session_cookie, settled
from tests.test_privacy import CLEAN, ENTITLED, VIEWERS, build_world

pytestmark = pytest.mark.django_db(transaction=True)

SLUGS = ["geheim", "team"]


def private_event(world, slug):
    alice, viewers, private = world
    event = make_event(
        alice, private[slug], title=f"vertrouwelijk overleg in {slug}", capacity=10, days=2
    )
    for viewer in viewers.values():
        Attendance.objects.create(event=event, person=viewer, status=Attendance.Status.GOING)
    return event


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_fragments_and_downloads_show_the_event_only_to_members(
    world, client_for, slug, viewer
):
    event = private_event(world, slug)
    client = client_for(world[1][viewer])
    title = event.title
    urls = [
        "/agenda/",
        f"/agenda/?group={slug}",
        f"/agenda/{event.pk}/",
        f"/agenda/{event.pk}/event.ics",
        "/search/?q=vertrouwelijk",
        "/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        shown = title in re.sub("<[^>]+>", "", response.content.decode())
        assert shown == (viewer in ENTITLED), f"{viewer} on {url}: shown={shown}"
    fragment = client.get(f"/agenda/{event.pk}/status/", HTTP_HX_REQUEST="true")
    assert (fragment.status_code == 404) == (viewer not in ENTITLED)
    assert (f"event-{event.pk}-places" in fragment.content.decode()) == (viewer in ENTITLED)
    answer = client.post(f"/agenda/{event.pk}/answer/", {"answer": "not_going"})
    assert (answer.status_code == 404) == (viewer not in ENTITLED)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_calendar_feed_and_the_digest_hold_it_only_for_members(world, client, slug, viewer):
    event = private_event(world, slug)
    person = world[1][viewer]
    token = actions.new_calendar_link(person)
    feed = client.get(f"/agenda/calendar/{token}.ics").content.decode()
    assert (event.title in feed) == (viewer in ENTITLED)
    digest = emails.build_digest(person, "weekly", event.created_at)
    listed = [item.text for _section, items in digest.sections for item in items]
    assert (event.title in listed) == (viewer in ENTITLED)


@pytest.mark.parametrize("slug", SLUGS)
def test_notifications_and_emails_reach_only_members(world, slug):
    alice, viewers, private = world
    for name, person in viewers.items():
        person.email = f"{name}@k.test"
        person.save()
        prefs(person, event_reminder="email")
    event = private_event(world, slug)
    mail.outbox.clear()
    actions.send_reminders(event.start - actions.timedelta(hours=2))
    actions.cancel_event(alice, event)
    for name, person in viewers.items():
        kinds = [n.kind for n in notice_queries.latest(person, limit=20)]
        told = {notice_kinds.REMINDER, notice_kinds.CANCELLED} <= set(kinds)
        assert told == (name in ENTITLED), f"{name}: {kinds}"
        mailed = [m.subject for m in mail.outbox if m.to == [person.email]]
        assert bool(mailed) == (name in ENTITLED), f"{name}: {mailed}"
        assert all(event.title in subject for subject in mailed)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_outsiders_page_is_the_page_of_no_event(world, client_for, slug, viewer):
    if viewer in ENTITLED:
        return
    event = private_event(world, slug)
    client = client_for(world[1][viewer])
    for path in ["/", "/edit/", "/event.ics", "/attendees.csv", "/status/"]:
        hidden = client.get(f"/agenda/{event.pk}{path}")
        missing = client.get(f"/agenda/999999{path}")
        assert hidden.status_code == missing.status_code == 404
        assert cleaned(hidden, f"/agenda/{event.pk}/") == cleaned(missing, "/agenda/999999/")


def cleaned(response, path: str) -> str:
    """The page without its per-response tokens, and the address it was asked at."""
    html = response.content.decode()
    for pattern, replacement in CLEAN:
        html = pattern.sub(replacement, html)
    return html.replace(path, "PATH")


@pytest.mark.parametrize("slug", SLUGS)
async def test_the_live_places_reach_only_members_sockets(world, slug):
    event = await database_sync_to_async(private_event)(world, slug)
    alice, viewers, _private = world
    sockets = {}
    for name, person in viewers.items():
        cookie = await database_sync_to_async(session_cookie)(person)
        sockets[name], _ = await open_socket(f"/ws/agenda/{event.pk}/", cookie)
    await database_sync_to_async(actions.decline)(viewers["member"], event)
    for name, person in viewers.items():
        if name in ENTITLED:
            heard = await settled(sockets[name], person)
            assert any("of 10 places left" in m for m in heard), name
            await sockets[name].disconnect()
        else:
            output = await sockets[name].receive_output(timeout=2)
            assert output == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}, name
