"""The home page's widget, its catch-up, following, an incident's page, and who sees
none of it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents import actions
from incidents.models import Incident, IncidentFollow

pytestmark = pytest.mark.django_db


def report(external_id="TD-1", **fields):
    fields.setdefault("title", "Email is down")
    fields.setdefault("status", "open")
    incident, _ = actions.record_incident("topdesk", external_id, **fields)
    return incident


def widget_items(html: str) -> list[str]:
    return re.findall(r'data-incident="(\d+)"', html)


def test_the_home_page_shows_current_incidents_with_what_a_reader_needs(team, client_for):
    incident = report(
        number="I 2612 041",
        impact="high",
        url="https://desk.example/tas/secure/incident?unid=1",
    )
    html = client_for(team.alice).get(reverse("home")).content.decode()
    assert 'aria-live="polite"' in html
    assert "Major incidents" in html
    assert "I 2612 041 · Email is down" in html
    assert "High impact" in html and ">Open<" in html
    assert 'href="https://desk.example/tas/secure/incident?unid=1"' in html
    assert f'href="{incident.get_absolute_url()}"' in html
    assert "Follow<span" in html


def test_without_current_incidents_the_widget_is_absent_but_its_live_region_stays(
    team, client_for, settings
):
    settings.INCIDENTS_SHOW_RESOLVED_SECONDS = 60
    gone = report(status="resolved")
    Incident.objects.filter(pk=gone.pk).update(resolved_at=timezone.now() - timedelta(seconds=61))
    html = client_for(team.alice).get(reverse("home")).content.decode()
    assert 'id="incidents-live"' in html
    assert "Major incidents" not in html
    assert widget_items(html) == []


def test_a_resolved_incident_says_when_the_page_should_drop_it(team, client_for, settings):
    settings.INCIDENTS_SHOW_RESOLVED_SECONDS = 600
    report(status="resolved")
    html = client_for(team.alice).get(reverse("incident_widget")).content.decode()
    assert 'hx-swap-oob="innerHTML"' in html
    after = int(re.search(r'data-hide-after="(\d+)"', html).group(1))
    assert 590 <= after <= 601
    assert ">Resolved<" in html


def test_the_readers_follows_are_on_the_page_not_in_the_widget(team, client_for):
    followed = report("TD-1")
    other = report("TD-2", title="Wifi is down")
    actions.follow(team.alice, followed)
    html = client_for(team.alice).get(reverse("home")).content.decode()
    assert f'data-followed="{followed.pk}"' in html
    assert sorted(widget_items(html)) == sorted([str(followed.pk), str(other.pk)])
    # The catch-up is the same for everyone: nothing of Alice's in it.
    alice = client_for(team.alice).get(reverse("incident_widget")).content
    bob = client_for(team.bob).get(reverse("incident_widget")).content
    assert alice == bob


def test_the_widget_costs_the_same_queries_whatever_the_number(
    team, client_for, django_assert_max_num_queries
):
    client = client_for(team.alice)
    report("TD-1")
    client.get(reverse("incident_widget"))
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("incident_widget"))
    for n in range(2, 12):
        report(f"TD-{n}", title=f"Outage {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("incident_widget")).content.decode()
    assert len(widget_items(html)) == 11


def test_follow_and_unfollow(team, client_for):
    incident = report()
    client = client_for(team.bob)
    url = reverse("incident_follow", args=[incident.pk])
    response = client.post(url, {"follow": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["Kring-Following"] == "1"
    assert IncidentFollow.objects.filter(person=team.bob, incident=incident).exists()
    response = client.post(url, {"follow": "0"})
    assert response.status_code == 302
    assert not IncidentFollow.objects.filter(person=team.bob).exists()
    assert client.post(url, {"follow": "maybe"}).status_code == 400


def test_an_incidents_page_shows_its_history(team, client_for):
    incident = report()
    actions.record_incident("topdesk", "TD-1", status="in progress")
    actions.record_incident("topdesk", "TD-1", status="resolved")
    html = client_for(team.carol).get(incident.get_absolute_url()).content.decode()
    assert "Email is down" in html
    assert html.index("Status: Resolved") < html.index("Status: In progress")
    assert "Reported" in html


def test_someone_without_an_account_gets_nothing(team):
    incident = report()
    client = Client()
    for url in (
        reverse("home"),
        reverse("incident_widget"),
        incident.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(reverse("incident_follow", args=[incident.pk]), {"follow": "1"})
    assert response.status_code in (302, 403)
    assert not IncidentFollow.objects.exists()


def test_an_inactive_person_sees_no_incident(team):
    from incidents.queries import visible_current, visible_incident

    incident = report()
    team.carol.is_active = False
    assert visible_current(team.carol) == []
    assert visible_incident(team.carol, incident.pk) is None
    assert not Incident.objects.visible_to(team.carol).exists()
    team.carol.is_active = True
    team.carol.erased_at = timezone.now()
    assert not Incident.objects.visible_to(team.carol).exists()
