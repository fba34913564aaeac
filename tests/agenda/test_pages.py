"""The agenda's pages: the list, an event, its forms, answers and the attendee list."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from agenda import actions, views
from agenda.models import Attendance, Event
from tests.agenda.helpers import make_event
from tests.factories import PersonFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def form_data(**values):
    day = (timezone.localtime() + timedelta(days=10)).date()
    return {
        "group": "",
        "title": "Lunchlezing",
        "start_date": day.isoformat(),
        "start_time": "12:00",
        "end_time": "13:00",
        "place": "Kantine",
        "online_url": "",
        "description": "",
        "capacity": "",
        "signup_deadline": "",
        **values,
    }


def test_an_event_at_nine_in_amsterdam_is_stored_at_eight_utc_in_winter(team, client_for):
    response = client_for(team.alice).post(
        "/agenda/new/",
        form_data(
            group=str(team.group.pk), start_date="2099-01-15", start_time="09:00", end_time="10:30"
        ),
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agenda/{event.pk}/"
    assert event.start == datetime(2099, 1, 15, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert event.end == datetime(2099, 1, 15, 9, 30, tzinfo=ZoneInfo("UTC"))
    page = client_for(team.bob).get(f"/agenda/{event.pk}/").content.decode()
    assert "09:00–10:30" in page
    # In summer Amsterdam is two hours ahead.
    client_for(team.alice).post(
        "/agenda/new/", form_data(title="Zomer", start_date="2099-07-15", start_time="09:00")
    )
    assert Event.objects.get(title="Zomer").start.hour == 7


def test_an_all_day_event_keeps_its_dates(team, client_for):
    client_for(team.alice).post(
        "/agenda/new/",
        form_data(
            all_day="on", start_date="2099-03-30", end_date="2099-03-31", start_time="", end_time=""
        ),
    )
    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (date(2099, 3, 30), date(2099, 3, 31))
    assert timezone.localtime(event.start).replace(tzinfo=None) == datetime(2099, 3, 30)
    assert timezone.localtime(event.end).replace(tzinfo=None) == datetime(2099, 4, 1)
    assert event.start.astimezone(AMSTERDAM).hour == 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"end_time": "11:00"}, "end_time", "The end must be after the start."),
        (
            {"signup_deadline": "2099-02-01T12:00", "start_date": "2099-01-15"},
            "signup_deadline",
            "Sign-up must close before the start.",
        ),
        ({"online_url": "javascript:alert(1)"}, "online_url", "Enter a valid URL."),
        ({"start_time": ""}, "start_time", "Give the time it starts"),
    ],
)
def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(
    team, client_for, values, field, message
):
    data = form_data(title="Mijn titel", place="Zaal 9", description="Iets *moois*", **values)
    response = client_for(team.alice).post("/agenda/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'value="Mijn titel"' in html and 'value="Zaal 9"' in html
    assert "Iets *moois*" in html
    assert not Event.objects.exists()


def test_outsiders_cannot_pick_a_group_they_are_not_in(team, client_for):
    outsider = PersonFactory(username="outsider")
    response = client_for(outsider).post("/agenda/new/", form_data(group=str(team.group.pk)))
    assert response.status_code == 200 and "group" in response.context["form"].errors
    assert not Event.objects.exists()


def test_the_organiser_edits_others_may_not(team, client_for):
    event = make_event(team.alice, team.group)
    assert client_for(team.bob).get(f"/agenda/{event.pk}/edit/").status_code == 403
    page = client_for(team.alice).get(f"/agenda/{event.pk}/edit/")
    assert 'value="Intervisie wondzorg"' in page.content.decode()
    day = timezone.localtime(event.start).date().isoformat()
    response = client_for(team.alice).post(
        f"/agenda/{event.pk}/edit/",
        form_data(title="Nieuw", start_date=day, start_time="14:00", end_time="15:00"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Nieuw" and timezone.localtime(event.start).hour == 14


def test_going_and_not_going_over_htmx(team, client_for):
    event = make_event(team.alice, team.group, capacity=1)
    bob, carol = client_for(team.bob), client_for(team.carol)
    html = bob.post(
        f"/agenda/{event.pk}/answer/", {"answer": "going"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "You are going." in html and ">Full</span>" in html
    assert f'hx-swap-oob="innerHTML:#event-{event.pk}-places"' in html
    html = carol.post(
        f"/agenda/{event.pk}/answer/", {"answer": "going"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "You are on the waiting list (number 1)." in html
    assert "Full — 1 on the waiting list" in html
    response = bob.post(f"/agenda/{event.pk}/answer/", {"answer": "not_going"})
    assert response.status_code == 302
    assert Attendance.objects.get(person=team.carol).status == "going"


def test_the_detail_page_shows_places_and_ones_answer(team, client_for):
    event = make_event(team.alice, team.group, capacity=20, description="**Welkom**")
    actions.sign_up(team.bob, event)
    html = client_for(team.bob).get(f"/agenda/{event.pk}/").content.decode()
    assert "19 of 20 places left" in html
    assert "You are going." in html
    assert "<strong>Welkom</strong>" in html
    assert f'ws-connect="/ws/agenda/{event.pk}/?lang=en"' in html
    assert "Who answered" not in html


def test_the_organiser_sees_who_comes_in_order(team, client_for):
    event = make_event(team.alice, team.group, capacity=1)
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    html = client_for(team.alice).get(f"/agenda/{event.pk}/").content.decode()
    assert "Who answered" in html
    going = html.index("Going (1)")
    waiting = html.index("Waiting list (1)")
    assert going < html.index("Bob Jansen") < waiting < html.index("Carol Smit")


def test_the_organiser_cancels_and_the_event_stays_marked(team, client_for):
    event = make_event(team.alice, team.group)
    assert client_for(team.bob).post(f"/agenda/{event.pk}/cancel/").status_code == 403
    client_for(team.alice).post(f"/agenda/{event.pk}/cancel/")
    html = client_for(team.bob).get(f"/agenda/{event.pk}/").content.decode()
    assert "This event was cancelled on" in html
    listed = client_for(team.bob).get("/agenda/").content.decode()
    assert "Intervisie wondzorg" in listed and "Cancelled" in listed


def test_the_list_shows_upcoming_events_by_date_and_filters_on_group(team, client_for):
    from tests.factories import GroupFactory

    other = GroupFactory(slug="andere", members=[team.bob])
    make_event(team.alice, team.group, title="Later", days=5)
    make_event(team.alice, team.group, title="Eerder", days=2)
    make_event(team.bob, other, title="Elders", days=3)
    past = make_event(team.alice, team.group, title="Voorbij", days=1)
    Event.objects.filter(pk=past.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )
    html = client_for(team.bob).get("/agenda/").content.decode()
    assert html.index("Eerder") < html.index("Elders") < html.index("Later")
    assert "Voorbij" not in html
    html = client_for(team.bob).get("/agenda/?group=andere").content.decode()
    assert "Elders" in html and "Eerder" not in html
    assert client_for(team.bob).get("/agenda/?group=nergens").status_code == 404


def test_the_list_pages(team, client_for, settings):
    for n in range(views.PER_PAGE + 3):
        make_event(team.alice, None, title=f"Event {n:02d}", days=2 + n)
    html = client_for(team.bob).get("/agenda/").content.decode()
    assert "Event 00" in html and "Event 22" not in html and "Page 1 of 2" in html
    html = client_for(team.bob).get("/agenda/?page=2").content.decode()
    assert "Event 22" in html and "Event 00" not in html


def _count_list_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/agenda/").status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_two_events_or_many(
    team, client_for, django_assert_num_queries
):
    client = client_for(team.bob)
    for n in range(2):
        event = make_event(team.alice, team.group, title=f"E{n}", capacity=3)
        actions.sign_up(team.bob, event)
    few = _count_list_queries(client)
    for n in range(12):
        event = make_event(team.alice, team.group if n % 2 else None, title=f"M{n}", capacity=3)
        actions.sign_up(team.carol, event)
        actions.sign_up(team.bob, event)
    with django_assert_num_queries(few):
        assert client.get("/agenda/").status_code == 200


def test_the_detail_page_costs_the_same_queries_whoever_answered(
    team, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(team.alice, team.group, capacity=2)
    actions.sign_up(team.bob, event)
    client = client_for(team.alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/agenda/{event.pk}/")
    for _n in range(8):
        person = PersonFactory()
        team.group.memberships.create(person=person)
        actions.sign_up(person, event)
    with django_assert_num_queries(len(captured)):
        client.get(f"/agenda/{event.pk}/")


def test_anonymous_visitors_are_sent_to_log_in(team, client):
    event = make_event(team.alice, team.group)
    for url in [
        "/agenda/",
        f"/agenda/{event.pk}/",
        f"/agenda/{event.pk}/event.ics",
        "/agenda/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


@pytest.mark.parametrize("language", ["en", "nl"])
def test_date_fields_keep_their_value_in_every_language(language):
    # A date input takes only YYYY-MM-DD: in Dutch the form must not write 06-12-2026.
    from django.utils import translation

    from agenda.forms import EventForm
    from search.forms import SearchForm

    with translation.override(language):
        for field in (
            EventForm.base_fields["start_date"],
            EventForm.base_fields["end_date"],
            SearchForm.base_fields["since"],
            SearchForm.base_fields["until"],
        ):
            assert 'value="2026-12-06"' in field.widget.render("day", date(2026, 12, 6))
