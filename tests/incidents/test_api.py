"""/api/v1/incidents/: every colleague reads; only those allowed to report incidents
write, and writing is the same upsert as the poller's and the hook's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from incidents import actions
from incidents.models import Incident
from notices.queries import visible_rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


def api(person=None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


@pytest.fixture
def reporter(team):
    team.alice.user_permissions.add(Permission.objects.get(codename="change_incident"))
    return type(team.alice).objects.get(pk=team.alice.pk)  # without the cached permissions


def test_reporting_creates_then_updates_by_external_id(reporter):
    body = {"external_id": "X-1", "title": "Email is down", "status": "Registered", "impact": "P1"}
    response = api(reporter).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["source"], data["status"], data["impact"]) == ("api", "open", "high")
    again = api(reporter).post(URL, {**body, "status": "in progress"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"] and again.json()["status"] == "in_progress"
    assert Incident.objects.count() == 1


def test_resolving_with_a_partial_update(reporter, team, django_capture_on_commit_callbacks):
    incident, _ = actions.record_incident("api", "X-1", title="Email is down")
    actions.follow(team.bob, incident)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(reporter).patch(
            f"{URL}{incident.pk}/", {"status": "resolved"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "resolved" and response.json()["resolved_at"]
    assert visible_rows(team.bob).count() == 1


def test_an_incident_fed_by_the_desk_is_not_changed_through_the_api(reporter):
    incident, _ = actions.record_incident("topdesk", "abc", title="Email is down")
    response = api(reporter).patch(f"{URL}{incident.pk}/", {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert Incident.objects.get().status == "open"


def test_bad_input_is_refused_and_nothing_written(reporter):
    for body in (
        {"title": "no id"},
        {"external_id": "X-2"},  # new, no title
        {"external_id": "X-3", "title": "x", "url": "not a link"},
    ):
        response = api(reporter).post(URL, body, format="json")
        assert response.status_code == 400, body
    assert not Incident.objects.exists()


def test_writing_needs_the_permission_reading_does_not(team):
    incident, _ = actions.record_incident("api", "X-1", title="Email is down")
    bob = api(team.bob)
    assert bob.post(URL, {"external_id": "X-9", "title": "t"}, format="json").status_code == 403
    assert (
        bob.patch(f"{URL}{incident.pk}/", {"status": "resolved"}, format="json").status_code == 403
    )
    assert Incident.objects.get().status == "open"
    listed = bob.get(URL)
    assert listed.status_code == 200
    assert [row["id"] for row in rows(listed.json())] == [incident.pk]
    assert bob.get(f"{URL}{incident.pk}/").json()["title"] == "Email is down"


def rows(data):
    return data["results"] if isinstance(data, dict) else data


def test_the_list_filters_current_and_by_status(team, settings):
    settings.INCIDENTS_SHOW_RESOLVED_SECONDS = 0
    open_one, _ = actions.record_incident("api", "A", title="Open")
    done, _ = actions.record_incident("api", "B", title="Done", status="resolved")
    client = api(team.carol)
    assert {r["id"] for r in rows(client.get(URL).json())} == {open_one.pk, done.pk}
    assert [r["id"] for r in rows(client.get(URL, {"current": "true"}).json())] == [open_one.pk]
    assert [r["id"] for r in rows(client.get(URL, {"status": "resolved"}).json())] == [done.pk]


def test_the_list_costs_the_same_queries_whatever_its_length(team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(team.carol)
    actions.record_incident("api", "A", title="One")

    def incident_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return sum("incidents_" in q["sql"] for q in context.captured_queries)

    one = incident_queries()
    assert one >= 1
    for n in range(10):
        actions.record_incident("api", f"B{n}", title=f"Outage {n}")
    assert incident_queries() == one


def test_nobody_without_a_login_reads_or_writes(team):
    actions.record_incident("api", "A", title="One")
    client = api()
    assert client.get(URL).status_code in (401, 403)
    assert client.post(URL, {"external_id": "Z", "title": "t"}, format="json").status_code in (
        401,
        403,
    )
    assert Incident.objects.count() == 1


def test_an_inactive_person_reads_nothing(team):
    actions.record_incident("api", "A", title="One")
    team.carol.is_active = False
    team.carol.save()
    response = api(team.carol).get(URL)
    assert response.status_code in (401, 403) or rows(response.json()) == []
