"""The .ics of an event, the personal calendar feed, and the attendee list as CSV,
read back with other parsers than the ones that wrote them (vobject, csv)."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import vobject
from django.utils import timezone

from agenda import actions, queries
from agenda.models import CalendarFeed
from agenda.views import safe_cell
from communities import actions as community_actions
from tests.agenda.helpers import make_event
from tests.factories import PersonFactory

UTC = ZoneInfo("UTC")


def parse(body: bytes):
    return vobject.readOne(body.decode())


def test_an_events_ics_is_valid_icalendar(team, client_for):
    start = datetime(2099, 1, 15, 8, 0, tzinfo=UTC)
    event = make_event(
        team.alice,
        team.group,
        start=start,
        hours=1,
        description="**Neem** je laptop mee",
        online_url="https://meet.example/abc",
    )
    response = client_for(team.bob).get(f"/agenda/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="intervisie-wondzorg.ics"' in response["Content-Disposition"]
    cal = parse(response.content)
    assert cal.version.value == "2.0"
    item = cal.vevent
    assert item.uid.value == f"event-{event.pk}@127.0.0.1"
    assert item.dtstart.value == start
    assert item.dtend.value == start + timedelta(hours=1)
    assert item.dtstamp.value.tzinfo is not None
    assert item.summary.value == "Intervisie wondzorg"
    assert item.location.value == "Zaal 3"
    assert item.url.value.endswith(f"/agenda/{event.pk}/")
    assert item.description.value == "Neem je laptop mee\n\nhttps://meet.example/abc"
    assert item.status.value == "CONFIRMED"
    # The same event keeps its UID.
    again = parse(client_for(team.carol).get(f"/agenda/{event.pk}/event.ics").content)
    assert again.vevent.uid.value == item.uid.value


def test_an_all_day_event_is_dates(team, client_for):
    event = actions.create_event(
        team.alice,
        None,
        title="Heidag",
        all_day=True,
        start_date=date(2099, 6, 1),
        end_date=date(2099, 6, 2),
    )
    response = client_for(team.bob).get(f"/agenda/{event.pk}/event.ics")
    assert b"DTSTART;VALUE=DATE:20990601" in response.content
    item = parse(response.content).vevent
    assert item.dtstart.value == date(2099, 6, 1)
    assert item.dtend.value == date(2099, 6, 3)


def _feed_url(person):
    token = actions.new_calendar_link(person)
    return f"/agenda/calendar/{token}.ics", token


def test_the_calendar_feed_lists_the_events_one_goes_to(team, client):
    going = make_event(team.alice, team.group, title="Ik ga")
    waiting = make_event(team.alice, team.group, title="Ik wacht", capacity=1)
    make_event(team.alice, team.group, title="Niet")
    cancelled = make_event(team.alice, None, title="Afgelast")
    actions.sign_up(team.bob, going)
    actions.sign_up(team.carol, waiting)
    actions.sign_up(team.bob, waiting)
    actions.sign_up(team.bob, cancelled)
    actions.cancel_event(team.alice, cancelled)
    url, token = _feed_url(team.bob)
    stored = CalendarFeed.objects.get(person=team.bob)
    assert token not in stored.token_hash and stored.token_hash == queries.token_hash(token)
    # No session: calendar apps read it with the address alone.
    response = client.get(url)
    assert response.status_code == 200
    cal = parse(response.content)
    items = {item.summary.value: item for item in cal.vevent_list}
    assert set(items) == {"Ik ga", "Afgelast"}
    assert items["Afgelast"].status.value == "CANCELLED"
    assert items["Ik ga"].status.value == "CONFIRMED"


def test_a_feed_shows_only_events_one_may_still_see(team, client):
    event = make_event(team.alice, team.group, title="Groepsuitje")
    actions.sign_up(team.bob, event)
    url, _token = _feed_url(team.bob)
    assert b"Groepsuitje" in client.get(url).content
    team.group.privacy = "closed"
    team.group.save()
    community_actions.leave_group(team.bob, team.group)
    assert b"Groepsuitje" not in client.get(url).content


def test_a_new_link_or_turning_off_ends_the_old_one(team, client, client_for):
    url, _token = _feed_url(team.bob)
    assert client.get(url).status_code == 200
    bob = client_for(team.bob)
    bob.post("/agenda/calendar/", {"do": "new"})
    assert client.get(url).status_code == 404
    page = bob.get("/agenda/").content.decode()
    assert "/agenda/calendar/" in page and "shown only once" in page
    new_url = page.split('id="calendar-url" value="', 1)[1].split('"', 1)[0]
    assert client.get(new_url.replace("http://testserver", "")).status_code == 200
    # Shown once only.
    assert 'id="calendar-url"' not in bob.get("/agenda/").content.decode()
    bob.post("/agenda/calendar/", {"do": "off"})
    assert client.get(new_url.replace("http://testserver", "")).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_wrong_token_or_a_deactivated_owner_finds_nothing(team, client):
    assert client.get("/agenda/calendar/niet-goed.ics").status_code == 404
    url, _token = _feed_url(team.bob)
    team.bob.is_active = False
    team.bob.save()
    assert client.get(url).status_code == 404


def test_the_feed_is_rate_limited(team, client, settings):
    url, _token = _feed_url(team.bob)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "calendar_feed:address": "3/m"}
    statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


def test_the_attendee_list_as_csv(team, client_for):
    event = make_event(team.alice, team.group, title="Borrel: =vrijdag/17", capacity=1)
    sneaky = PersonFactory(username="sneaky", display_name='=HYPERLINK("x")', email="@x.test")
    team.group.memberships.create(person=sneaky)
    actions.sign_up(team.bob, event)
    actions.sign_up(sneaky, event)
    actions.sign_up(team.carol, event)
    actions.decline(team.carol, event)
    assert client_for(team.bob).get(f"/agenda/{event.pk}/attendees.csv").status_code == 403
    response = client_for(team.alice).get(f"/agenda/{event.pk}/attendees.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localtime(event.start).strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="borrel-vrijdag17-{day}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Answer"]
    assert [r[:4] for r in rows[1:]] == [
        ["Bob Jansen", "bob@k.test", "Going", ""],
        ['\'=HYPERLINK("x")', "'@x.test", "On the waiting list", "1"],
        ["Carol Smit", "carol@k.test", "Not going", ""],
    ]


def test_cells_that_start_like_formulas_are_escaped():
    for value in ["=1+1", "+31 6", "-2", "@SUM(A1)", "\t=1", "\r=1"]:
        assert safe_cell(value) == "'" + value
    assert safe_cell("Bob") == "Bob" and safe_cell("") == ""
